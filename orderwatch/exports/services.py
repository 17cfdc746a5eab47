"""Preparing documents in the background: asked for in one audited transaction, built by a task.

The build is tracked on the `Export` itself (attempts, the kind of the latest error, progress),
so a failed build is retried and stays visible whatever the task backend keeps, and
`manage.py prepare_pending_exports` finds any build whose task was lost.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from orderwatch.access.policy import access_case
from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.confidential.files import (
    encrypted_file_delete,
    encrypted_file_store,
    encrypted_file_verified_chunks,
)
from orderwatch.exports.builders import BUILDERS, EXTENSIONS, Progress, case_record_fields
from orderwatch.exports.models import Export
from orderwatch.exports.selectors import export_get
from orderwatch.worker.claims import claim_holder, claims_lapsed

logger = logging.getLogger(__name__)

Status = Export.Status

FOLDER = "exports"
# After this many failed attempts a build is marked failed, for its requester to try again.
EXPORT_MAX_ATTEMPTS = 3
# A build made outside the worker with no outcome after this long is taken to have died (one
# made by `run_worker` is taken over as soon as its task is no longer running: ADR 0019).
EXPORT_BUILD_TIMEOUT = dt.timedelta(minutes=10)
# A build never started this long after it was asked for is taken to have lost its task.
EXPORT_QUEUE_GRACE = dt.timedelta(minutes=15)


class ExportNotBuilt(Exception):
    """A document was not built. The message holds its id and the kind of error only."""


class ExportNotReady(Exception):
    """The document is not (or no longer) there to download."""


def export_retry_delay(attempts: int) -> dt.timedelta:
    """Return how long to wait after the `attempts`-th failure: 1, then 4 minutes."""
    return dt.timedelta(minutes=4 ** (attempts - 1))


def _keep_for() -> dt.timedelta:
    return dt.timedelta(hours=settings.ORDERWATCH_EXPORT_KEEP_HOURS)


@transaction.atomic(durable=True)
def export_request(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    kind: str,
    parameters: dict,
    step_up: StepUp | None = None,
) -> Export:
    """Ask for a document to be prepared for the actor; return it, waiting in the queue.

    The kind's own checks and audit event run in this transaction; the build is queued once
    it commits, so nothing is built for a request that was rolled back. A kind that makes
    several documents from one request (the case record in each format) returns the first;
    its page shows the others.
    """
    case = access_case(actor, case_id)
    builder = BUILDERS[kind]
    kept = builder.request(actor=actor, case=case, parameters=parameters, step_up=step_up)
    exports = [
        Export.objects.create(case=case, kind=kind, parameters=document, created_by=actor)
        for document in builder.documents(kept)
    ]
    for export in exports:
        # robust: the request is saved whatever happens here; a build not queued now is
        # picked up by `prepare_pending_exports`.
        transaction.on_commit(_build_queuer(export.pk), robust=True)
    return exports[0]


def _build_queuer(export_id: uuid.UUID):
    """Return an on-commit hook that queues the export's build."""

    def queue_build() -> None:
        export_enqueue(export_id=export_id)

    return queue_build


def export_enqueue(*, export_id: uuid.UUID, delay: dt.timedelta | None = None) -> bool:
    """Queue the build of an export, now or after `delay`; return whether it was queued.

    A delay needs a backend that can defer (the database one can); without one, the retry is
    left to `prepare_pending_exports`.
    """
    from orderwatch.exports.tasks import export_build as build_task

    task = build_task
    if delay is not None:
        if not task.get_backend().supports_defer:
            return False
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(export_id=str(export_id))
    return True


def export_build(*, export_id: uuid.UUID | str) -> bool:
    """Build an export's document and store it encrypted; return whether this built it.

    Safe to run again, or twice at once: the build is claimed with a conditional update, so
    only one worker builds it, and a ready document is never built again. A failure is counted
    and its kind recorded, a retry is queued after a delay, and `ExportNotBuilt` is raised so
    the task backend records the failure too.
    """
    now = timezone.now()
    export = Export.objects.select_related("case", "created_by").filter(pk=export_id).first()
    if export is None:
        return False
    attempt = export.attempts + 1
    claimable = Q(status=Status.QUEUED) | Q(status=Status.BUILDING) & _build_lapsed(now)
    claimed = Export.objects.filter(claimable, pk=export.pk, attempts=export.attempts).update(
        status=Status.BUILDING,
        attempts=attempt,
        attempted_at=now,
        attempt_task=claim_holder(),
        last_error="",
        progress_done=0,
        progress_total=0,
        modified_at=now,
    )
    if not claimed:
        return False
    builder = BUILDERS[export.kind]
    try:
        stored = encrypted_file_store(
            source=builder.build(export, _progress_recorder(export.pk, attempt)),
            folder=FOLDER,
            allowed_types=builder.content_types,
            max_bytes=builder.max_bytes,
        )
    except Exception as error:
        kind = type(error).__name__[:200]
        _build_failed(export_id=export.pk, attempt=attempt, kind=kind)
        # from None: the original error's message may hold what the document holds.
        raise ExportNotBuilt(
            f"Export {export.pk} not built (attempt {attempt} of {EXPORT_MAX_ATTEMPTS}): {kind}"
        ) from None
    ready_at = timezone.now()
    finished = Export.objects.filter(pk=export.pk, status=Status.BUILDING, attempts=attempt).update(
        status=Status.READY,
        file_name=stored.name,
        size=stored.size,
        sha256=stored.sha256,
        content_type=stored.content_type,
        ready_at=ready_at,
        expires_at=ready_at + _keep_for(),
        progress_done=F("progress_total"),
        modified_at=ready_at,
    )
    if not finished:
        # Taken over by another worker after this one seemed to have died: keep theirs only.
        encrypted_file_delete(name=stored.name)
        return False
    return True


