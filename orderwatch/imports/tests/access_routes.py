"""Import pages in the access matrix (see orderwatch/access/tests/): agency administrators
only (403 for everyone else signed in); an import is its own agency's (404 for another's)."""

from orderwatch.access.tests.routes import (
    AGENCY_ADMIN,
    OTHER_AGENCY_ADMIN,
    SIGNED_IN_PAGE,
    VERIFIED,
    Route,
)
from orderwatch.cases.models import Case


def import_kwargs(case: Case) -> dict:
    """An import by the case's lead agency (whose administrator is AGENCY_ADMIN)."""
    from orderwatch.imports.models import CaseImport

    lead = case.team_memberships.get(is_lead=True)
    record = CaseImport.objects.filter(agency_id=lead.agency_id).first()
    if record is None:
        record = CaseImport.objects.create(
            agency_id=lead.agency_id, created_by=lead.user, references=[case.reference]
        )
    return {"import_id": record.pk}


ADMIN_ONLY = {
    **dict.fromkeys(VERIFIED, 403),
    **SIGNED_IN_PAGE,
    AGENCY_ADMIN: 200,
    OTHER_AGENCY_ADMIN: 200,
}
# With no file checked, the check page sends an administrator back to the upload page.
ADMIN_CHECK = {**ADMIN_ONLY, AGENCY_ADMIN: 302, OTHER_AGENCY_ADMIN: 302}

ROUTES = [
    Route("imports:upload", ADMIN_ONLY),
    Route("imports:upload", ADMIN_ONLY, method="post"),
    Route("imports:template", ADMIN_ONLY),
    Route("imports:check", ADMIN_CHECK),
    Route("imports:check", ADMIN_CHECK, method="post"),
    Route("imports:done", {**ADMIN_ONLY, OTHER_AGENCY_ADMIN: 404}, import_kwargs),
]
