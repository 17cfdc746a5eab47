"""The background worker: django-tasks-db's worker, kept running through database outages,
with a heartbeat so that work left by a worker that died runs again (ADR 0019).

The library's worker exits on any database error but a locked SQLite file; this one waits for
the database with a growing, capped delay and carries on. Logs name the worker and the kind of
error only: a driver's message can quote the data it was sending.
"""

import logging
import threading
from collections.abc import Iterator
from time import monotonic, sleep

import structlog
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from orderwatch.worker import services
from orderwatch.worker.claims import claims_held_by

logger = logging.getLogger(__name__)

# What a database that went away (restarted, failed over, dropped the connection) raises.
DATABASE_ERRORS = (OperationalError, InterfaceError)
FIRST_RECONNECT_DELAY = 1.0


def reconnect_delays(cap: float) -> Iterator[float]:
    """Yield the waits between tries to reach the database: 1 s, doubling, never over `cap`."""
    delay = FIRST_RECONNECT_DELAY
    while True:
        yield min(delay, cap)
        delay *= 2


class Heartbeat(threading.Thread):
    """Record the worker's heartbeat every few seconds, in its own thread, so a long task does
    not hold it up; and queue again the tasks of workers that stopped.

    Recovery waits until this worker has beaten steadily for a whole lease, so after the
    database comes back other live workers have had time to beat before their work is judged.
    """

    def __init__(self, *, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self._steady_since: float | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.beat()
                self.stopping.wait(settings.ORDERWATCH_WORKER_HEARTBEAT_SECONDS)
        finally:
            connections.close_all()

    def beat(self) -> None:
        try:
            close_old_connections()
            services.worker_heartbeat_record(worker_id=self.worker_id)
            now = monotonic()
            if self._steady_since is None:
                self._steady_since = now
            if now - self._steady_since >= settings.ORDERWATCH_WORKER_LEASE_SECONDS:
                services.worker_tasks_recover()
        except DATABASE_ERRORS as error:
            if self._steady_since is not None:
                logger.warning(
                    "Worker %s could not record its heartbeat (%s); trying again.",
                    self.worker_id,
                    type(error).__name__,
                )
            self._steady_since = None
        except Exception:
            # Anything else is a fault here, not in the database: say so, and keep beating,
            # or this worker's tasks would be taken from it while it runs them.
            logger.exception("Worker %s heartbeat failed.", self.worker_id)


class ResilientWorker(Worker):
    """django-tasks-db's worker that reconnects instead of exiting, and beats while it runs."""

    def run(self) -> None:
        heartbeat = Heartbeat(worker_id=self.worker_id)
        heartbeat.start()
        try:
            while self.running:
                try:
                    # Beat before taking any task, so no task is held by a worker with no
                    # heartbeat; then queue again what is left running under this worker's id:
                    # a task cut off when the database went, or left by an earlier run with the
                    # same `--worker-id`. This worker is running nothing yet.
                    services.worker_heartbeat_record(worker_id=self.worker_id)
                    services.worker_own_tasks_requeue(worker_id=self.worker_id)
                    super().run()
                    return
                except DATABASE_ERRORS as error:
                    logger.warning(
                        "Worker %s lost the database (%s); reconnecting.",
                        self.worker_id,
                        type(error).__name__,
                    )
                    self._wait_for_database()
        finally:
            heartbeat.stopping.set()
            heartbeat.join(timeout=settings.ORDERWATCH_WORKER_HEARTBEAT_SECONDS + 5)
            self._forget_heartbeat()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # Every log line the task writes names it (ADR 0033), as a request id names a request.
        with (
            structlog.contextvars.bound_contextvars(task_id=str(db_task_result.pk)),
            claims_held_by(db_task_result.pk),
        ):
            super().run_task(db_task_result)

    def _wait_for_database(self) -> None:
        """Wait, with a growing delay, until the database answers (or the worker is stopped)."""
        cap = settings.ORDERWATCH_WORKER_RECONNECT_MAX_SECONDS
        for delay in reconnect_delays(cap):
            connections.close_all()
            sleep(delay)
            if not self.running:
                return
            try:
                services.worker_heartbeat_record(worker_id=self.worker_id)
            except DATABASE_ERRORS as error:
                logger.warning(
                    "Worker %s: the database is still unavailable (%s); next try in %.0f s.",
                    self.worker_id,
                    type(error).__name__,
                    min(delay * 2, cap),
                )
                continue
            logger.info("Worker %s reconnected to the database.", self.worker_id)
            return

    def _forget_heartbeat(self) -> None:
        try:
            services.worker_heartbeat_delete(worker_id=self.worker_id)
        except DATABASE_ERRORS as error:
            # Its heartbeat simply grows old, as a dead worker's does.
            logger.info("Worker %s left its heartbeat (%s).", self.worker_id, type(error).__name__)
        finally:
            connections.close_all()
