"""Password reset links: Django's signed, timed tokens, and who may have one."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator

from orderwatch.accounts.models import User


class PasswordResetTokens(PasswordResetTokenGenerator):
    """Django's reset tokens (void once the password changes or the user signs in, and after
    PASSWORD_RESET_TIMEOUT), also void once the account's security stamp changes: its
    authenticator was replaced, or it signed out of every other session."""

    key_salt = "orderwatch.accounts.tokens.PasswordResetTokens"

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.security_stamp}"


password_reset_tokens = PasswordResetTokens()


def may_reset_password(user: User) -> bool:
    """Say whether `user` may reset their password by email: an active professional account.

    Not a diary account: an email from the service could show a victim-survivor's abuser that
    they use it.
    """
    return user.is_active and not user.is_victim_survivor and user.has_usable_password()
