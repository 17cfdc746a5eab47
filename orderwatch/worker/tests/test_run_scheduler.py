"""`manage.py run_scheduler` runs each scheduled job when it is due, once; a job's failure stops
no other; SIGTERM lets the job in hand finish; the database going away is waited out."""

import datetime as dt
import logging
import os
import signal
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from orderwatch.worker import scheduler
from orderwatch.worker.models import ScheduledJob

# The jobs close the connections they used, as a long-running process must.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FREQUENT = [
    "send_reminders",
    "audit_checkpoint",
    "send_pending_emails",
    "prepare_pending_exports",
    "send_webhooks",
]
EVERY_JOB = [
    *FREQUENT,
    "sweep_stored_files",
    "purge_sign_in_records",
    "clearsessions",
    "purge_api_records",
    "purge_webhook_deliveries",
    "verify_stored_files",
]
# What an error may say: it can quote the data it was handling.
ERROR_MESSAGE = "could not write jordan@example.org at 12 Acacia Avenue"


@pytest.fixture
def signals_kept():
    """Put back the test run's signal handlers, which the scheduler replaces with its own."""
    saved = {name: signal.getsignal(name) for name in (signal.SIGINT, signal.SIGTERM)}
    yield
    for name, handler in saved.items():
        signal.signal(name, handler)


@pytest.fixture
def ran(monkeypatch):
    """The jobs the scheduler runs, in order; each still runs its real command."""
    commands = []
    real = scheduler.call_command

    def spy(command):
        commands.append(command)
        real(command, stdout=StringIO(), stderr=StringIO())

    monkeypatch.setattr(scheduler, "call_command", spy)
    return commands


def test_once_runs_every_job_once_and_a_restart_runs_none_again(ran, signals_kept, time_machine):
    call_command("run_scheduler", once=True)

    assert ran == EVERY_JOB
    jobs = ScheduledJob.objects.all()
    assert {job.command for job in jobs} == set(EVERY_JOB)
    assert all(job.last_error == "" for job in jobs)

    ran.clear()
    call_command("run_scheduler", once=True)
    assert ran == [], "nothing is due again straight after it ran"

    time_machine.shift(dt.timedelta(minutes=15))
    call_command("run_scheduler", once=True)
    assert ran == FREQUENT

    # Thursday 10:15 to Friday 03:35 (London): the sweep's time has passed, not the purge's.
    ran.clear()
    time_machine.shift(dt.timedelta(hours=17, minutes=20))
    call_command("run_scheduler", once=True)
    assert ran == [*FREQUENT, "sweep_stored_files"]


def test_a_failing_job_stops_no_other_and_is_logged_by_its_kind_only(
    monkeypatch, signals_kept, caplog
):
    ran = []

    def run(command):
        ran.append(command)
        if command == "audit_checkpoint":
            raise RuntimeError(ERROR_MESSAGE)
        if command == "send_pending_emails":
            # An error the database raised, while it still answers: the job's own failure.
            raise OperationalError(ERROR_MESSAGE)

    monkeypatch.setattr(scheduler, "call_command", run)

    with pytest.raises(CommandError, match="audit_checkpoint, send_pending_emails"):
        call_command("run_scheduler", once=True)

    assert ran == EVERY_JOB, "every job ran, in turn"
    failed = dict(ScheduledJob.objects.exclude(last_error="").values_list("command", "last_error"))
    assert failed == {"audit_checkpoint": "RuntimeError", "send_pending_emails": "OperationalError"}
    assert "Scheduled job audit_checkpoint failed (RuntimeError)." in caplog.text
    assert "Scheduled job send_pending_emails failed (OperationalError)." in caplog.text
    assert "jordan" not in caplog.text
    assert "Acacia" not in caplog.text

    ran.clear()
    call_command("run_scheduler", once=True)
    assert ran == [], "a failed job waits for its next turn rather than failing in a loop"


def test_sigterm_lets_the_job_in_hand_finish_then_stops(monkeypatch, signals_kept):
    ran, finished = [], []

    def run(command):
        ran.append(command)
        os.kill(os.getpid(), signal.SIGTERM)
        finished.append(command)

    monkeypatch.setattr(scheduler, "call_command", run)

    call_command("run_scheduler")  # returns only because it was told to stop

    assert ran == finished == ["send_reminders"]
    assert list(ScheduledJob.objects.values_list("command", "last_error")) == [
        ("send_reminders", "")
    ]


def test_a_second_signal_stops_the_job_in_hand_at_once(monkeypatch, signals_kept):
    finished = []

    def run(command):
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)
        finished.append(command)

    monkeypatch.setattr(scheduler, "call_command", run)

    with pytest.raises(SystemExit) as stopped:
        call_command("run_scheduler")

    assert stopped.value.code == 1
    assert finished == []
    assert not ScheduledJob.objects.exists(), "a job cut off is not recorded as run"


