"""Refuse worker timings that would take running tasks from live workers (ADR 0019)."""

from django.conf import settings
from django.core.checks import Error

# A live worker can miss a beat or two (a slow database); its lease must outlast them.
HEARTBEATS_PER_LEASE = 3


def worker_timings_check(app_configs, **kwargs) -> list[Error]:
    """Return an error unless the lease is at least three heartbeats long."""
    heartbeat = settings.ORDERWATCH_WORKER_HEARTBEAT_SECONDS
    lease = settings.ORDERWATCH_WORKER_LEASE_SECONDS
    if heartbeat > 0 and lease >= HEARTBEATS_PER_LEASE * heartbeat:
        return []
    return [
        Error(
            "ORDERWATCH_WORKER_LEASE_SECONDS must be at least three times "
            "ORDERWATCH_WORKER_HEARTBEAT_SECONDS (which must be more than 0), or live workers "
            "would have their tasks taken from them.",
            id="worker.E001",
        )
    ]
