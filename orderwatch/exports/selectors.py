"""Reading prepared documents: each is visible to the person who asked for it, and only while
they are on the case team."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.access.policy import access_case
from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.exports.models import Export


def export_get(*, user: User, case_id: uuid.UUID | str, export_id: uuid.UUID | str) -> Export:
    """Return one of the user's own documents on a case they may see; otherwise 404."""
    case = access_case(user, case_id)
    try:
        return Export.objects.select_related("case").get(pk=export_id, case=case, created_by=user)
    except (Export.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error


def export_companions(*, export: Export) -> list[Export]:
    """Return the other documents made by the same request (the case record's other format)."""
    request = export.parameters.get("request")
    if not request:
        return []
    return list(
        Export.objects.filter(
            case_id=export.case_id,
            created_by_id=export.created_by_id,
            kind=export.kind,
            parameters__request=request,
        )
        .exclude(pk=export.pk)
        .order_by("created_at", "pk")
    )


def case_for_case_record(*, user: User, case_id: uuid.UUID | str) -> Case:
    """Return a case whose record `user` may export: 404 off the team, 403 if they may not."""
    case = access_case(user, case_id)
    if not user.has_perm("exports.export_case_record", case):
        raise PermissionDenied
    return case
