"""Run the scheduled work: the one scheduler process of the production shape (ADR 0036)."""

import datetime as dt
import signal
import sys
from types import FrameType

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from orderwatch.worker import selectors
from orderwatch.worker.schedule import Daily, Every, When, next_due
from orderwatch.worker.scheduler import DatabaseUnavailable, Scheduler, jobs


class Command(BaseCommand):
    help = (
        "Run each scheduled job (reminders, audit checkpoints, email and document retries, the "
        "stored-file sweep and checks, purging old sign-in records) when it is due, in this "
        "process, until stopped. SIGTERM or Ctrl+C lets the job in hand finish first."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--once",
            action="store_true",
            help="Run every job that is due once, then exit (non-zero if any failed): for cron.",
        )
        mode.add_argument(
            "--list",
            action="store_true",
            dest="list_jobs",
            help="Show each job's schedule, its last run and when it is next due; run nothing.",
        )

    def handle(self, *args, once: bool, list_jobs: bool, **options):
        if list_jobs:
            self._list()
            return
        scheduler = Scheduler(jobs=jobs())
        self._stop_on_signals(scheduler)
        if once:
            try:
                scheduler.run_once()
            except DatabaseUnavailable as error:
                raise CommandError(f"The database is unavailable ({error}).") from None
            if scheduler.failed:
                raise CommandError(f"Scheduled job(s) failed: {', '.join(scheduler.failed)}.")
            return
        self.stdout.write("The scheduler is running (SIGTERM or Ctrl+C to stop).")
        scheduler.run()
        self.stdout.write("The scheduler has stopped.")

    def _stop_on_signals(self, scheduler: Scheduler) -> None:
        """Stop after the job in hand on SIGTERM or SIGINT; at once on a second one."""

        def stop(signum: int, frame: FrameType | None) -> None:
            if scheduler.stopping.is_set():
                sys.exit(1)
            self.stderr.write(
                f"{signal.strsignal(signum)}: stopping once the job in hand finishes "
                "(again to stop at once)."
            )
            scheduler.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def _list(self) -> None:
        runs = selectors.scheduled_jobs_by_command()
        now = timezone.now()
        for job in jobs():
            run = runs.get(job.command)
            if run is None:
                self.stdout.write(f"{job.command}: {_describe(job.when)}; never run; due now.")
                continue
            outcome = f"failed ({run.last_error})" if run.last_error else "succeeded"
            due = next_due(job.when, run.last_started_at)
            self.stdout.write(
                f"{job.command}: {_describe(job.when)}; last started "
                f"{_moment(run.last_started_at)}, {outcome}; "
                f"next due {_moment(due) if due > now else 'now'}."
            )


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _describe(when: When) -> str:
    if isinstance(when, Every):
        return f"every {int(when.interval.total_seconds() // 60)} minutes"
    day = "daily" if isinstance(when, Daily) else f"{_WEEKDAYS[when.weekday]}s"
    return f"{day} at {when.at:%H:%M}"


def _moment(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M %Z}"
