"""Writing audit events, and the signed checkpoints over the chains' heads.

Every service that changes or reveals data calls `audit_record`. Lock order: the case row
first (services take it), then the head of that case's chain; the head is held until the
caller's transaction ends, so writers to one chain take turns and nobody else waits.
"""

import base64
import datetime as dt
import os
import secrets
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.audit import chain, signing
from orderwatch.audit.models import (
    NOTES_KEY,
    AuditChain,
    AuditCheckpoint,
    AuditCheckpointEntry,
    AuditEvent,
    AuditNote,
    Verb,
    chain_key,
)
from orderwatch.audit.origin import current_origin
from orderwatch.audit.selectors import audit_checkpoint_export_lines, by_chain_key
from orderwatch.core import metrics

# A transaction that wrote a head before the previous checkpoint but committed after it is
# still caught by the next one, if it committed within this margin.
CHECKPOINT_MARGIN = dt.timedelta(minutes=10)
CHECKPOINT_LOCK_KEY = 0x0A_0D_17_C4
_ENTRY_BATCH = 2000


class AuditChainUnavailable(Exception):
    """The audit event could not be written, so the action it records must not happen."""


def audit_record(
    *,
    actor: User | None,
    verb: Verb,
    target: models.Model,
    case: models.Model | None = None,
    fields: Iterable[str] = (),
    payload: dict[str, Any] | None = None,
    notes: Mapping[str, str] | None = None,
) -> AuditEvent:
    """Append an event to its chain, inside the caller's transaction.

    `payload` is hashed into the chain for good: ids, choices, counts and hashes only. Words
    people type (a reason, a name) go in `notes`: each is kept as an `AuditNote` and the
    payload holds only its salted hash, under `"notes"`, so disposal can erase the words
    (`audit_notes_erase`). Empty notes are not kept.

    If this fails the caller's transaction fails with it, so nothing is saved or shown
    without its audit event.
    """
    if payload and NOTES_KEY in payload:
        raise ValueError(f"Pass typed words as notes=, not as payload[{NOTES_KEY!r}].")
    try:
        with metrics.AUDIT_WRITE_SECONDS.time():
            return _append(
                actor=actor,
                verb=verb,
                target=target,
                case=case,
                fields=fields,
                payload=payload,
                notes={name: text for name, text in (notes or {}).items() if text},
            )
    except AuditChainUnavailable:
        raise
    except DatabaseError as error:
        raise AuditChainUnavailable("The audit event could not be written.") from error


def _locked_head(key: str) -> AuditChain:
    head = AuditChain.objects.select_for_update().filter(key=key).first()
    if head is not None:
        return head
    # The chain's first event. Two first writers at once: one inserts, the other waits for it.
    genesis = AuditChain(key=key, position=0, hash=chain.GENESIS_HASH, updated_at=timezone.now())
    AuditChain.objects.bulk_create([genesis], ignore_conflicts=True)
    return AuditChain.objects.select_for_update().get(key=key)


def _append(*, actor, verb, target, case, fields, payload, notes) -> AuditEvent:
    origin = current_origin()
    salts = {name: secrets.token_hex(32) for name in notes}
    payload = dict(payload or {})
    if notes:
        payload[NOTES_KEY] = {
            name: chain.note_commitment(salts[name], text) for name, text in notes.items()
        }
    case_id = case.pk if case is not None else None
    key = chain_key(case_id=case_id, actor_id=actor.pk if actor is not None else None)
    try:
        # No savepoint: a failure here fails the caller's whole transaction anyway (see
        # audit_record), and a savepoint is two more round trips while the case row is held.
        with transaction.atomic(savepoint=False):
            head = _locked_head(key)
            now = timezone.now()  # after any wait for the head: the time it moves
            event = AuditEvent(
                chain=key,
                position=head.position + 1,
                occurred_at=now,
                actor=actor,
                verb=Verb(verb).value,
                object_type=target._meta.model_name,
                object_id=str(target.pk),
                case_id=case_id,
                case_reference=getattr(case, "reference", "") if case is not None else "",
                fields=sorted(fields),
                payload=payload,
                origin=origin.channel,
                # Nothing of where a victim-survivor is: their own actions keep no address.
                origin_ip=None if actor is not None and actor.is_victim_survivor else origin.ip,
                previous_hash=head.hash,
            )
            event.hash = chain.link_hash(event.previous_hash, event.chain_body())
            event.save(force_insert=True)
            AuditNote.objects.bulk_create(
                AuditNote(event=event, name=name, text=text, salt=salts[name])
                for name, text in notes.items()
            )
            head.position, head.hash, head.updated_at = event.position, event.hash, now
            head.save(update_fields=["position", "hash", "updated_at"])
    except IntegrityError as error:
        # A head re-started at genesis collides with the events it should have followed.
        raise AuditChainUnavailable(
            "The audit chain for this record has lost its head; run audit_verify."
        ) from error
    return event


