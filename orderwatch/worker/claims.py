"""Claims on work held by the task that does it, so a claim outlives neither its task nor its
worker (ADR 0019).

A service claims its work (an email to send, a document to build) on its own record before
doing it, so a duplicate task does nothing. When `run_worker` runs the task, the claim names
the task: it is held while that task is running, and lapses as soon as the task is not (it
finished, failed, or was queued again because its worker stopped), so a killed build is taken
over within the worker lease instead of a fixed timeout. A claim made outside the worker (the
immediate backend, a command) names no task and lapses after the service's own timeout.
"""

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Exists, OuterRef, Q
from django_tasks_db.models import DBTaskResult

_running_task: ContextVar[uuid.UUID | None] = ContextVar("orderwatch_running_task", default=None)


def claim_holder() -> uuid.UUID | None:
    """Return the id of the task `run_worker` is running here, or None when run any other way."""
    return _running_task.get()


@contextmanager
def claims_held_by(task_id: uuid.UUID) -> Iterator[None]:
    """Make claims made inside the block name the task `task_id`."""
    token = _running_task.set(task_id)
    try:
        yield
    finally:
        _running_task.reset(token)


def claim_lapsed(
    *, holder: uuid.UUID | None, claimed_at: dt.datetime, timeout: dt.timedelta, now: dt.datetime
) -> bool:
    """Return whether a claim may be taken over: its task is no longer running (or is this
    task, run again after its worker stopped); with no task, once it is `timeout` old."""
    if holder is None:
        return claimed_at <= now - timeout
    if holder == claim_holder():
        return True
    return not DBTaskResult.objects.running().filter(pk=holder).exists()


def claims_lapsed(
    *, holder_field: str, claimed_at_field: str, timeout: dt.timedelta, now: dt.datetime
) -> Q:
    """Return a filter for the claims `claim_lapsed` would let be taken over."""
    # A lookup by primary key for each claim, not a scan of every task ever run.
    holder_running = Exists(DBTaskResult.objects.running().filter(pk=OuterRef(holder_field)))
    lapsed = Q(**{f"{holder_field}__isnull": True, f"{claimed_at_field}__lte": now - timeout}) | (
        Q(**{f"{holder_field}__isnull": False}) & ~holder_running
    )
    if (holder := claim_holder()) is not None:
        lapsed |= Q(**{holder_field: holder})
    return lapsed
