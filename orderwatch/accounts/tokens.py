"""Password reset and account set-up links: Django's signed, timed tokens, and who may have one."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

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


class AccountSetupTokens(PasswordResetTokenGenerator):
    """The link a new account's holder sets it up with: Django's reset tokens under their own
    salt, working for ORDERWATCH_ACCOUNT_SETUP_HOURS (72 by default) rather than an hour.

    Void once used (a password is set, so the hash of the unusable one changes), once the
    account signs in, or once its security stamp changes (a new link was sent, or the account
    was deactivated).
    """

    key_salt = "orderwatch.accounts.tokens.AccountSetupTokens"

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.security_stamp}"

    def check_token(self, user, token) -> bool:
        """Check the token as Django does, with this link's own lifetime."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(user, timestamp, secret), token
            ):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= settings.ORDERWATCH_ACCOUNT_SETUP_HOURS * 60 * 60


account_setup_tokens = AccountSetupTokens()


def may_set_up_account(user: User) -> bool:
    """Say whether `user` may set up their account from a link: active, a professional, and not
    set up yet (no password)."""
    return user.is_active and not user.is_victim_survivor and not user.has_usable_password()
