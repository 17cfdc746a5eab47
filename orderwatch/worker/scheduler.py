"""The one scheduler process: runs each scheduled job in turn when it is due, in this process,
and keeps going through a job's failure and a database outage (ADR 0036).

When each job is due is `schedule`'s business (pure); this module runs them. Every job is safe
to re-run and to run at the same time as itself, so a job cut off midway, or a second scheduler
started by mistake, does no harm. Logs name the job and the kind of error only: an error's
message can quote the data it was handling.
"""

import datetime as dt
import logging
import threading
import zoneinfo

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connections
from django.utils import timezone

from orderwatch.worker import selectors, services
from orderwatch.worker.runner import DATABASE_ERRORS, reconnect_delays
from orderwatch.worker.schedule import Job, due_jobs, seconds_until_next, service_jobs

logger = logging.getLogger(__name__)

# The longest the scheduler sleeps before looking again, whatever is due next: a clock that was
# set, or jobs run by hand meanwhile, are noticed within a minute.
LONGEST_NAP_SECONDS = 60.0


class DatabaseUnavailable(Exception):
    """The database could not be reached, so `--once` could not do its work."""


def jobs() -> list[Job]:
    """Return the service's scheduled jobs, in the service's time zone."""
    return service_jobs(zoneinfo.ZoneInfo(settings.TIME_ZONE))


class Scheduler:
    """Run each job when it is due, one at a time, until told to stop.

    `stop()` (from a signal handler) lets the job in hand finish, then the scheduler returns.
    """

    def __init__(self, *, jobs: list[Job]) -> None:
        self.jobs = jobs
        self.stopping = threading.Event()
        self.failed: list[str] = []

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        """Run the jobs as they fall due, until stopped."""
        while not self.stopping.is_set():
            try:
                self.run_due()
                wait = seconds_until_next(
                    self.jobs, selectors.scheduled_job_last_starts(), timezone.now()
                )
            except DATABASE_ERRORS as error:
                logger.warning(
                    "The scheduler lost the database (%s); reconnecting.", type(error).__name__
                )
                self._wait_for_database()
                continue
            # Hold no connection while asleep: it could be stale on waking.
            connections.close_all()
            self.stopping.wait(min(wait, LONGEST_NAP_SECONDS))

    def run_once(self) -> None:
        """Run every job due now, once; raise DatabaseUnavailable if the database is away."""
        try:
            self.run_due()
        except DATABASE_ERRORS as error:
            logger.warning("The scheduler could not reach the database (%s).", type(error).__name__)
            raise DatabaseUnavailable(type(error).__name__) from None
        finally:
            connections.close_all()

    def run_due(self) -> None:
        """Run each job due now, in the schedule's order, unless told to stop between them.

        A job that fails is recorded as run, and waits for its next turn; the others run. A
        database error escapes unless the database still answers, in which case it was that
        job's own failure.
        """
        close_old_connections()
        for job in due_jobs(self.jobs, selectors.scheduled_job_last_starts(), timezone.now()):
            if self.stopping.is_set():
                return
            self.run_job(job)

    def run_job(self, job: Job) -> None:
        started_at = timezone.now()
        close_old_connections()
        try:
            call_command(job.command)
        except DATABASE_ERRORS as error:
            if not _database_answers():
                raise
            self._job_failed(job, started_at=started_at, error=error)
        except Exception as error:  # one job's failure must not stop the others
            self._job_failed(job, started_at=started_at, error=error)
        else:
            services.scheduled_job_record(command=job.command, started_at=started_at)
            logger.info(
                "Scheduled job %s finished in %.1f s.",
                job.command,
                (timezone.now() - started_at).total_seconds(),
            )

    def _job_failed(self, job: Job, *, started_at: dt.datetime, error: Exception) -> None:
        kind = type(error).__name__
        logger.error("Scheduled job %s failed (%s).", job.command, kind)
        self.failed.append(job.command)
        services.scheduled_job_record(command=job.command, started_at=started_at, error=kind)

    def _wait_for_database(self) -> None:
        """Wait, with a growing delay, until the database answers (or the scheduler stops)."""
        cap = settings.ORDERWATCH_WORKER_RECONNECT_MAX_SECONDS
        for delay in reconnect_delays(cap):
            connections.close_all()
            if self.stopping.wait(delay):
                return
            if _database_answers():
                logger.info("The scheduler reconnected to the database.")
                return
            logger.warning(
                "The scheduler: the database is still unavailable; next try in %.0f s.",
                min(delay * 2, cap),
            )


def _database_answers() -> bool:
    """Return whether the database answers now, on a fresh connection."""
    connections.close_all()
    try:
        selectors.scheduled_job_last_starts()
    except DATABASE_ERRORS:
        return False
    return True
