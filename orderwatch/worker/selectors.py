"""Reads about the workers and the scheduler themselves (queue bookkeeping, not case data)."""

import datetime as dt

from django.utils import timezone

from orderwatch.worker.models import ScheduledJob, WorkerHeartbeat
from orderwatch.worker.services import worker_lease


def worker_heard_within_lease() -> bool:
    """Return whether some worker has recorded a heartbeat within the lease: one is running."""
    return WorkerHeartbeat.objects.filter(beat_at__gt=timezone.now() - worker_lease()).exists()


def scheduled_job_last_starts() -> dict[str, dt.datetime]:
    """Return when each scheduled job last started, by command (ADR 0036)."""
    return dict(ScheduledJob.objects.values_list("command", "last_started_at"))


def scheduled_jobs_by_command() -> dict[str, ScheduledJob]:
    """Return the record of each scheduled job's last run, by command."""
    return {job.command: job for job in ScheduledJob.objects.all()}