def _build_lapsed(now: dt.datetime) -> Q:
    """Return a filter for builds under way whose attempt has died with its task or worker."""
    return claims_lapsed(
        holder_field="attempt_task",
        claimed_at_field="attempted_at",
        timeout=EXPORT_BUILD_TIMEOUT,
        now=now,
    )


def _progress_recorder(export_id: uuid.UUID, attempt: int) -> Progress:
    """Return a callback that records how far this attempt at the build has got."""

    def record(done: int, total: int) -> None:
        Export.objects.filter(pk=export_id, status=Status.BUILDING, attempts=attempt).update(
            progress_done=done, progress_total=total, modified_at=timezone.now()
        )

    return record


def _build_failed(*, export_id: uuid.UUID, attempt: int, kind: str) -> None:
    """Record a failed attempt; queue a retry, or give up after the last attempt."""
    gave_up = attempt >= EXPORT_MAX_ATTEMPTS
    Export.objects.filter(pk=export_id, status=Status.BUILDING, attempts=attempt).update(
        status=Status.FAILED if gave_up else Status.QUEUED,
        last_error=kind,
        modified_at=timezone.now(),
    )
    if gave_up:
        logger.error(
            "Export %s failed %d times (%s); giving up. Its requester can try again.",
            export_id,
            attempt,
            kind,
        )
        return
    delay = export_retry_delay(attempt)
    logger.warning(
        "Export %s failed (attempt %d of %d: %s); retrying in %s.",
        export_id,
        attempt,
        EXPORT_MAX_ATTEMPTS,
        kind,
        delay,
    )
    export_enqueue(export_id=export_id, delay=delay)


@transaction.atomic(durable=True)
def export_open(*, actor: User, case_id, export_id) -> tuple[Export, str, Iterator[bytes]]:
    """Return the actor's ready document, its file name and its decrypted bytes as a stream,
    recording the download. Raise `ExportNotReady` if it is not (or no longer) there."""
    export = export_get(user=actor, case_id=case_id, export_id=export_id)
    if export.status != Status.READY or export.is_expired:
        raise ExportNotReady
    chunks = encrypted_file_verified_chunks(name=export.file_name, sha256=export.sha256)
    audit_record(
        actor=actor,
        verb=Verb.EXPORT_DOWNLOADED,
        target=export,
        case=export.case,
        fields=_confidential_fields(export.parameters),
        payload={"kind": export.kind, "sha256": export.sha256},
    )
    stem = BUILDERS[export.kind].filename_stem
    filename = f"{stem}-{export.case.reference}.{EXTENSIONS[export.content_type]}"
    return export, filename, chunks


def _confidential_fields(parameters: dict) -> list[str]:
    """Return the confidential fields a document holds, as its requester chose them."""
    if "include" in parameters:  # a case record
        return case_record_fields(parameters["include"])
    return ["protected_address"] if parameters.get("include_address") else []


def exports_requeue() -> int:
    """Queue every build that is due a try but has no live task; return how many.

    That is: one never started long after it was asked for (its task was lost), one whose
    attempt died with its worker, and one whose retry delay has passed. Safe to run as often
    as you like: a second task for the same build finds it claimed or ready and does nothing.
    """
    now = timezone.now()
    retry_due = Q(pk__in=[])
    for attempts in range(1, EXPORT_MAX_ATTEMPTS):
        retry_due |= Q(attempts=attempts, attempted_at__lte=now - export_retry_delay(attempts))
    due = (
        Q(status=Status.QUEUED, attempts=0, created_at__lte=now - EXPORT_QUEUE_GRACE)
        | Q(status=Status.QUEUED) & ~Q(last_error="") & retry_due
        | Q(status=Status.BUILDING) & _build_lapsed(now)
    )
    ids = list(
        Export.objects.filter(due, created_at__gt=now - _keep_for()).values_list("pk", flat=True)
    )
    for export_id in ids:
        export_enqueue(export_id=export_id)
    return len(ids)


def exports_expire() -> int:
    """Delete the files of documents past their time, and give up on builds that are too old
    to be wanted; return how many files were deleted. Safe to run as often as you like."""
    now = timezone.now()
    Export.objects.filter(
        status__in=[Status.QUEUED, Status.BUILDING], created_at__lte=now - _keep_for()
    ).update(status=Status.EXPIRED, modified_at=now)
    deleted = 0
    due = Export.objects.filter(status=Status.READY, expires_at__lte=now)
    for export_id, name in due.values_list("pk", "file_name"):
        expired = Export.objects.filter(pk=export_id, status=Status.READY).update(
            status=Status.EXPIRED,
            file_name="",
            modified_at=now,
        )
        if expired:
            encrypted_file_delete(name=name)
            deleted += 1
    return deleted


@dataclass(frozen=True)
class ExportBacklog:
    waiting: int
    retrying: int
    failed: list[tuple[uuid.UUID, str]]


def export_backlog(*, since: dt.datetime) -> ExportBacklog:
    """Return how many builds wait for a first try or a retry, and which failed since `since`."""
    queued = Export.objects.filter(status__in=[Status.QUEUED, Status.BUILDING])
    return ExportBacklog(
        waiting=queued.filter(last_error="").count(),
        retrying=queued.exclude(last_error="").count(),
        failed=list(
            Export.objects.filter(status=Status.FAILED, modified_at__gte=since)
            .order_by("created_at")
            .values_list("pk", "last_error")
        ),
    )
