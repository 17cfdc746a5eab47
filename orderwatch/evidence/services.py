"""Every change to the evidence log: checked, chained and audited, never half-written.

Files are stored before the database transaction (they may be large) and deleted again if
anything after fails, so a refused file, a broken upload or a failed write leaves nothing
stored and nothing chained.
"""

import posixpath
import uuid
from collections.abc import Callable, Iterator, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.paginator import Page
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from orderwatch.access.policy import (
    access_case,
    access_case_for_change,
    case_lock,
    case_lock_for_change,
)
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.breaches.answers import occurrence_problems
from orderwatch.breaches.models import Behaviour, Breach
from orderwatch.breaches.occurrence import Occurrence
from orderwatch.cases.models import Case
from orderwatch.confidential.files import (
    FileRejected,
    StoredFile,
    encrypted_file_delete,
    encrypted_file_store,
    encrypted_file_verified_chunks,
    stored_files_rewrap,
)
from orderwatch.core.submissions import submission_claim
from orderwatch.events.services import case_event_record
from orderwatch.events.table import CaseEvent
from orderwatch.evidence import chain
from orderwatch.evidence.models import (
    ChainEntry,
    EvidenceBreachLink,
    EvidenceFile,
    EvidenceIncident,
    EvidenceItem,
    EvidenceRemoval,
)
from orderwatch.evidence.selectors import chain_problem, evidence_item_get, evidence_log

FOLDER = "evidence"
EVIDENCE_TYPES = {
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "image/heic": "HEIC",
    "audio/mpeg": "MP3",
    "audio/mp4": "M4A",
    "audio/wav": "WAV",
    "audio/ogg": "OGG",
    "video/mp4": "MP4",
    "video/quicktime": "MOV",
    "video/webm": "WebM",
    "application/pdf": "PDF",
}
# A note may stand alone; every other kind is the file itself.
KINDS_WITHOUT_FILES = {EvidenceItem.Kind.NOTE}


def evidence_item_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    occurrence: Occurrence,
    description: str,
    uploads: Sequence[File] = (),
    author_kind: str = EvidenceItem.AuthorKind.PRACTITIONER,
    corrects: EvidenceItem | None = None,
    submission_key: uuid.UUID | None = None,
) -> EvidenceItem:
    """Add an item to the case's evidence log, as a member of the case team who may change it."""
    return evidence_item_intake(
        authorise=lambda: access_case_for_change(actor, case.pk),
        actor=actor,
        kind=kind,
        occurrence=occurrence,
        description=description,
        uploads=uploads,
        author_kind=author_kind,
        corrects=corrects,
        submission_key=submission_key,
    )


def evidence_item_intake(
    *,
    authorise: Callable[[], Case],
    actor: User,
    kind: str,
    occurrence: Occurrence,
    description: str,
    uploads: Sequence[File],
    author_kind: str,
    corrects: EvidenceItem | None,
    event: CaseEvent = CaseEvent.EVIDENCE_ADDED,
    submission_key: uuid.UUID | None = None,
    saved_url: Callable[[EvidenceItem], str] = EvidenceItem.get_absolute_url,
    record_with: Callable[[EvidenceItem], None] | None = None,
) -> EvidenceItem:
    """Check, store the files, then record and chain the item; `authorise` returns the case.

    `authorise` (the caller's own permission check: the case page's, the diary's) runs before
    anything is stored and again inside the transaction, which then records `event` (a diary
    entry is one kind, a practitioner's item another) with its follow-ups. `record_with`
    records what the caller keeps beside the item (the diary's "Is this a breach?" answer) in
    that transaction, before the event.
    """
    case = authorise()
    description = description.strip()
    errors = occurrence_problems(occurrence, timezone.localtime())
    if not description:
        errors["description"] = "Enter a description of the evidence"
    if kind not in EvidenceItem.Kind.values:
        errors["kind"] = "Select what kind of evidence it is"
    elif not uploads and kind not in KINDS_WITHOUT_FILES:
        errors["files"] = "Select at least one file"
    if errors:
        raise ValidationError(errors)
    if corrects is not None:
        corrects = _item_in(case, corrects.pk)
    stored = _store_all(uploads)
    try:
        return _item_record(
            authorise=authorise,
            actor=actor,
            kind=kind,
            occurrence=occurrence,
            description=description,
            files=stored,
            author_kind=author_kind,
            corrects=corrects,
            event=event,
            submission=(submission_key, saved_url),
            record_with=record_with,
        )
    except BaseException:
        _delete_stored([s for _, s in stored])
        raise


