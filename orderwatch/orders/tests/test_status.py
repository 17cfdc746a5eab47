"""Order status and expiry rules, across their boundaries. No database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderwatch.orders.status import Change, Status, days_in_force, ends_within, order_state

TODAY = dt.date(2026, 11, 25)
LAST_YEAR = dt.date(2025, 11, 25)


def state(ends_on=None, *, until_further_order=False, starts_on=LAST_YEAR, changes=(), today=TODAY):
    return order_state(
        starts_on=starts_on,
        ends_on=ends_on,
        until_further_order=until_further_order,
        changes=list(changes),
        today=today,
    )


def test_an_order_ending_today_is_still_in_force_on_its_last_day():
    s = state(TODAY)
    assert (s.status, s.days_to_end, s.label) == (Status.IN_FORCE, 0, "In force")


def test_an_order_that_ended_yesterday_has_expired():
    s = state(TODAY - dt.timedelta(days=1))
    assert s.status == Status.EXPIRED
    assert not s.in_force


def test_an_order_ending_tomorrow_has_one_day_to_go():
    assert state(TODAY + dt.timedelta(days=1)).days_to_end == 1


def test_until_further_order_never_expires_and_has_no_countdown():
    s = state(until_further_order=True, today=dt.date(2040, 1, 1))
    assert (s.status, s.ends_on, s.days_to_end, s.until_further_order) == (
        Status.IN_FORCE,
        None,
        None,
        True,
    )


def test_an_order_starting_tomorrow_is_not_yet_in_force():
    assert state(TODAY + dt.timedelta(days=30), starts_on=TODAY + dt.timedelta(days=1)).status == (
        Status.NOT_YET_IN_FORCE
    )


def test_discharged_early_is_discharged_from_that_day_not_before():
    discharge = Change("discharged", TODAY)
    assert state(TODAY + dt.timedelta(days=90), changes=[discharge]).status == Status.DISCHARGED
    before = state(
        TODAY + dt.timedelta(days=90), changes=[discharge], today=TODAY - dt.timedelta(days=1)
    )
    assert before.status == Status.IN_FORCE


def test_extended_order_runs_to_the_new_date():
    extension = Change("extended", TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=180))
    s = state(TODAY - dt.timedelta(days=1), changes=[extension])
    assert (s.status, s.ends_on, s.label) == (
        Status.IN_FORCE,
        TODAY + dt.timedelta(days=180),
        "In force (extended)",
    )


def test_extension_until_further_order_removes_the_end_date():
    extension = Change("extended", TODAY, None, until_further_order=True)
    s = state(TODAY, changes=[extension])
    assert (s.until_further_order, s.ends_on, s.days_to_end) == (True, None, None)


def test_an_expired_order_extended_late_is_in_force_again():
    extension = Change("extended", TODAY, TODAY + dt.timedelta(days=30))
    assert state(TODAY - dt.timedelta(days=5), changes=[extension]).status == Status.IN_FORCE


def test_a_varied_order_says_so():
    assert state(TODAY + dt.timedelta(days=9), changes=[Change("varied", TODAY)]).label == (
        "In force (varied)"
    )


def test_a_change_dated_in_the_future_has_not_happened_yet():
    later = Change("discharged", TODAY + dt.timedelta(days=3))
    assert state(TODAY + dt.timedelta(days=90), changes=[later]).status == Status.IN_FORCE


def test_the_latest_extension_wins_whatever_order_they_are_listed_in():
    first = Change("extended", TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=10))
    second = Change("extended", TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=200))
    assert state(TODAY, changes=[second, first]).ends_on == TODAY + dt.timedelta(days=200)


@pytest.mark.parametrize(
    ("days_left", "window", "expected"),
    [(0, 56, True), (56, 56, True), (57, 56, False), (-1, 56, False)],
)
def test_ending_within_the_window_counts_both_ends(days_left, window, expected):
    assert ends_within(state(TODAY + dt.timedelta(days=days_left)), window) is expected


def test_open_ended_and_discharged_orders_are_never_ending_soon():
    assert not ends_within(state(until_further_order=True), 56)
    discharged = state(TODAY + dt.timedelta(days=3), changes=[Change("discharged", TODAY)])
    assert not ends_within(discharged, 56)


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2050, 1, 1)),
    st.integers(min_value=0, max_value=3650),
    st.integers(min_value=-4000, max_value=4000),
)
def test_in_force_exactly_from_start_to_end_inclusive(starts_on, length, offset):
    ends_on = starts_on + dt.timedelta(days=length)
    today = starts_on + dt.timedelta(days=offset)
    s = state(ends_on, starts_on=starts_on, today=today)
    assert s.in_force == (starts_on <= today <= ends_on)
    if s.in_force:
        assert s.days_to_end == (ends_on - today).days


# The days an order is or was in force (for counting incidents against it)


def days(ends_on=None, *, until_further_order=False, changes=()):
    return days_in_force(
        starts_on=LAST_YEAR,
        ends_on=ends_on,
        until_further_order=until_further_order,
        changes=list(changes),
    )


def test_in_force_from_its_start_to_its_last_day_or_with_no_end():
    assert days(TODAY) == (LAST_YEAR, TODAY)
    assert days(until_further_order=True) == (LAST_YEAR, None)


def test_an_extension_moves_the_last_day_even_when_recorded_ahead():
    later = TODAY + dt.timedelta(days=200)
    extended = Change("extended", TODAY + dt.timedelta(days=10), later)
    assert days(TODAY, changes=[extended]) == (LAST_YEAR, later)
    open_ended = Change("extended", TODAY, until_further_order=True)
    assert days(TODAY, changes=[open_ended]) == (LAST_YEAR, None)


def test_a_discharge_ends_it_the_day_before_whatever_came_before_or_after():
    discharged = Change("discharged", TODAY - dt.timedelta(days=30))
    day_before = discharged.made_on - dt.timedelta(days=1)
    extended = Change("extended", TODAY, TODAY + dt.timedelta(days=300))
    assert days(TODAY, changes=[extended, discharged]) == (LAST_YEAR, day_before)
    assert days(until_further_order=True, changes=[discharged]) == (LAST_YEAR, day_before)
    # As order_state has it: not in force on the day it is discharged.
    assert not state(TODAY, changes=[discharged], today=discharged.made_on).in_force
    assert state(TODAY, changes=[discharged], today=day_before).in_force


def test_a_discharge_after_the_order_ended_changes_nothing():
    ended = TODAY - dt.timedelta(days=60)
    assert days(ended, changes=[Change("discharged", TODAY)]) == (LAST_YEAR, ended)


def test_an_order_discharged_before_it_began_was_never_in_force():
    first, last = days(TODAY, changes=[Change("discharged", LAST_YEAR - dt.timedelta(days=5))])
    assert last < first


def test_a_variation_does_not_change_the_days():
    assert days(TODAY, changes=[Change("varied", TODAY - dt.timedelta(days=3))]) == (
        LAST_YEAR,
        TODAY,
    )