def audit_notes_erase(*, case_id: uuid.UUID) -> int:
    """Delete the notes (the words people typed, and their salts) of every audit event of a
    case, for its disposal; return how many.

    The events and the salted hashes in their payloads stay, so every chain still verifies;
    without the salts the hashes confirm no guess at the words. Run it in the disposal's
    transaction, after the case row is locked.
    """
    erased, _ = AuditNote.objects.filter(event__case_id=case_id).delete()
    return erased


def _checkpoint_lock() -> None:
    if connection.vendor == "postgresql":  # SQLite: IMMEDIATE transactions queue writers
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHECKPOINT_LOCK_KEY])


@transaction.atomic(durable=True)
def audit_checkpoint_make() -> AuditCheckpoint | None:
    """Sign the heads of every chain that moved since the last checkpoint; None if none did.

    A head is recorded once: the window's margin looks back before the last checkpoint, for
    late commits, but heads some checkpoint already holds are left out.

    Heads are read without locks, so only committed heads count and no writer waits. A second
    run at the same moment waits for the first, then finds nothing new.
    """
    _checkpoint_lock()
    created_at = timezone.now()
    previous = AuditCheckpoint.objects.order_by("-number").first()
    heads = AuditChain.objects.all()
    if previous is not None:
        recorded = AuditCheckpointEntry.objects.filter(
            chain=OuterRef("key"), position=OuterRef("position")
        )
        heads = heads.filter(updated_at__gte=previous.created_at - CHECKPOINT_MARGIN).exclude(
            Exists(recorded)
        )
    number = previous.number + 1 if previous is not None else 1
    tree, batch = chain.MerkleTree(), []
    rows = heads.order_by(by_chain_key()).values_list("key", "position", "hash")
    for key, position, digest in rows.iterator(chunk_size=_ENTRY_BATCH):
        tree.add(chain.checkpoint_leaf(key, position, digest))
        # The checkpoint row comes last (it seals the root); the foreign key is checked at commit.
        batch.append(
            AuditCheckpointEntry(checkpoint_id=number, chain=key, position=position, hash=digest)
        )
        if len(batch) == _ENTRY_BATCH:
            AuditCheckpointEntry.objects.bulk_create(batch)
            batch = []
    if tree.size == 0:
        return None
    AuditCheckpointEntry.objects.bulk_create(batch)
    checkpoint = AuditCheckpoint(
        number=number,
        created_at=created_at,
        previous_hash=previous.hash if previous is not None else chain.GENESIS_HASH,
        root=tree.root(),
        size=tree.size,
        key_fingerprint=signing.public_key_fingerprint(),
    )
    body = checkpoint.body()
    checkpoint.hash = chain.checkpoint_hash(body)
    checkpoint.signature = base64.b64encode(signing.sign(body)).decode()
    checkpoint.save(force_insert=True)
    return checkpoint


def _exported_path(directory: Path, checkpoint: AuditCheckpoint) -> Path:
    day = checkpoint.created_at.astimezone(dt.UTC).date().isoformat()
    return directory / day / f"checkpoint-{checkpoint.number:09d}.jsonl"


def _newest_exported_number(directory: Path) -> int:
    for day in sorted((p for p in directory.iterdir() if p.is_dir()), reverse=True):
        numbers = [int(f.stem.removeprefix("checkpoint-")) for f in day.glob("checkpoint-*.jsonl")]
        if numbers:
            return max(numbers)
    return 0


def audit_checkpoints_export(*, directory: Path) -> list[int]:
    """Write every checkpoint newer than the newest in `directory` to a file of its own there,
    under a folder for its day (UTC); return their numbers.

    Each file is written under a temporary name, synced and renamed, and never rewritten, so a
    crash leaves a checkpoint whole or absent and the next run writes it: safe to re-run, and
    fit for append-only storage. The file holds the signed body, the signature and the chain
    heads (keys, positions, hashes): no personal data.
    """
    directory.mkdir(parents=True, exist_ok=True)
    newest = _newest_exported_number(directory)
    exported = []
    for checkpoint in AuditCheckpoint.objects.filter(number__gt=newest).order_by("number"):
        path = _exported_path(directory, checkpoint)
        path.parent.mkdir(exist_ok=True)
        if path.exists():
            continue
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
        try:
            with partial.open("x", encoding="utf-8") as file:
                file.writelines(audit_checkpoint_export_lines(checkpoint))
                file.flush()
                os.fsync(file.fileno())
            partial.rename(path)
        finally:
            partial.unlink(missing_ok=True)
        exported.append(checkpoint.number)
    return exported