def _store_all(uploads: Sequence[File]) -> list[tuple[str, StoredFile]]:
    """Store every upload, or none: a refused or broken file removes those stored before it."""
    stored: list[tuple[str, StoredFile]] = []
    try:
        for upload in uploads:
            stored.append(
                (
                    _original_name(upload.name),
                    encrypted_file_store(
                        source=upload,
                        folder=FOLDER,
                        allowed_types=EVIDENCE_TYPES,
                        max_bytes=settings.ORDERWATCH_EVIDENCE_MAX_BYTES,
                    ),
                )
            )
    except FileRejected as rejected:
        _delete_stored([s for _, s in stored])
        name = _original_name(upload.name)
        message = f"{name}: {rejected.message}" if name else rejected.message
        raise ValidationError({"files": message}) from rejected
    except BaseException:
        _delete_stored([s for _, s in stored])
        raise
    return stored


def _original_name(name: str | None) -> str:
    # Browsers may send a path; keep only the file's own name.
    return posixpath.basename((name or "").replace("\\", "/"))[:255]


def _delete_stored(stored: Sequence[StoredFile]) -> None:
    for file in stored:
        encrypted_file_delete(name=file.name)


@transaction.atomic(durable=True)
def _item_record(
    *,
    authorise: Callable[[], Case],
    actor: User,
    kind: str,
    occurrence: Occurrence,
    description: str,
    files: list[tuple[str, StoredFile]],
    author_kind: str,
    corrects: EvidenceItem | None,
    event: CaseEvent,
    submission: tuple[uuid.UUID | None, Callable[[EvidenceItem], str]],
    record_with: Callable[[EvidenceItem], None] | None,
) -> EvidenceItem:
    # A new item is not an incident until someone marks it; a correction carries the mark.
    case = case_lock(authorise().pk, keeps_sources=corrects is None)
    item = EvidenceItem(
        case=case,
        kind=kind,
        happened_precision=occurrence.precision,
        happened_on=occurrence.on,
        happened_at_time=occurrence.at,
        happened_until=occurrence.until,
        description=description,
        author_kind=author_kind,
        corrects=corrects,
        created_by=actor,
    )
    item.content_sha256 = chain.item_hash(item.chain_content([s.sha256 for _, s in files]))
    item.save(force_insert=True)
    submission_key, saved_url = submission
    submission_claim(key=submission_key, actor=actor, url=saved_url(item))
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            item=item,
            position=position,
            stored_name=stored.name,
            original_name=name,
            size=stored.size,
            sha256=stored.sha256,
            content_type=stored.content_type,
            created_by=actor,
        )
        for position, (name, stored) in enumerate(files, start=1)
    )
    entry = _chain_append(case=case, kind=ChainEntry.Kind.ADDED, item=item, by=actor)
    audit_record(
        actor=actor,
        verb=Verb.EVIDENCE_ITEM_ADDED,
        target=item,
        case=case,
        payload={
            "item_hash": item.content_sha256,
            "files": [s.sha256 for _, s in files],
            "entry": entry.sequence,
        },
    )
    if record_with is not None:
        record_with(item)
    case_event_record(
        actor=actor, case=case, event=event, subject=item, link=item.get_absolute_url()
    )
    if corrects is not None:
        _incident_carry(actor=actor, case=case, earlier=corrects, correction=item)
    return item


def _incident_carry(
    *, actor: User, case: Case, earlier: EvidenceItem, correction: EvidenceItem
) -> None:
    """Mark a correction as an incident when the item it corrects was one: the pattern counts
    the latest version, so the judgement goes with it (and can be changed there)."""
    marked = EvidenceIncident.objects.filter(item=earlier).first()
    if marked is None:
        return
    EvidenceIncident.objects.create(
        item=correction, behaviours=marked.behaviours, severity=marked.severity, created_by=actor
    )
    audit_record(
        actor=actor,
        verb=Verb.EVIDENCE_INCIDENT_MARKED,
        target=correction,
        case=case,
        payload={
            "behaviours": marked.behaviours,
            "severity": marked.severity,
            "carried_from": str(earlier.pk),
        },
    )
    case_event_record(
        actor=actor,
        case=case,
        event=CaseEvent.INCIDENT_MARKED,
        subject=correction,
        link=correction.get_absolute_url(),
    )


