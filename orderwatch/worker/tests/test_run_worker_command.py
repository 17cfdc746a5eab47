"""`manage.py run_worker` runs queued work as `db_worker` does, with a heartbeat while it runs,
and the claims its tasks make name the task."""

import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orderwatch.notifications.models import Notification
from orderwatch.notifications.services import notification_email_enqueue
from orderwatch.notifications.tests.factories import NotificationFactory
from orderwatch.worker.models import WorkerHeartbeat

# Serialized rollback restores what migrations made (the catalogue), which a flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def signals_kept():
    """Put back the test run's signal handlers, which the worker replaces with its own."""
    names = [name for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)]
    saved = {name: signal.getsignal(getattr(signal, name)) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(getattr(signal, name), handler)


def test_run_worker_sends_the_queued_email_and_names_its_task_on_the_claim(
    case, colleague, signals_kept
):
    notification = NotificationFactory(
        case=case, recipient=colleague, email_status=Notification.EmailStatus.PENDING
    )
    notification_email_enqueue(notification_id=notification.pk)
    queued = DBTaskResult.objects.get()

    call_command(
        "run_worker", batch=True, reload=False, startup_delay=False, worker_id="one", verbosity=0
    )

    assert [m.to for m in mail.outbox] == [[colleague.email]]
    queued.refresh_from_db()
    assert (queued.status, queued.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["one"])
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.email_attempt_task == queued.pk
    assert not WorkerHeartbeat.objects.exists(), "a worker that stops on purpose says so"


def test_a_worker_started_again_with_the_same_id_runs_what_it_left_running(
    case, colleague, signals_kept
):
    notification = NotificationFactory(
        case=case, recipient=colleague, email_status=Notification.EmailStatus.PENDING
    )
    notification_email_enqueue(notification_id=notification.pk)
    left = DBTaskResult.objects.get()
    left.claim("fixed-id")  # and then the process was killed; systemd starts it again at once
    WorkerHeartbeat.objects.create(
        worker_id="fixed-id", started_at=left.started_at, beat_at=left.started_at
    )

    call_command(
        "run_worker",
        batch=True,
        reload=False,
        startup_delay=False,
        worker_id="fixed-id",
        verbosity=0,
    )

    assert [m.to for m in mail.outbox] == [[colleague.email]]
    left.refresh_from_db()
    assert (left.status, left.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["fixed-id"] * 2)
