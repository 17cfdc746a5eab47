"""The worker keeps working across a database restart, and runs again what a dead worker left.

The worker runs in a thread with its own database connections, as `run_worker` runs in its own
process. A restart, as the client sees it, is every connection cut (`pg_terminate_backend`)
and, for a moment, new ones refused.
"""

import contextlib
import datetime as dt
import logging
import threading
import time

import psycopg
import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django_tasks import TaskResultStatus

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.notifications.models import Notification
from orderwatch.notifications.tasks import notification_email_send
from orderwatch.notifications.tests.factories import NotificationFactory
from orderwatch.worker.models import WorkerHeartbeat
from orderwatch.worker.services import worker_heartbeat_record
from orderwatch.worker.tests.factories import task_left_running, worker, worker_last_heard

# Serialized rollback restores what migrations made (the catalogue, the audit chain's head),
# which a transactional test's flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT_SECONDS = 30


@pytest.fixture
def running_worker(settings):
    """A worker running in a thread, with short intervals; stopped (and checked) at the end."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ORDERWATCH_WORKER_HEARTBEAT_SECONDS = 0.2
    settings.ORDERWATCH_WORKER_LEASE_SECONDS = 3
    settings.ORDERWATCH_WORKER_RECONNECT_MAX_SECONDS = 0.5
    running = worker("resilient", interval=0.1)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    yield thread
    running.running = False
    thread.join(timeout=WAIT_SECONDS)
    assert not thread.is_alive()


def wait_for(condition) -> None:
    """Wait until `condition()` holds, or fail after a while."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "the worker did not do the work in time"
        time.sleep(0.1)


@contextlib.contextmanager
def another_worker_beating(worker_id: str):
    """Keep the heartbeat of another, live worker fresh while inside."""
    stopping = threading.Event()

    def beat():
        try:
            while not stopping.wait(0.1):
                worker_heartbeat_record(worker_id=worker_id)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join(timeout=WAIT_SECONDS)


@contextlib.contextmanager
def database_restarting():
    """Cut every connection to the test database but the test's own, and refuse new ones while
    inside (from the server's maintenance database: a database cannot close itself)."""
    params = connection.get_connection_params()
    name = params.pop("dbname")
    quoted = connection.ops.quote_name(name)
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {quoted} WITH ALLOW_CONNECTIONS false")
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                (own,) = cursor.fetchone()
            (cut,) = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> %s",
                [name, own],
            ).fetchone()
            assert cut >= 1, "the worker had no connection to cut"
            yield
        finally:
            admin.execute(f"ALTER DATABASE {quoted} WITH ALLOW_CONNECTIONS true")


def emails_to(user) -> int:
    return sum(message.to == [user.email] for message in mail.outbox)


def test_the_worker_keeps_working_across_a_database_restart(
    running_worker, practitioner, colleague, case, order, caplog
):
    caplog.set_level(logging.INFO, logger="orderwatch.worker")
    breach_record(actor=practitioner, case=case, account=breach_account())
    wait_for(lambda: emails_to(colleague) == 1)

    with database_restarting():
        time.sleep(1.5)  # the worker tries, and is refused, meanwhile
    breach_record(actor=practitioner, case=case, account=breach_account())

    wait_for(lambda: emails_to(colleague) == 2)
    assert running_worker.is_alive()
    assert not Notification.objects.exclude(email_status=Notification.EmailStatus.SENT).exists()
    assert "Worker resilient lost the database" in caplog.text
    assert "reconnected to the database" in caplog.text
    assert colleague.email not in caplog.text
    assert WorkerHeartbeat.objects.filter(worker_id="resilient").exists()


def test_a_task_left_by_a_dead_worker_runs_again_and_a_live_workers_is_not_taken(
    running_worker, case, colleague, practitioner
):
    # Made together, so the worker sees the tasks only as a dead and a live worker left them.
    with transaction.atomic():
        worker_last_heard("dead", ago=dt.timedelta(minutes=2))
        worker_heartbeat_record(worker_id="live")
        tasks = {}
        for worker_id, recipient in (("dead", colleague), ("live", practitioner)):
            task = task_left_running(
                notification_email_send, worker_ids=[worker_id], ago=dt.timedelta(minutes=2)
            )
            notification = NotificationFactory(
                case=case,
                recipient=recipient,
                email_status=Notification.EmailStatus.PENDING,
                email_attempts=1,
                email_attempted_at=task.started_at,
                email_attempt_task=task.pk,
            )
            task.args_kwargs["kwargs"] = {"notification_id": str(notification.pk)}
            task.save()
            tasks[worker_id] = task

    with another_worker_beating("live"):
        wait_for(lambda: emails_to(colleague) == 1)
        held = tasks["live"]
        held.refresh_from_db()
        assert (held.status, held.worker_ids) == (TaskResultStatus.RUNNING, ["live"])

    left = tasks["dead"]
    # The email goes before the worker records the task as done: wait for that too.
    wait_for(lambda: left.refresh_from_db() or left.status != TaskResultStatus.RUNNING)
    assert (left.status, left.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["dead", "resilient"])
    assert emails_to(practitioner) == 0
