"""Keeping background work moving when a worker stops: heartbeats, and tasks queued again.

Queue bookkeeping, not case data: nothing here is audited (as for email delivery, ADR 0007).
Logs name tasks by id and function, never their arguments.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orderwatch.worker.models import ScheduledJob, WorkerHeartbeat

logger = logging.getLogger(__name__)

# A task whose worker stopped this many times is failed, not run again: it may be what stops them.
TASK_MAX_RUNS = 3
# Heartbeats of workers gone this long are deleted.
HEARTBEAT_KEEP = dt.timedelta(days=1)


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished, on every run."""


def worker_lease() -> dt.timedelta:
    """Return how long a worker may go without a heartbeat before it is taken to have died."""
    return dt.timedelta(seconds=settings.ORDERWATCH_WORKER_LEASE_SECONDS)


def worker_heartbeat_record(*, worker_id: str) -> None:
    """Record that the worker `worker_id` is alive now."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": now},
        create_defaults={"started_at": now, "beat_at": now},
    )


def worker_heartbeat_delete(*, worker_id: str) -> None:
    """Forget the worker `worker_id`, which has stopped on purpose."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def worker_tasks_recover() -> int:
    """Queue again every task left running by a worker that has stopped; return how many.

    A worker has stopped when its heartbeat is older than the lease (or it never recorded one,
    as `db_worker` does not). A task started less than a lease ago is left alone, and so is
    every task of a live worker. The tasks are safe to run again: each claims its work first.
    """
    now = timezone.now()
    live = set(
        WorkerHeartbeat.objects.filter(beat_at__gt=now - worker_lease()).values_list(
            "worker_id", flat=True
        )
    )
    with transaction.atomic(durable=True):
        left = (
            DBTaskResult.objects.running()
            .filter(started_at__lte=now - worker_lease())
            .select_for_update(skip_locked=True)
        )
        stranded = [r for r in left if not r.worker_ids or r.worker_ids[-1] not in live]
        recovered = _requeue(stranded, now=now)
    WorkerHeartbeat.objects.filter(beat_at__lt=now - HEARTBEAT_KEEP).delete()
    return recovered


def worker_own_tasks_requeue(*, worker_id: str) -> int:
    """Queue again the tasks left running under `worker_id`, which is running none; return how
    many. Their outcome was never recorded, so they count as not run."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        left = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        return _requeue(
            [result for result in left if result.worker_ids[-1:] == [worker_id]], now=now
        )


def _requeue(results: list[DBTaskResult], *, now: dt.datetime) -> int:
    """Put each task back in the queue, or fail it once it has been run `TASK_MAX_RUNS` times."""
    requeued = 0
    for result in results:
        running = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
        if len(result.worker_ids) >= TASK_MAX_RUNS:
            if running.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback="",
                return_value=None,
            ):
                logger.error(
                    "Task %s (%s) was left unfinished by its worker %d times; not run again.",
                    result.pk,
                    result.task_path,
                    len(result.worker_ids),
                )
            continue
        # Only if still running: it may have finished since it was read.
        if not running.update(status=TaskResultStatus.READY):
            continue
        requeued += 1
        logger.warning(
            "Task %s (%s) was left unfinished by worker %s; queued again.",
            result.pk,
            result.task_path,
            result.worker_ids[-1] if result.worker_ids else "unknown",
        )
    return requeued


def scheduled_job_record(*, command: str, started_at: dt.datetime, error: str = "") -> None:
    """Record that the scheduled job `command` started at `started_at` and has ended, with the
    kind of error it failed with (empty if it succeeded). Not audited: scheduler bookkeeping."""
    ScheduledJob.objects.update_or_create(
        command=command,
        defaults={
            "last_started_at": started_at,
            "last_finished_at": timezone.now(),
            "last_error": error,
        },
    )
