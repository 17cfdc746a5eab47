"""The diary's only emails, both to the address chosen when setting it up: the link that
finishes setting up, or a note that the address already signs in.

They may be read by someone else, so they name no service, person or case, and share a subject.
"""

from django.utils.translation import gettext as _

from orderwatch.notifications.email_kinds import EmailKind, ServiceEmail


def diary_setup_email(*, to: str, link: str, hours: int) -> ServiceEmail:
    """Return the email with the link that finishes setting up notes for `to`."""
    body = _(
        "Someone chose this email address to set up their notes.\n\n"
        "To finish, open this link within %(hours)s hours. It works once:\n%(link)s\n\n"
        "Then sign in with this email address and the password you chose.\n\n"
        "If this was not you, you do not need to do anything: nothing is set up until the link "
        "is opened."
    ) % {"link": link, "hours": hours}
    return ServiceEmail(
        kind=EmailKind.DIARY_SETUP,
        personalisation={"link": link, "hours": hours},
        subject=_("Finish setting up your notes"),
        body=body + "\n",
        to=to,
    )


def diary_address_in_use_email(*, to: str) -> ServiceEmail:
    """Return the email telling `to` that it was chosen for notes but already signs in."""
    body = _(
        "Someone chose this email address to set up their notes, but it is already used to sign "
        "in, so nothing has been set up and nothing has changed.\n\n"
        "If this was you, choose a different email address, or ask the person who gave you the "
        "link for help. If it was not you, you do not need to do anything."
    )
    return ServiceEmail(
        kind=EmailKind.DIARY_ADDRESS_IN_USE,
        personalisation={},
        subject=_("Finish setting up your notes"),
        body=body + "\n",
        to=to,
    )
