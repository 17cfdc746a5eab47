"""Calendar feed pages in the access matrix (see orderwatch/access/tests/).

The feed itself needs no sign-in (calendar apps cannot sign in): its secret link is the
credential, so every visitor gets it with the right link and nobody gets it without.
"""

from orderwatch.access.tests.routes import SIGNED_IN_PAGE, VERIFIED, VISITORS, Route
from orderwatch.calendar_feed.services import calendar_feed_create
from orderwatch.cases.models import Case
from orderwatch.tasks.services import case_task_owner

SIGNED_IN_200 = {**dict.fromkeys(VERIFIED, 200), **SIGNED_IN_PAGE}


def feed_kwargs(case: Case) -> dict:
    _, token = calendar_feed_create(actor=case_task_owner(case))
    return {"token": token}


ROUTES = [
    Route("calendar_feed:manage", SIGNED_IN_200),
    Route("calendar_feed:create", SIGNED_IN_200, method="post"),
    Route(
        "calendar_feed:revoke",
        {**dict.fromkeys(VERIFIED, 302), **SIGNED_IN_PAGE},
        method="post",
    ),
    Route("calendar_feed:feed", dict.fromkeys(VISITORS, 200), feed_kwargs),
    Route("calendar_feed:feed", dict.fromkeys(VISITORS, 404), lambda case: {"token": "wrong"}),
]
