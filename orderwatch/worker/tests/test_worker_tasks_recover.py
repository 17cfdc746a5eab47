"""A task left running by a worker that stopped runs again within about two minutes, and takes
over the work it had claimed; a live worker's task, and the work it holds, are left to it."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from orderwatch.exports.models import Export
from orderwatch.exports.services import exports_requeue
from orderwatch.exports.tasks import export_build
from orderwatch.exports.tests.factories import ExportFactory
from orderwatch.notifications.models import Notification
from orderwatch.notifications.tasks import notification_email_send
from orderwatch.notifications.tests.factories import NotificationFactory
from orderwatch.worker.models import WorkerHeartbeat
from orderwatch.worker.services import TASK_MAX_RUNS, worker_tasks_recover
from orderwatch.worker.tests.factories import (
    run_as_worker,
    task_left_running,
    worker_last_heard,
)

pytestmark = pytest.mark.django_db

A_MINUTE = dt.timedelta(minutes=1)


def email_being_sent(case, recipient, *, task) -> Notification:
    """An alert email whose send `task` claimed and had not finished."""
    return NotificationFactory(
        case=case,
        recipient=recipient,
        email_status=Notification.EmailStatus.PENDING,
        email_attempts=1,
        email_attempted_at=task.started_at,
        email_attempt_task=task.pk,
    )


def build_under_way(case, requester, *, task) -> Export:
    """A chronology whose build `task` claimed and had not finished."""
    return ExportFactory(
        case=case,
        created_by=requester,
        status=Export.Status.BUILDING,
        attempts=1,
        attempted_at=task.started_at,
        attempt_task=task.pk,
    )


def test_an_email_whose_worker_died_is_sent_when_its_task_runs_again(case, colleague, caplog):
    worker_last_heard("dead", ago=2 * A_MINUTE)
    task = task_left_running(notification_email_send, worker_ids=["dead"], ago=2 * A_MINUTE)
    notification = email_being_sent(case, colleague, task=task)
    task.args_kwargs["kwargs"] = {"notification_id": str(notification.pk)}
    task.save()

    assert worker_tasks_recover() == 1
    assert f"Task {task.pk} (orderwatch.notifications.tasks.notification_email_send)" in caplog.text
    assert "left unfinished by worker dead; queued again" in caplog.text
    assert str(notification.pk) not in caplog.text, "the log names no task argument"

    ran = run_as_worker(task, worker_id="second")
    assert ran.status == TaskResultStatus.SUCCESSFUL
    assert ran.worker_ids == ["dead", "second"]
    assert [m.to for m in mail.outbox] == [[colleague.email]]
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == ("sent", 2)


def test_a_document_build_whose_worker_died_is_built_when_its_task_runs_again(case, practitioner):
    worker_last_heard("dead", ago=2 * A_MINUTE)
    task = task_left_running(export_build, worker_ids=["dead"], ago=2 * A_MINUTE)
    export = build_under_way(case, practitioner, task=task)
    task.args_kwargs["kwargs"] = {"export_id": str(export.pk)}
    task.save()
    # While its task is taken to be running, nothing else builds it.
    assert exports_requeue() == 0

    worker_tasks_recover()

    # Not ten minutes later, as before: as soon as its task is queued again.
    assert exports_requeue() == 1
    run_as_worker(task, worker_id="second")
    export.refresh_from_db()
    assert (export.status, export.attempts) == (Export.Status.READY, 2)


def test_a_live_workers_task_and_the_work_it_holds_are_left_to_it(case, colleague):
    worker_last_heard("live", ago=dt.timedelta(seconds=5))
    task = task_left_running(notification_email_send, worker_ids=["live"], ago=30 * A_MINUTE)
    notification = email_being_sent(case, colleague, task=task)

    assert worker_tasks_recover() == 0
    task.refresh_from_db()
    assert (task.status, task.worker_ids) == (TaskResultStatus.RUNNING, ["live"])
    # Half an hour into its send, the old ten-minute rule would have sent it again.
    call_command("send_pending_emails")
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_attempts == 1


def test_a_task_is_not_taken_before_its_worker_has_been_silent_for_the_lease(settings):
    settings.ORDERWATCH_WORKER_LEASE_SECONDS = 90
    worker_last_heard("quiet", ago=dt.timedelta(seconds=80))
    task = task_left_running(notification_email_send, worker_ids=["quiet"], ago=2 * A_MINUTE)

    assert worker_tasks_recover() == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_claimed_by_a_worker_with_no_heartbeat_is_run_again():
    """As `db_worker` (which records none) leaves it, once a lease has passed since it started."""
    old = task_left_running(notification_email_send, worker_ids=["db-worker"], ago=2 * A_MINUTE)
    new = task_left_running(
        notification_email_send, worker_ids=["db-worker"], ago=dt.timedelta(seconds=30)
    )

    assert worker_tasks_recover() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def test_a_task_whose_worker_stopped_every_time_is_failed_not_run_again():
    task = task_left_running(
        notification_email_send,
        worker_ids=[f"dead-{n}" for n in range(TASK_MAX_RUNS)],
        ago=2 * A_MINUTE,
    )

    assert worker_tasks_recover() == 0

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "orderwatch.worker.services.WorkerLost"
    assert task.finished_at == timezone.now()


def test_heartbeats_of_workers_long_gone_are_deleted():
    worker_last_heard("yesterday", ago=dt.timedelta(days=1, minutes=1))
    worker_last_heard("just-now", ago=dt.timedelta(seconds=1))

    worker_tasks_recover()

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["just-now"]
