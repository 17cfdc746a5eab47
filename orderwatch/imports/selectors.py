"""Reading imports: an agency's own, references and counts only."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.accounts.models import User
from orderwatch.imports.models import CaseImport


def case_imports(*, user: User):
    """Return the imports of the user's agency, newest first: 403 unless they may import."""
    if not user.has_perm("cases.import_cases"):
        raise PermissionDenied
    return CaseImport.objects.filter(agency_id=user.agency_id).select_related("created_by")


def case_import_get(*, user: User, import_id: uuid.UUID) -> CaseImport:
    """Return one of the user's agency's imports; another agency's answers 404."""
    try:
        return case_imports(user=user).get(pk=import_id)
    except (CaseImport.DoesNotExist, ValidationError) as error:
        raise Http404 from error
