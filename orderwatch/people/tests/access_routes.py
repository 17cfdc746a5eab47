"""Agency administration in the access matrix (see orderwatch/access/tests/).

Only an agency administrator may use these pages, and only on their own agency's accounts:
any other signed-in professional gets 403 (a page for a role they do not have, as the audit
log is), an administrator of another agency gets 404 for an account of this one (it does not
exist for them), and a diary account gets 404, as everywhere outside its diary. The account
each URL names is the case's lead, in the lead's agency (AGENCY_ADMIN's).
"""

from orderwatch.access.tests.routes import (
    AGENCY_ADMIN,
    OTHER_AGENCY_ADMIN,
    SIGNED_IN_PAGE,
    VERIFIED,
    Route,
)
from orderwatch.cases.models import Case

ADMIN_ONLY = {**dict.fromkeys(VERIFIED, 403), **SIGNED_IN_PAGE, AGENCY_ADMIN: 200}
AGENCY_PAGE = {**ADMIN_ONLY, OTHER_AGENCY_ADMIN: 200}
PERSON_PAGE = {**ADMIN_ONLY, OTHER_AGENCY_ADMIN: 404}


def person_kwargs(case: Case) -> dict:
    """The case's lead (still its lead on record once deactivated: ADR 0017)."""
    lead = case.team_memberships.get(is_lead=True, left_at__isnull=True)
    return {"person_id": lead.user_id}


ROUTES = [
    Route("people:list", AGENCY_PAGE),
    # Filters are posted (kept in the session, never in the address), then the list again.
    Route(
        "people:list",
        {**AGENCY_PAGE, AGENCY_ADMIN: 302, OTHER_AGENCY_ADMIN: 302},
        method="post",
        data={"name": "Pat"},
    ),
    Route("people:new", AGENCY_PAGE),
    Route("people:detail", PERSON_PAGE, person_kwargs),
    Route("people:role", PERSON_PAGE, person_kwargs),
    Route("people:deactivate", PERSON_PAGE, person_kwargs),
    Route("people:reactivate", PERSON_PAGE, person_kwargs),
    Route("people:authenticator-reset", PERSON_PAGE, person_kwargs),
    # Another agency's administrator changes nothing: 404 before any check of the form.
    Route(
        "people:deactivate",
        {**PERSON_PAGE, AGENCY_ADMIN: 302},
        person_kwargs,
        method="post",
        data={"reason": "Left the service"},
    ),
    Route(
        "people:role",
        {**PERSON_PAGE, AGENCY_ADMIN: 302},
        person_kwargs,
        method="post",
        data={"role": "team_manager"},
    ),
    # The lead's account is set up already: back to their page, with a message.
    Route(
        "people:setup-link",
        {**PERSON_PAGE, AGENCY_ADMIN: 302},
        person_kwargs,
        method="post",
    ),
]
