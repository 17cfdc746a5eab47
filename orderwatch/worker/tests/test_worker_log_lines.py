"""The worker's log lines are JSON, and each line a task writes names the task."""

import signal

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from orderwatch.core.tests.log_lines import emitted_log_lines
from orderwatch.notifications.models import Notification
from orderwatch.notifications.services import notification_email_enqueue
from orderwatch.notifications.tests.factories import NotificationFactory

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


def test_the_lines_a_task_writes_name_it_and_no_others_do(case, colleague, signals_kept):
    notification = NotificationFactory(
        case=case, recipient=colleague, email_status=Notification.EmailStatus.PENDING
    )
    notification_email_enqueue(notification_id=notification.pk)
    queued = DBTaskResult.objects.get()

    with emitted_log_lines() as emitted:
        call_command(
            "run_worker", batch=True, reload=False, startup_delay=False, worker_id="w", verbosity=1
        )

    lines = emitted.parsed()
    task_lines = [line for line in lines if line["logger"] == "django_tasks"]
    assert task_lines
    assert {line.get("task_id") for line in task_lines} == {str(queued.pk)}
    assert any(line.get("task_id") is None for line in lines), "the worker's own lines"
    assert all("request_id" not in line for line in lines)
    assert colleague.email not in emitted.stream.getvalue()
