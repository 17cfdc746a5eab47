"""Reading the audit log (scoped to what the reading user may see) and checking its chains
and checkpoints."""

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from functools import reduce
from itertools import groupby
from operator import attrgetter, or_
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast, Collate

from orderwatch.accounts.models import User
from orderwatch.audit import chain, signing
from orderwatch.audit.models import NOTES_KEY, AuditChain, AuditCheckpoint, AuditEvent, AuditNote
from orderwatch.confidential import cipher

HEAD_CHUNK = 1000
_EXPORTED_HEADS_PER_QUERY = 100
_EXPORTED_FIELDS = (
    "number",
    "created_at",
    "previous_hash",
    "root",
    "size",
    "hash",
    "signature",
    "key_fingerprint",
)


def audit_event_list(
    *,
    user: User,
    verb: str = "",
    actor: User | None = None,
    case_reference: str = "",
    occurred_from: dt.date | None = None,
    occurred_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Return the events an auditor may read: those by staff of their own agency, with their
    notes (the words typed, decrypted when read)."""
    if not user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    events = (
        AuditEvent.objects.filter(actor__agency_id=user.agency_id)
        .select_related("actor", "actor__agency")
        .prefetch_related("notes")
    )
    if verb:
        events = events.filter(verb=verb)
    if actor is not None:
        events = events.filter(actor=actor)
    if case_reference:
        events = events.filter(case_reference__iexact=case_reference.strip())
    if occurred_from:
        events = events.filter(occurred_at__date__gte=occurred_from)
    if occurred_to:
        events = events.filter(occurred_at__date__lte=occurred_to)
    return events.order_by("-sequence")


def audit_actor_choices(*, user: User) -> QuerySet[User]:
    """Return the people an auditor may filter the log by: their own agency's staff."""
    if not user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    return User.objects.filter(agency_id=user.agency_id).order_by("display_name")


def by_chain_key(field: str = "key") -> F | Collate:
    """Order chain keys by code point on every database, as the checkpoints' trees are built."""
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def _chain_message(key: str, broken: chain.Break) -> str:
    where = f" (event #{broken.number})" if broken.number is not None else ""
    return f"Audit chain {key} broken at position {broken.position}{where}: {broken.reason}."


def _links(events: Iterable[AuditEvent]) -> Iterator[chain.Link]:
    for event in events:
        yield chain.Link(
            event.position, event.previous_hash, event.hash, event.chain_body(), event.sequence
        )


def _chunk_problems(heads: dict[str, AuditChain]) -> Iterator[str]:
    unseen = dict(heads)
    events = AuditEvent.objects.filter(chain__in=list(heads)).order_by("chain", "position")
    for key, chain_events in groupby(events.iterator(chunk_size=2000), attrgetter("chain")):
        head = unseen.pop(key)
        broken = chain.first_break(_links(chain_events), head.position, head.hash)
        if broken is not None:
            yield _chain_message(key, broken)
    for key, head in unseen.items():  # heads with no events at all
        broken = chain.first_break((), head.position, head.hash)
        if broken is not None:
            yield _chain_message(key, broken)


def audit_chain_problems() -> Iterator[str]:
    """Yield the first break of every broken chain, then any events whose chain lost its head.

    Streams: heads a chunk at a time (by key), with one query for each chunk's events, so
    memory stays bounded however many chains there are.
    """
    after = None
    while True:
        heads = AuditChain.objects.order_by("key")
        if after is not None:
            heads = heads.filter(key__gt=after)
        chunk = {head.key: head for head in heads[:HEAD_CHUNK]}
        if not chunk:
            break
        after = next(reversed(chunk))  # the database's order, whatever its collation
        yield from _chunk_problems(chunk)
        if len(chunk) < HEAD_CHUNK:
            break
    orphans = (
        AuditEvent.objects.exclude(Exists(AuditChain.objects.filter(key=OuterRef("chain"))))
        .values("chain")
        .annotate(count=Count("sequence"))
        .order_by("chain")
    )
    for orphan in orphans:
        events = "1 event" if orphan["count"] == 1 else f"{orphan['count']} events"
        yield (
            f"Audit chain {orphan['chain']} has {events} but no recorded head: its head has "
            "been deleted, so removed newest events cannot be ruled out."
        )


def audit_note_problems() -> Iterator[str]:
    """Yield each audit note that no longer matches the salted hash its event keeps (in the
    hashed payload, so the chains vouch for it), or that its event never kept one.

    A note that is missing was erased with its case's records (`audit_notes_erase`): its
    event still verifies, so that is not a problem. Notes are read as stored and decrypted
    here, so one that cannot be decrypted is named rather than stopping the check.
    """
    notes = (
        AuditNote.objects.annotate(token=Cast("text", TextField()))
        .order_by("event_id", "name")
        .values_list("event_id", "name", "salt", "token", "event__payload")
    )
    for sequence, name, salt, token, payload in notes.iterator(chunk_size=2000):
        where = f"Audit note {name!r} of event #{sequence}"
        committed = payload.get(NOTES_KEY, {}) if isinstance(payload, dict) else {}
        if name not in committed:
            yield f"{where} was not written with its event: the event keeps no hash of it."
            continue
        try:
            text = cipher.decrypt(token) if token else ""
        except cipher.ConfidentialValueUnreadable:
            yield f"{where} cannot be decrypted with the configured field keys."
            continue
        try:
            matches = chain.note_commitment(salt, text) == committed[name]
        except ValueError:
            matches = False
        if not matches:
            yield f"{where} has been changed: it does not match the hash its event keeps."


def audit_checkpoint_problems() -> Iterator[str]:
    """Yield what is wrong with each checkpoint: its hash, its link to the one before, its
    signature by the configured key, its Merkle root, and the events its entries name."""
    expected_number, expected_previous = 1, chain.GENESIS_HASH
    for checkpoint in AuditCheckpoint.objects.order_by("number").iterator():
        name = f"Audit checkpoint {checkpoint.number}"
        if checkpoint.number != expected_number:
            yield f"Audit checkpoint {expected_number} is missing."
        body = checkpoint.body()
        if chain.checkpoint_hash(body) != checkpoint.hash:
            yield f"{name}: its contents do not match its hash."
        if checkpoint.previous_hash != expected_previous:
            yield f"{name} does not follow on from the checkpoint before it."
        if not _signature_verifies(checkpoint.signature, body):
            yield (
                f"{name}: its signature does not verify with the configured audit signing key "
                f"({signing.public_key_fingerprint()})."
            )
        yield from _entry_problems(checkpoint, name)
        expected_number, expected_previous = checkpoint.number + 1, checkpoint.hash


def _signature_verifies(signature: str, body: bytes) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    return signing.verifies(raw, body)


def _entry_problems(checkpoint: AuditCheckpoint, name: str) -> Iterator[str]:
    event_hash = AuditEvent.objects.filter(
        chain=OuterRef("chain"), position=OuterRef("position")
    ).values("hash")[:1]
    entries = (
        checkpoint.entries.annotate(event_hash=Subquery(event_hash))
        .order_by(by_chain_key("chain"))
        .values_list("chain", "position", "hash", "event_hash")
    )
    tree = chain.MerkleTree()
    for key, position, digest, found in entries.iterator(chunk_size=2000):
        tree.add(chain.checkpoint_leaf(key, position, digest))
        if found is None:
            yield f"{name} records chain {key} at position {position}, but that event is missing."
        elif found != digest:
            yield (
                f"{name} records chain {key} at position {position}, "
                "but that event's hash is not the one recorded."
            )
    if (tree.root(), tree.size) != (checkpoint.root, checkpoint.size):
        yield f"{name}: its entries do not match its Merkle root."


def audit_export_lines(path: Path) -> Iterator[str]:
    """Yield the lines of an export: one file (`--export` before ADR 0026), or a folder of
    them (`ORDERWATCH_AUDIT_CHECKPOINT_EXPORT`), in name order. Raises OSError if unreadable."""
    files = sorted(path.rglob("checkpoint-*.jsonl")) if path.is_dir() else [path]
    for file in files:
        with file.open(encoding="utf-8") as lines:
            yield from lines


def audit_export_problems(lines: Iterable[str]) -> Iterator[str]:
    """Yield what the exported checkpoints (`audit_checkpoint --export`) show is wrong in the
    database: a checkpoint deleted or rewritten, and each chain whose events no longer match a
    head an exported checkpoint recorded, even if the chain, its head and the database's own
    checkpoints were all rewritten to agree.

    An exported checkpoint counts only if the configured audit key signed it.
    """
    rewritten: set[str] = set()
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            exported = json.loads(line)
            number = exported["number"]
            header = {field: exported[field] for field in _EXPORTED_FIELDS}
            entries = [(str(k), int(pos), str(digest)) for k, pos, digest in exported["entries"]]
            body = chain.checkpoint_body(
                number=number,
                created_at=header["created_at"],
                previous_hash=header["previous_hash"],
                root=header["root"],
                size=header["size"],
            )
        except (ValueError, KeyError, TypeError):
            yield f"Line {line_number} of the exported checkpoints is not a checkpoint."
            continue
        if chain.checkpoint_hash(body) != header["hash"] or not _signature_verifies(
            header["signature"], body
        ):
            yield (
                f"Exported checkpoint {number} is not signed by the configured audit signing key "
                f"({signing.public_key_fingerprint()}): it cannot be relied on."
            )
            continue
        root = chain.merkle_root(chain.checkpoint_leaf(*entry) for entry in entries)
        if root != header["root"]:
            yield f"Exported checkpoint {number}: its entries do not match its Merkle root."
            continue
        stored = AuditCheckpoint.objects.filter(number=number).first()
        if stored is None:
            yield f"Audit checkpoint {number} is in the export but not in the database."
        elif _export_header(stored) != header:
            yield f"Audit checkpoint {number} in the database differs from the exported copy."
        yield from _exported_head_problems(number, entries, rewritten)


def _exported_head_problems(
    number: int, entries: list[tuple[str, int, str]], rewritten: set[str]
) -> Iterator[str]:
    """Yield each chain (once, in `rewritten`) whose event at an exported head is missing or
    has another hash; 100 heads a query."""
    for start in range(0, len(entries), _EXPORTED_HEADS_PER_QUERY):
        chunk = entries[start : start + _EXPORTED_HEADS_PER_QUERY]
        chunk = [entry for entry in chunk if entry[0] not in rewritten]
        if not chunk:
            continue
        wanted = reduce(or_, (Q(chain=key, position=position) for key, position, _ in chunk))
        found = {
            (key, position): digest
            for key, position, digest in AuditEvent.objects.filter(wanted).values_list(
                "chain", "position", "hash"
            )
        }
        for key, position, digest in chunk:
            event_hash = found.get((key, position))
            if event_hash == digest or key in rewritten:
                continue
            rewritten.add(key)
            what = "is missing" if event_hash is None else "has been rewritten"
            yield (
                f"Audit chain {key} does not match exported checkpoint {number}: its event at "
                f"position {position} {what} in the database."
            )


def _export_header(checkpoint: AuditCheckpoint) -> dict:
    """Return a checkpoint's fields as exported, without its entries."""
    header = {field: getattr(checkpoint, field) for field in _EXPORTED_FIELDS}
    return {**header, "created_at": checkpoint.created_at.isoformat()}


def audit_checkpoint_export_lines(checkpoint: AuditCheckpoint) -> Iterator[str]:
    """Yield one JSON line (in pieces, entries streamed) holding the checkpoint and its entries,
    for an operator to keep outside the database."""
    header = json.dumps(_export_header(checkpoint), sort_keys=True)
    yield header[:-1] + ', "entries": ['  # the header's closing brace comes after the entries
    entries = checkpoint.entries.order_by(by_chain_key("chain"))
    rows = entries.values_list("chain", "position", "hash").iterator(chunk_size=2000)
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(list(row))
    yield "]}\n"
