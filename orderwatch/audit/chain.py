"""The audit hash chain: how a link is hashed and how a chain is checked. No Django here."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def link_hash(previous_hash: str, body: Mapping[str, Any]) -> str:
    """Return the SHA-256 of the previous link's hash and this link's canonical JSON body."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{previous_hash}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    sequence: int
    previous_hash: str
    hash: str
    body: Mapping[str, Any]


@dataclass(frozen=True)
class Break:
    """The first place the chain fails, and why, in words an auditor can act on."""

    sequence: int
    reason: str


def first_break(
    links: Iterable[Link], *, head_sequence: int | None = None, head_hash: str | None = None
) -> Break | None:
    """Return the first inconsistency in `links` (ordered by sequence), or None if intact.

    `head_sequence`/`head_hash` are the chain's recorded end, so deleting the newest events
    is caught too.
    """
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    for link in links:
        if link.sequence != expected_sequence:
            return Break(expected_sequence, f"event {expected_sequence} is missing")
        if link.previous_hash != expected_previous:
            return Break(link.sequence, "it does not follow on from the event before it")
        if link_hash(link.previous_hash, link.body) != link.hash:
            return Break(link.sequence, "its contents do not match its hash")
        expected_previous = link.hash
        expected_sequence += 1
    last_sequence = expected_sequence - 1
    if head_sequence is not None and head_sequence != last_sequence:
        return Break(
            last_sequence + 1, f"events {last_sequence + 1} to {head_sequence} are missing"
        )
    if head_hash is not None and head_hash != expected_previous:
        return Break(last_sequence, "the newest event does not match the recorded end of the chain")
    return None
