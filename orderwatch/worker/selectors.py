"""Reads about the workers themselves (queue bookkeeping, not case data)."""

from django.utils import timezone

from orderwatch.worker.models import WorkerHeartbeat
from orderwatch.worker.services import worker_lease


def worker_heard_within_lease() -> bool:
    """Return whether some worker has recorded a heartbeat within the lease: one is running."""
    return WorkerHeartbeat.objects.filter(beat_at__gt=timezone.now() - worker_lease()).exists()
