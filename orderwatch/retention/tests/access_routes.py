"""Legal hold pages in the access matrix (see orderwatch/access/tests/). A team manager on the
case team or an administrator of an agency on it holds a case; other team members get 403,
everyone else 404 for a case URL. Disposal pages are agency administrators' alone."""

from orderwatch.access.tests.routes import (
    AGENCY_ADMIN,
    CASE_CHANGE_PAGE,
    OTHER_AGENCY_ADMIN,
    SIGNED_IN_PAGE,
    VERIFIED,
    Route,
    case_kwargs,
)
from orderwatch.cases.models import Case


def hold_kwargs(case: Case) -> dict:
    """A hold in force on the case, placed for the matrix the first time it is asked for."""
    from orderwatch.retention.models import LegalHold
    from orderwatch.retention.tests.factories import LegalHoldFactory

    hold = LegalHold.objects.filter(case=case).first() or LegalHoldFactory(case=case)
    return {"case_id": case.pk, "hold_id": hold.pk}


def batch_kwargs(case: Case) -> dict:
    """A disposal batch of the case's lead agency (whose administrator is AGENCY_ADMIN)."""
    from django.utils import timezone

    from orderwatch.retention.models import DisposalBatch

    lead = case.team_memberships.get(is_lead=True)
    batch = DisposalBatch.objects.filter(agency_id=lead.agency_id).first()
    if batch is None:
        batch = DisposalBatch.objects.create(
            agency_id=lead.agency_id, confirmed_by=lead.user, confirmed_at=timezone.now()
        )
    return {"batch_id": batch.pk}


HOLD_PAGE = {**CASE_CHANGE_PAGE, "member": 403, AGENCY_ADMIN: 200, OTHER_AGENCY_ADMIN: 404}

ADMIN_ONLY = {
    **dict.fromkeys(VERIFIED, 403),
    **SIGNED_IN_PAGE,
    AGENCY_ADMIN: 200,
    OTHER_AGENCY_ADMIN: 200,
}

ROUTES = [
    # Finding a case to hold: agency administrators (and team managers, not in the matrix).
    Route(
        "retention:list",
        {
            **dict.fromkeys(VERIFIED, 403),
            **SIGNED_IN_PAGE,
            AGENCY_ADMIN: 200,
            OTHER_AGENCY_ADMIN: 200,
        },
    ),
    Route("retention:place", HOLD_PAGE, case_kwargs),
    # Disposal (ADR 0041): agency administrators only; a batch is their own agency's.
    Route("retention:disposal-due", ADMIN_ONLY),
    Route("retention:disposal-check", ADMIN_ONLY, method="post"),
    Route("retention:disposal-batch", {**ADMIN_ONLY, OTHER_AGENCY_ADMIN: 404}, batch_kwargs),
    Route("retention:lift", HOLD_PAGE, hold_kwargs),
]
