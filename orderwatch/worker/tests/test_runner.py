"""The worker waits for a database that went away, with a growing, capped delay, and carries on;
its heartbeat judges other workers only once it has beaten steadily for a whole lease."""

import logging

import pytest
from django.db import InterfaceError, OperationalError
from django_tasks_db.management.commands.db_worker import Worker

from orderwatch.worker import runner
from orderwatch.worker.models import WorkerHeartbeat
from orderwatch.worker.tests.factories import worker

# What a driver may say when the database goes away: it can quote what it was sending.
DRIVER_MESSAGE = "server closed the connection unexpectedly while sending jordan@example.org"


def test_reconnect_delays_double_up_to_the_cap():
    delays = runner.reconnect_delays(cap=5)
    assert [next(delays) for _ in range(6)] == [1, 2, 4, 5, 5, 5]


class FakeServices:
    """The worker's services, over a database that can be away for a number of tries."""

    def __init__(self):
        self.tries_away = 0
        self.beats = 0
        self.requeues = 0

    def worker_heartbeat_record(self, *, worker_id):
        if self.tries_away:
            self.tries_away -= 1
            raise OperationalError(DRIVER_MESSAGE)
        self.beats += 1

    def worker_own_tasks_requeue(self, *, worker_id):
        self.requeues += 1
        return 0

    def worker_heartbeat_delete(self, *, worker_id):
        pass


class NoHeartbeat:
    def __init__(self, *, worker_id):
        self.stopping = self

    def start(self):
        pass

    def set(self):
        pass

    def join(self, timeout):
        pass


@pytest.fixture
def database_away(monkeypatch, settings):
    """A worker whose loop loses the database twice, then runs to the end; returns the waits."""
    settings.ORDERWATCH_WORKER_RECONNECT_MAX_SECONDS = 3
    fake = FakeServices()
    # Away for three tries the first time, back at the first try the second.
    losses = [(OperationalError(DRIVER_MESSAGE), 3), (InterfaceError(DRIVER_MESSAGE), 0)]
    loops = []

    def library_loop(self):
        loops.append(self.worker_id)
        if losses:
            error, fake.tries_away = losses.pop(0)
            raise error

    waits = []
    monkeypatch.setattr(Worker, "run", library_loop)
    monkeypatch.setattr(runner, "services", fake)
    monkeypatch.setattr(runner, "Heartbeat", NoHeartbeat)
    monkeypatch.setattr(runner, "sleep", waits.append)
    return waits, loops, fake


def test_the_worker_reconnects_with_a_capped_backoff_instead_of_exiting(database_away, caplog):
    waits, loops, fake = database_away
    caplog.set_level(logging.INFO, logger="orderwatch.worker")

    worker("w1").run()

    # Lost once: away for three tries (after 1, 2 and 3 s, the cap), back on the fourth (3 s);
    # lost again: back at the first try.
    assert waits == [1, 2, 3, 3, 1]
    assert loops == ["w1", "w1", "w1"], "the loop carried on after each loss"
    assert fake.requeues == 3, "tasks cut off are queued again before each return to the loop"
    assert "Worker w1 lost the database (OperationalError); reconnecting." in caplog.text
    assert "Worker w1 lost the database (InterfaceError); reconnecting." in caplog.text
    assert "still unavailable (OperationalError); next try in 3 s" in caplog.text
    assert caplog.text.count("Worker w1 reconnected to the database.") == 2
    assert "jordan" not in caplog.text
    assert "server closed" not in caplog.text


def test_a_worker_told_to_stop_while_the_database_is_away_stops(database_away, monkeypatch):
    waits, loops, _ = database_away
    running = worker("w2")

    def stop_during_wait(delay):
        waits.append(delay)
        running.running = False

    monkeypatch.setattr(runner, "sleep", stop_during_wait)
    running.run()

    assert loops == ["w2"]
    assert waits == [1]


@pytest.mark.django_db
def test_the_heartbeat_judges_other_workers_only_after_a_steady_lease(monkeypatch, settings):
    settings.ORDERWATCH_WORKER_LEASE_SECONDS = 60
    clock = [1000.0]
    recoveries = []
    monkeypatch.setattr(runner, "monotonic", lambda: clock[0])
    monkeypatch.setattr(runner.services, "worker_tasks_recover", lambda: recoveries.append(1))
    # Inside the test's transaction, closing "old" connections would close the test's own.
    monkeypatch.setattr(runner, "close_old_connections", lambda: None)
    heartbeat = runner.Heartbeat(worker_id="w3")

    heartbeat.beat()
    clock[0] += 59
    heartbeat.beat()
    assert recoveries == []
    assert WorkerHeartbeat.objects.filter(worker_id="w3").exists()

    clock[0] += 1
    heartbeat.beat()
    assert recoveries == [1]

    # The database goes away: after it comes back, a whole lease again before judging.
    def away(**kwargs):
        raise OperationalError(DRIVER_MESSAGE)

    with monkeypatch.context() as patched:
        patched.setattr(runner.services, "worker_heartbeat_record", away)
        heartbeat.beat()
    clock[0] += 30
    heartbeat.beat()
    assert recoveries == [1]
    clock[0] += 60
    heartbeat.beat()
    assert recoveries == [1, 1]