def test_sigterm_while_waiting_for_the_next_job_stops_the_scheduler(monkeypatch, signals_kept):
    ran = []
    monkeypatch.setattr(scheduler, "call_command", ran.append)
    waiting = threading.Event()
    nap = scheduler.Scheduler.run

    def run_then_say_so(self):
        real_wait = self.stopping.wait

        def wait(timeout):
            waiting.set()
            return real_wait(timeout)

        self.stopping.wait = wait
        nap(self)

    monkeypatch.setattr(scheduler.Scheduler, "run", run_then_say_so)
    pid = os.getpid()
    threading.Thread(
        target=lambda: waiting.wait(30) and os.kill(pid, signal.SIGTERM), daemon=True
    ).start()

    call_command("run_scheduler")

    assert ran == EVERY_JOB


def test_once_without_the_database_says_so_and_fails(monkeypatch, signals_kept):
    def away():
        raise OperationalError(ERROR_MESSAGE)

    monkeypatch.setattr(scheduler.selectors, "scheduled_job_last_starts", away)

    with pytest.raises(CommandError, match=r"^The database is unavailable \(OperationalError\)\.$"):
        call_command("run_scheduler", once=True)


def test_list_shows_each_jobs_schedule_and_last_run(monkeypatch, signals_kept):
    monkeypatch.setattr(scheduler, "call_command", lambda command: None)
    call_command("run_scheduler", once=True)
    ScheduledJob.objects.filter(command="sweep_stored_files").update(last_error="CommandError")

    out = _output("run_scheduler", list_jobs=True)

    assert (
        "send_reminders: every 15 minutes; last started 2026-03-05 10:00 GMT, succeeded; "
        "next due 2026-03-05 10:15 GMT." in out
    )
    assert (
        "sweep_stored_files: daily at 03:30; last started 2026-03-05 10:00 GMT, failed "
        "(CommandError); next due 2026-03-06 03:30 GMT." in out
    )
    assert "verify_stored_files: Sundays at 04:00;" in out
    assert "next due 2026-03-08 04:00 GMT." in out


def _output(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


class FakeStore:
    """The scheduler's record of runs, over a database that can be away for some tries."""

    def __init__(self):
        self.last_starts = {}
        self.tries_away = 0

    def scheduled_job_last_starts(self):
        if self.tries_away:
            self.tries_away -= 1
            raise OperationalError(ERROR_MESSAGE)
        return dict(self.last_starts)

    def scheduled_job_record(self, *, command, started_at, error=""):
        self.last_starts[command] = started_at


@pytest.mark.django_db(transaction=False)
def test_the_scheduler_waits_out_a_lost_database_and_runs_the_cut_off_job_again(
    monkeypatch, settings, caplog
):
    settings.ORDERWATCH_WORKER_RECONNECT_MAX_SECONDS = 3
    caplog.set_level(logging.INFO, logger="orderwatch.worker")
    store = FakeStore()
    monkeypatch.setattr(scheduler, "selectors", store)
    monkeypatch.setattr(scheduler, "services", store)
    # Inside the test's transaction, closing connections would close the test's own.
    monkeypatch.setattr(scheduler.connections, "close_all", lambda: None)
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)
    running = scheduler.Scheduler(
        jobs=[
            job for job in scheduler.jobs() if job.command in ("send_reminders", "audit_checkpoint")
        ]
    )
    ran, waits = [], []

    def run(command):
        ran.append(command)
        if command == "audit_checkpoint" and ran.count(command) == 1:
            store.tries_away = 4  # the job's own connection, then three tries
            raise OperationalError(ERROR_MESSAGE)
        if ran.count("audit_checkpoint") == 2:
            running.stop()

    def wait(delay):
        if running.stopping.is_set():
            return True
        waits.append(delay)
        if len(waits) > 10:  # a scheduler that never runs the job again: stop, and fail below
            running.stop()
        return False

    monkeypatch.setattr(scheduler, "call_command", run)
    running.stopping.wait = wait

    running.run()

    # Lost midway through the checkpoint: away for three tries (after 1, 2 and 3 s, the cap),
    # back on the fourth; then the checkpoint, still due, runs again; the reminders do not.
    assert waits == [1, 2, 3, 3]
    assert ran == ["send_reminders", "audit_checkpoint", "audit_checkpoint"]
    assert running.failed == [], "a lost database is not the job's failure"
    assert "The scheduler lost the database (OperationalError); reconnecting." in caplog.text
    assert "still unavailable; next try in 3 s" in caplog.text
    assert "The scheduler reconnected to the database." in caplog.text
    assert "jordan" not in caplog.text
