"""Telling the case team that something happened, without saying what in the message."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.notifications.models import Notification
from orderwatch.notifications.selectors import my_notifications


@transaction.atomic
def case_team_notify(*, actor: User, case: Case, kind: str, link: str) -> list[Notification]:
    """Notify everyone on the case team now, except the person who did it.

    Call it from inside the service that records the event, which has checked permissions.
    """
    recipients = (
        case.team_memberships.filter(left_at__isnull=True)
        .exclude(user=actor)
        .values_list("user_id", flat=True)
    )
    return Notification.objects.bulk_create(
        Notification(recipient_id=user_id, case=case, kind=kind, link=link, created_by=actor)
        for user_id in recipients
    )


@transaction.atomic(durable=True)
def notification_open(*, actor: User, notification_id) -> Notification:
    """Mark one of the actor's notifications read and return it (for its link)."""
    try:
        notification = my_notifications(user=actor).get(pk=notification_id)
    except (Notification.DoesNotExist, ValueError) as error:
        raise Http404 from error
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "modified_at"])
    return notification


@transaction.atomic(durable=True)
def notifications_mark_all_read(*, actor: User) -> int:
    """Mark all the actor's unread notifications read; return how many."""
    return my_notifications(user=actor).filter(read_at__isnull=True).update(read_at=timezone.now())
