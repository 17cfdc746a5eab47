"""The evidence chain without a database: hashes, and the first inconsistency named exactly."""

import dataclasses
import datetime as dt
import hashlib
import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from orderwatch.evidence import chain

MOMENT = dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)
AUTHOR = "5f0c1a70-0000-4000-8000-000000000001"


def _content(number: int, **changes) -> chain.ItemContent:
    content = chain.ItemContent(
        kind="photo",
        occurrence={"precision": "date", "on": "2026-03-04", "at": None, "until": None},
        description=f"Photo {number} of the car outside.",
        author_kind="practitioner",
        corrects=None,
        file_hashes=[f"{number:064x}"],
    )
    return dataclasses.replace(content, **changes)


def _chain(contents: list[chain.ItemContent], removed: dict[int, str] | None = None):
    """Build a valid chain: each item added in turn, then the removals (position -> reason)."""
    removed = removed or {}
    steps = [(chain.ADDED, i, "") for i in range(len(contents))]
    steps += [(chain.REMOVED, i, reason) for i, reason in removed.items()]
    item_hashes = {f"item-{i}": chain.item_hash(c) for i, c in enumerate(contents)}
    removal_hashes = {f"item-{i}": chain.removal_hash(r) for i, r in removed.items()}
    return _entries(contents, steps), item_hashes, removal_hashes


def _entries(contents: list[chain.ItemContent], steps) -> list[chain.Entry]:
    """Return correctly hashed entries for the steps (kind, item position, removal reason)."""
    entries, previous = [], chain.GENESIS_HASH
    for sequence, (kind, position, reason) in enumerate(steps, start=1):
        entry = chain.Entry(
            sequence=sequence,
            kind=kind,
            item_id=f"item-{position}",
            item_hash=chain.item_hash(contents[position]),
            removal_hash=chain.removal_hash(reason) if reason else "",
            previous_hash=previous,
            recorded_at=MOMENT + dt.timedelta(minutes=sequence),
            author_id=AUTHOR,
            entry_hash="",
        )
        previous = chain.entry_hash(previous, chain.body_of(entry))
        entries.append(dataclasses.replace(entry, entry_hash=previous))
    return entries


def test_an_intact_chain_has_no_inconsistency():
    entries, items, removals = _chain([_content(1), _content(2)], removed={0: "Wrong case"})
    assert chain.first_inconsistency(entries, items, removals) is None


def test_an_empty_chain_of_no_items_is_intact():
    assert chain.first_inconsistency([], {}) is None


def test_the_item_hash_is_the_sha256_of_its_canonical_json():
    content = _content(1, description="Café: “I know where you are”")
    canonical = chain.item_canonical(content)
    assert json.loads(canonical) == {
        "kind": "photo",
        "occurrence": {"precision": "date", "on": "2026-03-04", "at": None, "until": None},
        "description": "Café: “I know where you are”",
        "author_kind": "practitioner",
        "corrects": None,
        "files": [f"{1:064x}"],
    }
    assert (
        canonical
        == json.dumps(
            json.loads(canonical), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    )
    assert chain.item_hash(content) == hashlib.sha256(canonical).hexdigest()


def test_an_entry_is_hashed_as_audit_events_are():
    from orderwatch.audit.chain import link_hash

    entries, _, _ = _chain([_content(1)])
    assert entries[0].entry_hash == link_hash(chain.GENESIS_HASH, chain.body_of(entries[0]))


_ITEM_FIELDS = {
    "kind": st.sampled_from(["note", "video", "audio"]),
    "occurrence": st.fixed_dictionaries(
        {"precision": st.just("exact"), "on": st.just("2026-03-01"), "at": st.just("09:00:00")}
    ),
    "description": st.text(min_size=1),
    "author_kind": st.just("victim_survivor"),
    "corrects": st.uuids().map(str),
    "file_hashes": st.lists(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)),
}


@given(
    position=st.integers(0, 4),
    data=st.data(),
    field=st.sampled_from(sorted(_ITEM_FIELDS)),
)
def test_any_single_altered_item_field_is_found_at_its_entry(position, data, field):
    contents = [_content(n) for n in range(5)]
    entries, items, _ = _chain(contents)
    altered = dataclasses.replace(contents[position], **{field: data.draw(_ITEM_FIELDS[field])})
    assume(altered != contents[position])  # a draw can be the value already there
    items[f"item-{position}"] = chain.item_hash(altered)
    assert chain.first_inconsistency(entries, items) == (
        f"Entry {position + 1}: item item-{position} has changed since it was recorded"
    )


