"""Reading notifications: a user's own, and only about cases they still work on."""

from django.db.models import QuerySet

from orderwatch.access.policy import visible_cases
from orderwatch.accounts.models import User
from orderwatch.notifications.models import Notification


def my_notifications(*, user: User) -> QuerySet[Notification]:
    """Return the user's notifications on cases they work on now, newest first."""
    return Notification.objects.filter(recipient=user, case__in=visible_cases(user)).select_related(
        "case"
    )


def unread_count(*, user: User) -> int:
    return my_notifications(user=user).filter(read_at__isnull=True).count()
