"""Reading the case events a user (or an agency's system) may see, for the API's feed."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from orderwatch.access.policy import visible_cases
from orderwatch.accounts.models import User
from orderwatch.events.models import CaseEventEntry

# An entry's number is taken when its transaction writes it, but another transaction with a
# lower number may commit a moment later. The feed gives only entries older than this, by which
# time every transaction that could hold a lower number has ended (a case's writes take well
# under a second; a statement taking longer is cut off by the database long before this).
SETTLED_AFTER = dt.timedelta(seconds=10)


def case_events_after(*, user: User, after: int, limit: int) -> QuerySet[CaseEventEntry]:
    """Return up to `limit` settled events after number `after` on the cases `user` may see."""
    return CaseEventEntry.objects.filter(
        case__in=visible_cases(user),
        id__gt=after,
        recorded_at__lte=timezone.now() - SETTLED_AFTER,
    ).order_by("id")[:limit]
