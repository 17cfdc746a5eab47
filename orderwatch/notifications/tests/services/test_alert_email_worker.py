"""With the database task backend (the default outside tests), `manage.py db_worker` sends the
queued email; a failure is recorded by the backend too, and a retry is queued for later."""

import pytest
from django.core import mail
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.notifications.models import Notification
from orderwatch.notifications.services import email_retry_delay

pytestmark = pytest.mark.django_db

REFUSING = "orderwatch.notifications.tests.services.test_alert_emails.RefusingBackend"


def test_the_worker_sends_the_queued_email(
    practitioner, colleague, case, order, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        breach_record(actor=practitioner, case=case, account=breach_account())
    queued = DBTaskResult.objects.get()
    notification = Notification.objects.get(recipient=colleague)
    # The queue holds the notification's id, nothing else.
    assert queued.args_kwargs == {"args": [], "kwargs": {"notification_id": str(notification.pk)}}
    assert mail.outbox == []

    run_worker()

    assert [m.to for m in mail.outbox] == [[colleague.email]]
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT


def test_a_failed_send_is_recorded_by_the_worker_and_retried_later(
    practitioner,
    colleague,
    case,
    order,
    settings,
    time_machine,
    run_worker,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        breach_record(actor=practitioner, case=case, account=breach_account())
    settings.EMAIL_BACKEND = REFUSING
    run_worker()

    failed = DBTaskResult.objects.failed().get()
    assert failed.exception_class_path.endswith("EmailNotSent")
    assert colleague.email not in failed.traceback
    assert "SMTPRecipientsRefused" in failed.traceback
    retry = DBTaskResult.objects.exclude(pk=failed.pk).get()
    assert retry.status == TaskResultStatus.READY
    assert retry.run_after > failed.finished_at

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker()
    assert mail.outbox == [], "the retry waits for its delay"

    time_machine.shift(email_retry_delay(1))
    run_worker()
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
