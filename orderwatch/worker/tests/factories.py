"""Tasks and workers as a worker leaves them, for the tests of what happens when one stops."""

import datetime as dt

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from orderwatch.worker.models import WorkerHeartbeat
from orderwatch.worker.runner import ResilientWorker


def worker_last_heard(worker_id: str, *, ago: dt.timedelta) -> WorkerHeartbeat:
    """A worker whose latest heartbeat was `ago`."""
    beat_at = timezone.now() - ago
    return WorkerHeartbeat.objects.create(worker_id=worker_id, started_at=beat_at, beat_at=beat_at)


def task_left_running(task, *, worker_ids: list[str], ago: dt.timedelta, **kwargs) -> DBTaskResult:
    """A task claimed `ago` by the last of `worker_ids`, as the library's worker claims one."""
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        task_path=task.module_path,
        args_kwargs={"args": [], "kwargs": kwargs},
        backend_name="default",
        started_at=timezone.now() - ago,
        worker_ids=worker_ids,
    )


def worker(worker_id: str = "test-worker", **options) -> ResilientWorker:
    """The worker `run_worker` makes, with its defaults (one queue, no start-up delay)."""
    return ResilientWorker(
        **{
            "queue_names": ["default"],
            "interval": 0.05,
            "batch": False,
            "backend_name": "default",
            "startup_delay": False,
            "max_tasks": None,
            "worker_id": worker_id,
            "excluded_queue_names": [],
            **options,
        }
    )


def run_as_worker(result: DBTaskResult, *, worker_id: str = "test-worker") -> DBTaskResult:
    """Claim and run one queued task as `run_worker`'s loop does; return it, refreshed."""
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    result.claim(worker_id)
    worker(worker_id).run_task(result)
    result.refresh_from_db()
    return result
