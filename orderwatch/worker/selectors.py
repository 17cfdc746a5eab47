"""What the scheduler knows of its jobs' past runs (ADR 0036)."""

import datetime as dt

from orderwatch.worker.models import ScheduledJob


def scheduled_job_last_starts() -> dict[str, dt.datetime]:
    """Return when each scheduled job last started, by command."""
    return dict(ScheduledJob.objects.values_list("command", "last_started_at"))


def scheduled_jobs_by_command() -> dict[str, ScheduledJob]:
    """Return the record of each scheduled job's last run, by command."""
    return {job.command: job for job in ScheduledJob.objects.all()}
