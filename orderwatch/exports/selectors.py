"""Reading prepared documents: each is visible to the person who asked for it, and only while
they are on the case team."""

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404

from orderwatch.access.policy import access_case
from orderwatch.accounts.models import User
from orderwatch.exports.models import Export


def export_get(*, user: User, case_id: uuid.UUID | str, export_id: uuid.UUID | str) -> Export:
    """Return one of the user's own documents on a case they may see; otherwise 404."""
    case = access_case(user, case_id)
    try:
        return Export.objects.select_related("case").get(pk=export_id, case=case, created_by=user)
    except (Export.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error
