"""The evidence log's hash chain: what an item's hash covers and how a case's chain is checked.

No Django here. Each entry on a case's chain holds the hash of the entry before it, the hash of
the item it is about (added, or removed with a reason), when and by whom; altering, removing or
reordering anything recorded changes a hash that a later check recomputes. Entries are hashed
as audit events are (`orderwatch.audit.chain.link_hash`: the previous hash, a newline, the
canonical JSON of the entry's body), so an exported chain is checked the same way.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from orderwatch.audit.chain import GENESIS_HASH, link_hash

__all__ = ["GENESIS_HASH"]
ADDED = "added"
REMOVED = "removed"


@dataclass(frozen=True)
class ItemContent:
    """What an item says: everything its hash covers. Dates and times are ISO strings."""

    kind: str
    occurrence: Mapping[str, str | None]
    description: str
    author_kind: str
    corrects: str | None
    file_hashes: Sequence[str]


@dataclass(frozen=True)
class Entry:
    """One entry of a case's chain, as stored."""

    sequence: int
    kind: str
    item_id: str
    item_hash: str
    removal_hash: str  # "" unless the entry is a removal
    previous_hash: str
    recorded_at: dt.datetime
    author_id: str
    entry_hash: str


def _canonical(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _sha256(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(body)).hexdigest()


def item_canonical(content: ItemContent) -> bytes:
    """Return the canonical JSON of an item's content (files in the order they were added)."""
    return _canonical(
        {
            "kind": content.kind,
            "occurrence": dict(content.occurrence),
            "description": content.description,
            "author_kind": content.author_kind,
            "corrects": content.corrects,
            "files": list(content.file_hashes),
        }
    )


def item_hash(content: ItemContent) -> str:
    """Return the SHA-256 of the item's canonical JSON."""
    return hashlib.sha256(item_canonical(content)).hexdigest()


def removal_hash(reason: str) -> str:
    """Return the hash a removal entry records of the reason given."""
    return _sha256({"reason": reason})


def entry_hash(previous_hash: str, body: Mapping[str, Any]) -> str:
    """Return the entry's hash: the previous entry's hash and the canonical JSON of its body."""
    return link_hash(previous_hash, body)


def body_of(entry: Entry) -> dict[str, Any]:
    """Return what an entry's hash covers besides the previous hash, as JSON values (also for
    export)."""
    return {
        "sequence": entry.sequence,
        "kind": entry.kind,
        "item_id": entry.item_id,
        "item_hash": entry.item_hash,
        "removal_hash": entry.removal_hash,
        "recorded_at": entry.recorded_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "author_id": entry.author_id,
    }


def first_inconsistency(
    entries: Iterable[Entry],
    item_hashes: Mapping[str, str],
    removal_hashes: Mapping[str, str] | None = None,
    *,
    contents_disposed: bool = False,
) -> str | None:
    """Return the first broken link of a case's chain, in words, or None if it is intact.

    `entries` are ordered by sequence; `item_hashes` and `removal_hashes` (by item id) are
    recomputed from the records as they are now. Once a case's records are disposed of
    (`contents_disposed`), its items are gone: the entries must still link up, in order, each
    matching its own hash, but there is nothing left to compare their item hashes with.
    """
    removal_hashes = removal_hashes or {}
    expected_previous, expected_sequence = GENESIS_HASH, 1
    added: set[str] = set()
    removed: set[str] = set()
    for entry in entries:
        where = f"Entry {entry.sequence}"
        if entry.sequence != expected_sequence:
            return f"Entry {expected_sequence} is missing from the chain"
        if entry.previous_hash != expected_previous:
            return f"{where} does not follow on from the entry before it"
        if entry_hash(entry.previous_hash, body_of(entry)) != entry.entry_hash:
            return f"{where} has been altered: its contents do not match its hash"
        if contents_disposed:
            problem = _order_problem(entry, added, removed)
        else:
            problem = _item_problem(entry, item_hashes, removal_hashes, added, removed)
        if problem:
            return f"{where}: {problem}"
        expected_previous, expected_sequence = entry.entry_hash, expected_sequence + 1
    return _unchained(item_hashes.keys() - added, removal_hashes.keys() - removed)


def _unchained(items: Set[str], removals: Set[str]) -> str | None:
    if items:
        return f"Item {min(items)} is not on the chain"
    if removals:
        return f"The removal of item {min(removals)} is not on the chain"
    return None


def _item_problem(
    entry: Entry,
    item_hashes: Mapping[str, str],
    removal_hashes: Mapping[str, str],
    added: set[str],
    removed: set[str],
) -> str | None:
    item = entry.item_id
    if problem := _order_problem(entry, added, removed):
        return problem
    if item not in item_hashes:
        return f"item {item} is missing"
    if item_hashes[item] != entry.item_hash:
        return f"item {item} has changed since it was recorded"
    if entry.kind == REMOVED and removal_hashes.get(item) != entry.removal_hash:
        if item not in removal_hashes:
            return f"the record of item {item}'s removal is missing"
        return f"the reason item {item} was removed has changed since it was recorded"
    return None


def _order_problem(entry: Entry, added: set[str], removed: set[str]) -> str | None:
    """Return what is wrong with when the entry comes (added once, removed once after)."""
    item = entry.item_id
    if entry.kind not in (ADDED, REMOVED):
        return f"its kind {entry.kind!r} is not known"
    if entry.kind == ADDED and item in added:
        return f"item {item} is added a second time"
    if entry.kind == REMOVED and (item not in added or item in removed):
        return f"item {item} is removed without being on the chain"
    (added if entry.kind == ADDED else removed).add(item)
    return None