def _item_in(case: Case, item_id) -> EvidenceItem:
    try:
        return EvidenceItem.objects.get(pk=item_id, case=case)
    except (EvidenceItem.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error


def _chain_append(
    *, case: Case, kind: str, item: EvidenceItem, by: User, removal_hash: str = ""
) -> ChainEntry:
    """Append an entry to the case's chain; the caller holds the case's lock."""
    last = ChainEntry.objects.filter(case=case).order_by("-sequence").first()
    entry = ChainEntry(
        case=case,
        sequence=last.sequence + 1 if last else 1,
        kind=kind,
        item=item,
        item_hash=item.content_sha256,
        removal_hash=removal_hash,
        previous_hash=last.entry_hash if last else chain.GENESIS_HASH,
        recorded_at=timezone.now(),
        author=by,
    )
    entry.entry_hash = chain.entry_hash(entry.previous_hash, chain.body_of(entry.as_entry()))
    entry.save(force_insert=True)
    return entry


@transaction.atomic(durable=True)
def evidence_item_remove(*, actor: User, item: EvidenceItem, reason: str) -> EvidenceRemoval:
    """Remove an item added by mistake: its files' bytes go, its record and the reason stay.

    The bytes are deleted only once the removal is committed.
    """
    case = case_lock_for_change(actor, item.case_id, permission="evidence.remove_item")
    item = _item_in(case, item.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the item is being removed"})
    if EvidenceRemoval.objects.filter(item=item).exists():
        raise ValidationError({"reason": "This item has already been removed"})
    removal = EvidenceRemoval.objects.create(item=item, reason=reason, created_by=actor)
    # Locked, so a key rotation re-wrapping one of them waits, then finds it removed.
    files = list(item.files.select_for_update().filter(removed_at__isnull=True))
    item.files.filter(pk__in=[f.pk for f in files]).update(removed_at=removal.created_at)
    entry = _chain_append(
        case=case,
        kind=ChainEntry.Kind.REMOVED,
        item=item,
        by=actor,
        removal_hash=chain.removal_hash(reason),
    )
    audit_record(
        actor=actor,
        verb=Verb.EVIDENCE_ITEM_REMOVED,
        target=item,
        case=case,
        payload={"files": [f.sha256 for f in files], "entry": entry.sequence},
    )
    names = [f.stored_name for f in files]
    transaction.on_commit(lambda: _delete_names(names), robust=True)
    return removal


def _delete_names(names: list[str]) -> None:
    for name in names:
        encrypted_file_delete(name=name)


@transaction.atomic(durable=True)
def evidence_breach_link(*, actor: User, item: EvidenceItem, breach: Breach) -> EvidenceBreachLink:
    """Link an item to a breach on the same case; anything from another case is a 404."""
    case = case_lock_for_change(actor, item.case_id)
    item = _item_in(case, item.pk)
    try:
        breach = Breach.objects.get(pk=breach.pk, case=case)
    except Breach.DoesNotExist as error:
        raise Http404 from error
    if EvidenceRemoval.objects.filter(item=item).exists():
        raise ValidationError({"breach": "A removed item cannot be linked to a breach"})
    if EvidenceBreachLink.objects.filter(item=item, breach=breach).exists():
        raise ValidationError({"breach": "This item is already linked to that breach"})
    link = EvidenceBreachLink.objects.create(item=item, breach=breach, created_by=actor)
    audit_record(
        actor=actor,
        verb=Verb.EVIDENCE_LINKED,
        target=link,
        case=case,
        payload={"item": str(item.pk), "breach": str(breach.pk)},
    )
    return link


@transaction.atomic(durable=True)
def evidence_incident_mark(
    *, actor: User, case: Case, item: EvidenceItem, behaviours: list[str], severity: int | None
) -> EvidenceIncident:
    """Record, or change, the judgement that an item records an incident.

    The case's pattern is then looked at again, so a new escalation opens a review at once.
    """
    case = case_lock_for_change(actor, case.pk)
    item = _item_in(case, item.pk)
    if EvidenceRemoval.objects.filter(item=item).exists():
        raise ValidationError("A removed item cannot be marked as an incident")
    if item.corrections.filter(removal__isnull=True).exists():
        raise ValidationError(
            "This item has been corrected: mark the latest version, which is the one counted"
        )
    errors = {}
    if not behaviours:
        errors["behaviours"] = "Select at least one kind of behaviour"
    elif not set(behaviours) <= set(Behaviour.values):
        errors["behaviours"] = "Select kinds of behaviour from the list"
    if severity is not None and severity not in Breach.Severity.values:
        errors["severity"] = "Select how serious it was, or Not rated"
    if errors:
        raise ValidationError(errors)
    incident, _ = EvidenceIncident.objects.update_or_create(
        item=item,
        defaults={"behaviours": sorted(set(behaviours)), "severity": severity},
        create_defaults={
            "behaviours": sorted(set(behaviours)),
            "severity": severity,
            "created_by": actor,
        },
    )
    audit_record(
        actor=actor,
        verb=Verb.EVIDENCE_INCIDENT_MARKED,
        target=item,
        case=case,
        payload={"behaviours": incident.behaviours, "severity": incident.severity},
    )
    case_event_record(
        actor=actor,
        case=case,
        event=CaseEvent.INCIDENT_MARKED,
        subject=item,
        link=item.get_absolute_url(),
    )
    return incident


@transaction.atomic(durable=True)
def evidence_incident_unmark(*, actor: User, case: Case, item: EvidenceItem) -> None:
    """Withdraw the judgement that an item records an incident, so patterns no longer count it."""
    case = case_lock_for_change(actor, case.pk)
    item = _item_in(case, item.pk)
    deleted, _ = EvidenceIncident.objects.filter(item=item).delete()
    if deleted:
        audit_record(actor=actor, verb=Verb.EVIDENCE_INCIDENT_UNMARKED, target=item, case=case)
        case_event_record(
            actor=actor,
            case=case,
            event=CaseEvent.INCIDENT_UNMARKED,
            subject=item,
            link=item.get_absolute_url(),
        )


@transaction.atomic(durable=True)
def evidence_chain_check(*, actor: User, case: Case) -> str | None:
    """Check the case's evidence chain; return the first inconsistency in words, or None."""
    # Locked like an add or a removal, so the items and entries read belong together; a closed
    # case's chain is checked too (it changes nothing).
    case = case_lock(access_case(actor, case.pk).pk, while_closed=True)
    problem = chain_problem(case=case)
    audit_record(
        actor=actor,
        verb=Verb.EVIDENCE_CHAIN_CHECKED,
        target=case,
        case=case,
        payload={"intact": problem is None},
    )
    return problem


@transaction.atomic(durable=True)
def evidence_item_open(*, actor: User, case_id, item_id) -> EvidenceItem:
    """Return an item the actor may see, recording that they viewed it."""
    item = evidence_item_get(user=actor, case_id=case_id, item_id=item_id)
    audit_record(actor=actor, verb=Verb.EVIDENCE_ITEM_VIEWED, target=item, case=item.case)
    return item


@transaction.atomic(durable=True)
def evidence_file_open(
    *, actor: User, case_id, item_id, file_id
) -> tuple[EvidenceFile, Iterator[bytes]]:
    """Return a file of an item and its decrypted bytes as a stream, recording the view.

    The stream checks the SHA-256 recorded at intake as it goes, and fails at the end if the
    bytes are not the original's.
    """
    case = access_case(actor, case_id)
    try:
        file = EvidenceFile.objects.select_related("item").get(
            pk=file_id, item_id=item_id, item__case=case, removed_at__isnull=True
        )
    except (EvidenceFile.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error
    audit_record(actor=actor, verb=Verb.EVIDENCE_FILE_VIEWED, target=file, case=case)
    return file, encrypted_file_verified_chunks(name=file.stored_name, sha256=file.sha256)


@transaction.atomic(durable=True)
def evidence_log_open(*, actor: User, case_id, number: int | str | None = 1) -> tuple[Case, Page]:
    """Return page `number` of the case's evidence log, newest first, recording that the actor
    viewed it."""
    case, items = evidence_log(user=actor, case_id=case_id, number=number)
    audit_record(
        actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case, payload={"page": "evidence"}
    )
    return case, items


def evidence_files_rewrap() -> int:
    """Re-wrap every kept evidence file's key under the newest field key; return how many."""
    return stored_files_rewrap(
        queryset=EvidenceFile.objects.filter(removed_at__isnull=True), name_field="stored_name"
    )
