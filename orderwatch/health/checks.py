"""What `/health/ready` checks (ADR 0032): django-health-check's database and storage checks,
and the two it lacks, migrations applied and a live background worker.

Each check has a fixed `name`, the only thing the probe's answer says about it besides "ok" or
"unavailable". Why a check failed is for the logs, never for the response.
"""

import dataclasses
import uuid
from collections.abc import Callable
from typing import ClassVar

from asgiref.sync import sync_to_async
from django.db import DatabaseError
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from orderwatch.health.selectors import migrations_unapplied
from orderwatch.worker.selectors import worker_heard_within_lease


async def on_the_request_thread(check: Callable[[], None]) -> None:
    """Run `check` on the request's own thread and so its database connection, the one its
    pages use (Django brings thread-sensitive code back there); a database error is
    "unavailable", logged by its kind only: a driver's message is no business of the probe's."""
    try:
        await sync_to_async(check)()
    except DatabaseError as error:
        raise ServiceUnavailable(f"Database error ({type(error).__name__})") from None


class Database(checks.Database):
    """The library's `SELECT 1`, on the request's connection."""

    name: ClassVar[str] = "database"

    async def run(self) -> None:
        await on_the_request_thread(super().run)


class Storage(checks.Storage):
    """The library's check of stored-file storage: save a small file, read it back, delete it.

    The file is named at the top of storage, not in a folder of its own, so nothing is left
    behind on local disk either (the library's folder would stay, and a restore refuses storage
    that is not empty: ADR 0020). It holds no personal data and is not encrypted.
    """

    name: ClassVar[str] = "storage"

    def get_file_name(self) -> str:
        return f"health-check-{uuid.uuid4().hex}.txt"


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of the running code is applied: new code waits for `migrate`."""

    name: ClassVar[str] = "migrations"

    async def run(self) -> None:
        await on_the_request_thread(self.all_applied)

    def all_applied(self) -> None:
        if migrations_unapplied():
            raise ServiceUnavailable("Migrations not applied")


@dataclasses.dataclass
class Worker(HealthCheck):
    """Some worker (`manage.py run_worker`) beat within ORDERWATCH_WORKER_LEASE_SECONDS."""

    name: ClassVar[str] = "worker"

    async def run(self) -> None:
        await on_the_request_thread(self.heard_within_lease)

    def heard_within_lease(self) -> None:
        if not worker_heard_within_lease():
            raise ServiceUnavailable("No worker heartbeat within the lease")


def tasks_wait_for_a_worker() -> bool:
    """Return whether background tasks wait in the database for `run_worker`, the worker whose
    heartbeat is recorded. Another backend runs them itself (the immediate backend, in tests)
    or on workers of its own, which OrderWatch cannot see and which are watched by other means.
    """
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def readiness_checks() -> list[HealthCheck]:
    """Return the checks `/health/ready` runs: the worker only where tasks wait for one."""
    ready = [Database(), Storage(), Migrations()]
    if tasks_wait_for_a_worker():
        ready.append(Worker())
    return ready
