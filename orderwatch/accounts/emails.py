"""Account emails (a password reset, a new account's set-up link, an authenticator reset or
replacement): a link and what to do with it, nothing else.

Email leaves the service's protection, so it names no one (not even the recipient) and says
nothing about their work: only what happened, the link, and how long it works.
"""

from django.utils.translation import gettext as _

from orderwatch.notifications.email_kinds import EmailKind, ServiceEmail


def password_reset_email(*, to: str, link: str) -> ServiceEmail:
    """Return the email that sends `to` the link to choose a new password."""
    body = _(
        "Someone asked to reset the password for the OrderWatch account with this email "
        "address.\n\n"
        "To choose a new password, open this link within 1 hour. It works once:\n%(link)s\n\n"
        "If you did not ask, you do not need to do anything: your password has not changed. "
        "Signing in still needs the code from your authenticator app."
    ) % {"link": link}
    return ServiceEmail(
        kind=EmailKind.PASSWORD_RESET,
        personalisation={"link": link},
        subject=_("OrderWatch: reset your password"),
        body=body + "\n",
        to=to,
    )


def account_setup_email(*, to: str, link: str, hours: int) -> ServiceEmail:
    """Return the email that sends `to` the link to set up their new account."""
    body = _(
        "An OrderWatch account has been made for this email address by your agency's "
        "administrator.\n\n"
        "To set it up, open this link within %(hours)s hours. It works once:\n%(link)s\n\n"
        "You will choose a password, then set up an authenticator app on your phone.\n\n"
        "If the link has stopped working, ask your agency's administrator for a new one. "
        "If you were not expecting this email, you do not need to do anything."
    ) % {"link": link, "hours": hours}
    return ServiceEmail(
        kind=EmailKind.ACCOUNT_SETUP,
        personalisation={"link": link, "hours": hours},
        subject=_("OrderWatch: set up your account"),
        body=body + "\n",
        to=to,
    )


def authenticator_reset_email(*, to: str) -> ServiceEmail:
    """Return the email that tells `to` their authenticator was reset by their administrator."""
    body = _(
        "Your agency's administrator has reset the two-factor authentication for the OrderWatch "
        "account with this email address. Your old authenticator app and recovery codes no "
        "longer work, and you have been signed out.\n\n"
        "The next time you sign in, you will be asked to set up an authenticator app again.\n\n"
        "If you did not ask for this, contact your agency's administrator."
    )
    return ServiceEmail(
        kind=EmailKind.AUTHENTICATOR_RESET,
        personalisation={},
        subject=_("OrderWatch: your two-factor authentication was reset"),
        body=body + "\n",
        to=to,
    )


def authenticator_replaced_email(*, to: str, diary: bool) -> ServiceEmail:
    """Return the email that tells `to` their authenticator app was replaced, so they can act
    if it was not them. A diary's says only "your notes": the service is not named."""
    if diary:
        kind = EmailKind.DIARY_AUTHENTICATOR_REPLACED
        subject = _("Your notes: the app for signing in was changed")
        body = _(
            "The authenticator app used to sign in to your notes was changed, and any other "
            "signed-in device was signed out.\n\n"
            "If this was not you, contact the person who set up your notes with you."
        )
    else:
        kind = EmailKind.AUTHENTICATOR_REPLACED
        subject = _("OrderWatch: your authenticator app was replaced")
        body = _(
            "The authenticator app for the OrderWatch account with this email address was "
            "replaced, and every other session was signed out. Your old app and recovery codes "
            "no longer work.\n\n"
            "If you did not do this, contact your agency's administrator at once."
        )
    return ServiceEmail(kind=kind, personalisation={}, subject=subject, body=body + "\n", to=to)
