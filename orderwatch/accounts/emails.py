"""The password reset email: a link and what to do with it, nothing else.

Email leaves the service's protection, so it names no one (not even the recipient) and says
nothing about their work: only that a reset was asked for, the link, and how long it works.
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
