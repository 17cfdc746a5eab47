"""Prepared-document pages in the access matrix (see
orderwatch/access/tests/test_access_matrix.py)."""

from orderwatch.access.tests.routes import CASE_CHANGE_PAGE, CASE_PAGE, Route, case_kwargs
from orderwatch.cases.models import Case
from orderwatch.exports.models import Export
from orderwatch.exports.tests.factories import ExportFactory

# A prepared document is its requester's alone (it may hold what they chose to include):
# everyone else on the team gets 404, as if it did not exist.
REQUESTER_ONLY = {**CASE_PAGE, "member_auditor": 404}


def export_kwargs(case: Case) -> dict:
    """A ready document the case lead (the matrix's "member") asked for."""
    lead = case.team_memberships.get(is_lead=True).user
    export = case.exports.filter(
        created_by=lead, status=Export.Status.READY
    ).first() or ExportFactory(case=case, created_by=lead, ready=True)
    return {"case_id": case.pk, "export_id": export.pk}


ROUTES = [
    # The case record: the team's members who work with the family; an auditor on it may not.
    Route("exports:case-record", CASE_CHANGE_PAGE, case_kwargs),
    Route("exports:detail", REQUESTER_ONLY, export_kwargs),
    Route("exports:download", REQUESTER_ONLY, export_kwargs),
]
