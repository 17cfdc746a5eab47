"""The hash chains and the checkpoints' Merkle tree on their own, without a database."""

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from orderwatch.audit.chain import (
    GENESIS_HASH,
    Link,
    checkpoint_body,
    checkpoint_hash,
    checkpoint_leaf,
    first_break,
    link_hash,
    merkle_root,
    note_commitment,
)

bodies = st.lists(
    st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=4),
    min_size=1,
    max_size=30,
)
chains = st.lists(bodies, min_size=1, max_size=4)


def build_chain(items: list[dict]) -> list[Link]:
    links, previous = [], GENESIS_HASH
    for position, body in enumerate(items, start=1):
        digest = link_hash(previous, body)
        links.append(Link(position, previous, digest, body, number=100 + position))
        previous = digest
    return links


def check(links: list[Link], head: Link | None = None):
    head = head or links[-1]
    return first_break(links, head.position, head.hash)


@given(bodies)
def test_an_untouched_chain_is_intact(items):
    assert check(build_chain(items)) is None


@given(chains, st.data())
def test_any_single_change_to_any_link_of_any_chain_is_found(items, data):
    all_links = [build_chain(chain_items) for chain_items in items]
    which = data.draw(st.integers(0, len(all_links) - 1))
    links = all_links[which]
    index = data.draw(st.integers(0, len(links) - 1))
    link = links[index]
    field = data.draw(st.sampled_from(["position", "previous_hash", "hash", "body"]))
    changed = {
        "position": Link(link.position + 1, link.previous_hash, link.hash, link.body, link.number),
        "previous_hash": Link(link.position, "f" * 64, link.hash, link.body, link.number),
        "hash": Link(link.position, link.previous_hash, "e" * 64, link.body, link.number),
        "body": Link(
            link.position, link.previous_hash, link.hash, {**link.body, "x": "y"}, link.number
        ),
    }[field]
    head = links[-1]
    links[index] = changed
    for other, other_links in enumerate(all_links):
        broken = first_break(other_links, other_links[-1].position, other_links[-1].hash)
        if other != which:
            assert broken is None
    broken = first_break(links, head.position, head.hash)
    assert broken is not None
    assert broken.position <= index + 2


def test_a_changed_event_is_named_with_its_global_number():
    links = build_chain([{"n": str(i)} for i in range(4)])
    head = links[-1]
    links[1] = Link(2, links[1].previous_hash, links[1].hash, {"n": "forged"}, 102)
    broken = check(links, head)
    assert (broken.position, broken.number, broken.reason) == (
        2,
        102,
        "its contents do not match its hash",
    )


def test_a_deleted_event_in_the_middle_is_named():
    links = build_chain([{"n": str(i)} for i in range(5)])
    head = links[-1]
    del links[2]
    broken = check(links, head)
    assert (broken.position, broken.number) == (3, None)
    assert broken.reason == "the event at position 3 is missing"


def test_reordered_events_do_not_follow_on():
    links = build_chain([{"n": str(i)} for i in range(4)])
    head = links[-1]
    second, third = links[1], links[2]
    links[1] = Link(2, third.previous_hash, third.hash, third.body, third.number)
    links[2] = Link(3, second.previous_hash, second.hash, second.body, second.number)
    broken = check(links, head)
    assert (broken.position, broken.number) == (2, third.number)
    assert broken.reason == "it does not follow on from the event before it"


def test_deleting_the_newest_events_is_caught_by_the_recorded_head():
    links = build_chain([{"n": str(i)} for i in range(5)])
    assert check(links[:3], links[-1]).reason == "the newest events (positions 4 to 5) are missing"
    assert check(links[:4], links[-1]).reason == "the newest event (position 5) is missing"


def test_an_event_after_the_recorded_end_is_named():
    links = build_chain([{"n": str(i)} for i in range(3)])
    broken = check(links, links[1])
    assert (broken.position, broken.reason) == (3, "it comes after the recorded end of the chain")


def test_a_head_that_does_not_match_the_newest_event_is_named():
    links = build_chain([{"n": str(i)} for i in range(3)])
    broken = first_break(links, 3, "d" * 64)
    assert broken.reason == "the newest event does not match the recorded end of the chain"


def test_two_events_at_one_position_are_named():
    links = build_chain([{"n": str(i)} for i in range(3)])
    broken = check([links[0], links[1], links[1], links[2]], links[2])
    assert (broken.position, broken.reason) == (2, "another event holds the same position")


def test_rehashing_a_changed_event_still_breaks_the_next_link():
    links = build_chain([{"n": str(i)} for i in range(4)])
    head = links[-1]
    forged_body = {"n": "forged"}
    links[1] = Link(
        2, links[1].previous_hash, link_hash(links[1].previous_hash, forged_body), forged_body
    )
    broken = check(links, head)
    assert (broken.position, broken.reason) == (3, "it does not follow on from the event before it")


def test_an_empty_chain_at_genesis_is_intact():
    assert first_break([], 0, GENESIS_HASH) is None


def _leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _reference_root(leaves: list[bytes]) -> bytes:
    """RFC 6962 section 2.1, as written: split at the largest power of two below n."""
    if len(leaves) == 1:
        return _leaf(leaves[0])
    split = 1
    while split * 2 < len(leaves):
        split *= 2
    left, right = _reference_root(leaves[:split]), _reference_root(leaves[split:])
    return hashlib.sha256(b"\x01" + left + right).digest()


@given(st.lists(st.binary(max_size=16), min_size=1, max_size=70))
def test_the_merkle_root_is_rfc_6962s(leaves):
    assert merkle_root(leaves) == _reference_root(leaves).hex()


def test_the_merkle_root_of_known_leaves():
    assert merkle_root([]) == hashlib.sha256(b"").hexdigest()
    # RFC 6962's hash of the empty leaf, as published with Certificate Transparency.
    assert merkle_root([b""]) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"


@given(st.lists(st.integers(1, 50), min_size=1, max_size=20, unique=True), st.data())
def test_changing_any_checkpoint_entry_changes_the_root(positions, data):
    entries = [(f"case:{n}", n, link_hash(GENESIS_HASH, {"n": n})) for n in positions]
    root = merkle_root(checkpoint_leaf(*entry) for entry in entries)
    index = data.draw(st.integers(0, len(entries) - 1))
    chain, position, digest = entries[index]
    entries[index] = (chain, position + 100, digest)
    assert merkle_root(checkpoint_leaf(*entry) for entry in entries) != root


def test_a_checkpoint_hash_covers_every_field():
    fields = {
        "number": 1,
        "created_at": "2026-12-06T06:00:00+00:00",
        "previous_hash": GENESIS_HASH,
        "root": "a" * 64,
        "size": 2,
    }
    digest = checkpoint_hash(checkpoint_body(**fields))
    for name, other in [("number", 2), ("root", "b" * 64), ("size", 3)]:
        assert checkpoint_hash(checkpoint_body(**{**fields, name: other})) != digest


def test_a_note_commitment_is_the_hash_of_its_salt_then_its_words():
    salt = "ab" * 32
    expected = hashlib.sha256(bytes.fromhex(salt) + "Visit at the café".encode()).hexdigest()
    assert note_commitment(salt, "Visit at the café") == expected


@given(st.text(), st.text())
def test_a_note_commitment_changes_with_any_change_to_the_words(words, other):
    salt = "01" * 32
    assert (note_commitment(salt, words) == note_commitment(salt, other)) == (words == other)


def test_a_note_commitment_changes_with_the_salt():
    assert note_commitment("00" * 32, "Same words") != note_commitment("01" * 32, "Same words")
