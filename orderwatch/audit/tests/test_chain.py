"""The hash chain on its own, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from orderwatch.audit.chain import GENESIS_HASH, Link, first_break, link_hash

bodies = st.lists(
    st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=4),
    min_size=1,
    max_size=30,
)


def build_chain(items: list[dict]) -> list[Link]:
    links, previous = [], GENESIS_HASH
    for sequence, body in enumerate(items, start=1):
        digest = link_hash(previous, body)
        links.append(Link(sequence, previous, digest, body))
        previous = digest
    return links


@given(bodies)
def test_an_untouched_chain_is_intact(items):
    links = build_chain(items)
    assert first_break(links, head_sequence=len(links), head_hash=links[-1].hash) is None


@given(bodies, st.data())
def test_changing_any_event_is_caught_at_that_event(items, data):
    links = build_chain(items)
    index = data.draw(st.integers(0, len(links) - 1))
    tampered = links[index]
    links[index] = Link(
        tampered.sequence,
        tampered.previous_hash,
        tampered.hash,
        {**tampered.body, "tampered": "yes"},
    )
    broken = first_break(links)
    assert broken is not None
    assert broken.sequence == index + 1
    assert "contents" in broken.reason


def test_a_deleted_event_in_the_middle_is_named():
    links = build_chain([{"n": str(i)} for i in range(5)])
    del links[2]
    broken = first_break(links)
    assert broken is not None
    assert broken.sequence == 3
    assert broken.reason == "event 3 is missing"


def test_deleting_the_newest_events_is_caught_by_the_recorded_head():
    links = build_chain([{"n": str(i)} for i in range(5)])
    broken = first_break(links[:3], head_sequence=5, head_hash=links[-1].hash)
    assert broken is not None
    assert broken.reason == "events 4 to 5 are missing"


def test_rehashing_a_changed_event_still_breaks_the_next_link():
    links = build_chain([{"n": str(i)} for i in range(4)])
    forged_body = {"n": "forged"}
    links[1] = Link(
        2, links[1].previous_hash, link_hash(links[1].previous_hash, forged_body), forged_body
    )
    broken = first_break(links)
    assert broken is not None
    assert broken.sequence == 3
    assert "does not follow" in broken.reason


def test_an_empty_chain_with_no_recorded_events_is_intact():
    assert first_break([], head_sequence=0, head_hash=GENESIS_HASH) is None
