"""Opening a notification marks it read; someone else's does not exist."""

import uuid

import pytest
from django.http import Http404
from django.utils import timezone

from orderwatch.notifications.models import Notification
from orderwatch.notifications.selectors import unread_count
from orderwatch.notifications.services import notification_open, notifications_mark_all_read
from orderwatch.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_opening_marks_it_read_and_keeps_the_first_time(practitioner, case, time_machine):
    notification = NotificationFactory(recipient=practitioner, case=case)
    first = notification_open(actor=practitioner, notification_id=notification.pk).read_at
    assert first is not None
    time_machine.shift(60)
    assert notification_open(actor=practitioner, notification_id=notification.pk).read_at == first
    assert unread_count(user=practitioner) == 0


def test_someone_elses_notification_is_404_and_stays_unread(practitioner, colleague, case):
    notification = NotificationFactory(recipient=colleague, case=case)
    with pytest.raises(Http404):
        notification_open(actor=practitioner, notification_id=notification.pk)
    with pytest.raises(Http404):
        notification_open(actor=practitioner, notification_id=uuid.uuid4())
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_notification_on_a_case_the_user_has_left_is_404(practitioner, colleague, case):
    notification = NotificationFactory(recipient=colleague, case=case)
    case.team_memberships.filter(user=colleague).update(left_at=timezone.now())
    with pytest.raises(Http404):
        notification_open(actor=colleague, notification_id=notification.pk)
    assert unread_count(user=colleague) == 0


def test_mark_all_read_touches_only_the_actors_own(practitioner, colleague, case):
    NotificationFactory.create_batch(3, recipient=practitioner, case=case)
    theirs = NotificationFactory(recipient=colleague, case=case)
    assert notifications_mark_all_read(actor=practitioner) == 3
    assert unread_count(user=practitioner) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
