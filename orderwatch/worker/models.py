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
