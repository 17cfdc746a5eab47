"""Reading an agency's API clients, for its administrators."""

from django.db.models import QuerySet

from orderwatch.accounts.models import User
from orderwatch.clients.models import ApiClient


def api_clients(*, user: User) -> QuerySet[ApiClient]:
    """Return the administrator's agency's clients, revoked ones too (the record stays)."""
    return ApiClient.objects.filter(agency_id=user.agency_id).select_related("created_by")
