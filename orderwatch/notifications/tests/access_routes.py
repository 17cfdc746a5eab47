"""Notification pages in the access matrix (see orderwatch/access/tests/)."""

from orderwatch.access.tests.routes import (
    CASE_PAGE,
    SIGNED_IN_PAGE,
    VERIFIED,
    Route,
)
from orderwatch.cases.models import Case
from orderwatch.notifications.models import Notification
from orderwatch.tasks.services import case_task_owner


def notification_kwargs(case: Case) -> dict:
    """A notification for the case's lead: nobody else may open it."""
    lead = case_task_owner(case)
    notification = Notification.objects.create(
        recipient=lead,
        case=case,
        kind=Notification.Kind.BREACH_RECORDED,
        link=case.get_absolute_url(),
    )
    return {"notification_id": notification.pk}


ROUTES = [
    Route("notifications:list", {**dict.fromkeys(VERIFIED, 200), **SIGNED_IN_PAGE}),
    Route(
        "notifications:mark-all-read",
        {**dict.fromkeys(VERIFIED, 302), **SIGNED_IN_PAGE},
        method="post",
    ),
    # Opening one marks it read and goes to its record; someone else's does not exist (404).
    Route(
        "notifications:open",
        {**CASE_PAGE, "member": 302, "member_auditor": 404},
        notification_kwargs,
    ),
]
