"""Account emails (a password reset, a new account's set-up link, an authenticator reset): a
link and what to do with it, nothing else.

Email leaves the service's protection, so it names no one (not even the recipient) and says
nothing about their work: only what happened, the link, and how long it works.
"""

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _


def password_reset_email(*, to: str, link: str) -> EmailMessage:
    """Return the email that sends `to` the link to choose a new password."""
    body = _(
        "Someone asked to reset the password for the OrderWatch account with this email "
        "address.\n\n"
        "To choose a new password, open this link within 1 hour. It works once:\n%(link)s\n\n"
        "If you did not ask, you do not need to do anything: your password has not changed. "
        "Signing in still needs the code from your authenticator app."
    ) % {"link": link}
    return EmailMessage(subject=_("OrderWatch: reset your password"), body=body + "\n", to=[to])


def account_setup_email(*, to: str, link: str, hours: int) -> EmailMessage:
    """Return the email that sends `to` the link to set up their new account."""
    body = _(
        "An OrderWatch account has been made for this email address by your agency's "
        "administrator.\n\n"
        "To set it up, open this link within %(hours)s hours. It works once:\n%(link)s\n\n"
        "You will choose a password, then set up an authenticator app on your phone.\n\n"
        "If the link has stopped working, ask your agency's administrator for a new one. "
        "If you were not expecting this email, you do not need to do anything."
    ) % {"link": link, "hours": hours}
    return EmailMessage(subject=_("OrderWatch: set up your account"), body=body + "\n", to=[to])


def authenticator_reset_email(*, to: str) -> EmailMessage:
    """Return the email that tells `to` their authenticator was reset by their administrator."""
    body = _(
        "Your agency's administrator has reset the two-factor authentication for the OrderWatch "
        "account with this email address. Your old authenticator app and recovery codes no "
        "longer work, and you have been signed out.\n\n"
        "The next time you sign in, you will be asked to set up an authenticator app again.\n\n"
        "If you did not ask for this, contact your agency's administrator."
    )
    return EmailMessage(
        subject=_("OrderWatch: your two-factor authentication was reset"),
        body=body + "\n",
        to=[to],
    )
