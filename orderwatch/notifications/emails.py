"""The alert email: the same few words for every event (or for being added to a case), and a
link to the notification.

Email leaves the service's protection (it may be read on a shared screen, forwarded, or kept
by a mail provider), so it says only that there is an update. The link opens the
notification, which asks the reader to sign in and then shows the record.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from orderwatch.notifications.email_kinds import EmailKind, ServiceEmail


def case_update_email(*, notification_id, kind: str = "", to: str) -> ServiceEmail:
    """Return the email telling `to` there is an update (or, for `kind` "member_added", that
    they were added to a case), linking to the notification."""
    link = settings.ORDERWATCH_BASE_URL.rstrip("/") + reverse(
        "notifications:open", kwargs={"notification_id": notification_id}
    )
    if kind == "member_added":
        email_kind = EmailKind.CASE_MEMBER_ADDED
        subject = _("OrderWatch: you have been added to a case")
        body = _("You have been added to a case in OrderWatch. Sign in to see it: %(link)s")
    else:
        email_kind = EmailKind.CASE_UPDATE
        subject = _("OrderWatch: an update on a case you work on")
        body = _("There is an update on a case you work on. Sign in to see it: %(link)s")
    return ServiceEmail(
        kind=email_kind,
        personalisation={"link": link},
        subject=subject,
        body=body % {"link": link} + "\n",
        to=to,
    )
