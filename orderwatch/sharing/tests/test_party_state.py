"""A party's state follows from two times alone, so it is tested without a database."""

import datetime as dt

from orderwatch.sharing.selectors import PartyState, party_state

NINE = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
TEN = NINE + dt.timedelta(hours=1)


def test_never_told_is_not_yet_informed_whatever_happened():
    assert party_state(None, None) is PartyState.NOT_YET_INFORMED
    assert party_state(None, TEN) is PartyState.NOT_YET_INFORMED


def test_told_with_nothing_since_is_informed():
    assert party_state(NINE, None) is PartyState.INFORMED
    assert party_state(TEN, NINE) is PartyState.INFORMED


def test_a_share_at_the_moment_of_the_event_covers_it():
    assert party_state(TEN, TEN) is PartyState.INFORMED


def test_told_before_the_latest_event_needs_updating():
    assert party_state(NINE, TEN) is PartyState.NEEDS_UPDATING


def test_only_informed_is_not_outstanding():
    assert [s for s in PartyState if not s.outstanding] == [PartyState.INFORMED]
    assert PartyState.NEEDS_UPDATING.label == "Needs updating"
