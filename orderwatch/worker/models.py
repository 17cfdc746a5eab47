"""Which background workers are alive: each records a heartbeat while it runs (ADR 0019)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """The latest sign of life from one worker process (`manage.py run_worker`).

    A task left running by a worker whose heartbeat has stopped is queued again.
    """

    worker_id = models.CharField(primary_key=True, max_length=64)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Worker {self.worker_id}"


class ScheduledJob(models.Model):
    """When the scheduler (`manage.py run_scheduler`) last started one of its jobs, and how that
    run ended, so a restart does not run a daily job again (ADR 0036)."""

    command = models.CharField(primary_key=True, max_length=64)
    last_started_at = models.DateTimeField()
    last_finished_at = models.DateTimeField()
    # The kind of error the last run ended with (its class name, never its message); empty if
    # it succeeded.
    last_error = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"Scheduled job {self.command}"
