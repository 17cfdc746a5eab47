"""The audit hash chains and the checkpoints that tie them together. No Django here.

Each chain (one per case, one per actor for events with no case, one `system` chain and the
`legacy` chain of events written before chains were split) links every event to the one before
it by hash. A checkpoint records chain heads as the leaves of a Merkle tree built as in
RFC 6962 (leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right)), so one signed
root commits to all of them.

Words people type for an event (a reason, a passkey's name) are kept as notes outside the
hashed body, which holds only a salted hash of each (`note_commitment`), so the words can be
erased and the chain still verifies (ADR 0039).
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def _canonical(body: Mapping[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_hash(previous_hash: str, body: Mapping[str, Any]) -> str:
    """Return the SHA-256 of the previous link's hash and this link's canonical JSON body."""
    return hashlib.sha256(f"{previous_hash}\n{_canonical(body)}".encode()).hexdigest()


def note_commitment(salt: str, text: str) -> str:
    """Return the SHA-256 of a note's salt (hex) then its UTF-8 text, as its event keeps it.

    The salt is random and erased with the words, so once a note is gone its hash cannot
    confirm a guess at what it said. Raises ValueError if `salt` is not hex.
    """
    return hashlib.sha256(bytes.fromhex(salt) + text.encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    """One event as the chain sees it; `number` is its global number, for messages only."""

    position: int
    previous_hash: str
    hash: str
    body: Mapping[str, Any]
    number: int | None = None


@dataclass(frozen=True)
class Break:
    """The first place a chain fails, and why, in words an auditor can act on."""

    position: int
    reason: str
    number: int | None = None


def first_break(links: Iterable[Link], head_position: int, head_hash: str) -> Break | None:
    """Return the first inconsistency in one chain's `links` (by position), or None if intact.

    `head_position`/`head_hash` are the chain's recorded end, so deleting the newest events
    is caught too.
    """
    previous = Link(0, "", GENESIS_HASH, {})
    for link in links:
        broken = _link_break(link, previous, head_position)
        if broken is not None:
            return broken
        previous = link
    if previous.position < head_position:
        missing = previous.position + 1
        if missing == head_position:
            return Break(missing, f"the newest event (position {missing}) is missing")
        return Break(
            missing, f"the newest events (positions {missing} to {head_position}) are missing"
        )
    if head_hash != previous.hash:
        return Break(
            previous.position, "the newest event does not match the recorded end of the chain"
        )
    return None


def _link_break(link: Link, previous: Link, head_position: int) -> Break | None:
    expected = previous.position + 1
    if link.position < expected:
        reason = "another event holds the same position"
    elif link.position != expected:
        return Break(expected, f"the event at position {expected} is missing")
    elif link.previous_hash != previous.hash:
        reason = "it does not follow on from the event before it"
    elif link_hash(link.previous_hash, link.body) != link.hash:
        reason = "its contents do not match its hash"
    elif link.position > head_position:
        reason = "it comes after the recorded end of the chain"
    else:
        return None
    return Break(link.position, reason, link.number)


def checkpoint_leaf(chain: str, position: int, hash: str) -> bytes:
    """Return the Merkle leaf data for one chain head."""
    return f"{chain}\n{position}\n{hash}".encode()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class MerkleTree:
    """The RFC 6962 Merkle tree hash of leaves added one at a time, in O(log n) memory.

    The stack holds the roots of perfect subtrees of decreasing size; folding them from the
    right gives the same root as RFC 6962's split at the largest power of two below n.
    """

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []

    def add(self, data: bytes) -> None:
        node, width = hashlib.sha256(b"\x00" + data).digest(), 1
        while self._stack and self._stack[-1][0] == width:
            _, left = self._stack.pop()
            node, width = _node(left, node), width * 2
        self._stack.append((width, node))
        self.size += 1

    def root(self) -> str:
        """Return the hex root; the tree of no leaves has the SHA-256 of nothing as its root."""
        if not self._stack:
            return hashlib.sha256(b"").hexdigest()
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = _node(left, node)
        return node.hex()


def merkle_root(leaves: Iterable[bytes]) -> str:
    """Return the RFC 6962 Merkle tree hash of `leaves`, in order."""
    tree = MerkleTree()
    for leaf in leaves:
        tree.add(leaf)
    return tree.root()


def checkpoint_body(
    *, number: int, created_at: str, previous_hash: str, root: str, size: int
) -> bytes:
    """Return the canonical JSON that a checkpoint's hash and signature cover."""
    body = {
        "number": number,
        "created_at": created_at,
        "previous_hash": previous_hash,
        "root": root,
        "size": size,
    }
    return _canonical(body).encode()


def checkpoint_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