_ENTRY_CHANGES = {
    "kind": st.just("removed"),
    "item_id": st.just("item-9"),
    "item_hash": st.just("f" * 64),
    "removal_hash": st.just("e" * 64),
    "recorded_at": st.datetimes(timezones=st.just(dt.UTC)),
    "author_id": st.uuids().map(str),
}


@given(position=st.integers(0, 4), field=st.sampled_from(sorted(_ENTRY_CHANGES)), data=st.data())
def test_any_single_altered_entry_field_is_found_at_that_entry(position, field, data):
    entries, items, _ = _chain([_content(n) for n in range(5)])
    value = data.draw(
        _ENTRY_CHANGES[field].filter(lambda v: v != getattr(entries[position], field))
    )
    entries[position] = dataclasses.replace(entries[position], **{field: value})
    assert chain.first_inconsistency(entries, items) == (
        f"Entry {position + 1} has been altered: its contents do not match its hash"
    )


@given(position=st.integers(0, 3))
def test_an_entry_rehashed_after_changing_it_breaks_the_link_after_it(position):
    contents = [_content(n) for n in range(5)]
    entries, items, _ = _chain(contents)
    forged = dataclasses.replace(entries[position], recorded_at=MOMENT - dt.timedelta(days=1))
    entries[position] = dataclasses.replace(
        forged, entry_hash=chain.entry_hash(forged.previous_hash, chain.body_of(forged))
    )
    assert chain.first_inconsistency(entries, items) == (
        f"Entry {position + 2} does not follow on from the entry before it"
    )


@given(position=st.integers(0, 4))
def test_a_missing_entry_is_named(position):
    entries, items, _ = _chain([_content(n) for n in range(5)])
    del entries[position]
    expected = (
        f"Entry {position + 1} is missing from the chain"
        if position < 4
        else "Item item-4 is not on the chain"
    )
    assert chain.first_inconsistency(entries, items) == expected


def test_swapped_entries_are_found():
    entries, items, _ = _chain([_content(n) for n in range(3)])
    entries[0], entries[1] = entries[1], entries[0]
    assert chain.first_inconsistency(entries, items) == "Entry 1 is missing from the chain"


def test_a_deleted_item_is_found():
    entries, items, _ = _chain([_content(n) for n in range(3)])
    del items["item-1"]
    assert chain.first_inconsistency(entries, items) == "Entry 2: item item-1 is missing"


def test_an_altered_removal_reason_is_found():
    entries, items, removals = _chain([_content(1)], removed={0: "Added to the wrong case"})
    removals["item-0"] = chain.removal_hash("Not needed")
    assert chain.first_inconsistency(entries, items, removals) == (
        "Entry 2: the reason item item-0 was removed has changed since it was recorded"
    )


def test_a_removal_without_its_record_is_found():
    entries, items, _ = _chain([_content(1)], removed={0: "Added to the wrong case"})
    assert chain.first_inconsistency(entries, items) == (
        "Entry 2: the record of item item-0's removal is missing"
    )


def test_a_removal_record_without_its_entry_is_found():
    entries, items, _ = _chain([_content(1)])
    removals = {"item-0": chain.removal_hash("Added to the wrong case")}
    assert chain.first_inconsistency(entries, items, removals) == (
        "The removal of item item-0 is not on the chain"
    )


REASON = "Added to the wrong case"


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([("added", 0, ""), ("added", 0, "")], "Entry 2: item item-0 is added a second time"),
        (
            [("removed", 0, REASON), ("added", 0, "")],
            "Entry 1: item item-0 is removed without being on the chain",
        ),
        (
            [("added", 0, ""), ("removed", 0, REASON), ("removed", 0, REASON)],
            "Entry 3: item item-0 is removed without being on the chain",
        ),
        ([("added", 0, ""), ("edited", 0, "")], "Entry 2: its kind 'edited' is not known"),
    ],
    ids=["added-twice", "removed-before-added", "removed-twice", "unknown-kind"],
)
def test_entries_out_of_their_order_are_found(steps, expected):
    contents = [_content(1)]
    items = {"item-0": chain.item_hash(contents[0])}
    removals = {"item-0": chain.removal_hash(REASON)}
    assert chain.first_inconsistency(_entries(contents, steps), items, removals) == expected
