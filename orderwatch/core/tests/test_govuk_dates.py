"""Dates and times written the GOV.UK way, in UK time (pure: no Django, no database)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderwatch.core.govuk_dates import UK, day_label, moment_label, time_label


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (dt.time(10, 15), "10:15am"),
        (dt.time(19, 30), "7:30pm"),
        (dt.time(9), "9am"),
        (dt.time(21), "9pm"),
        (dt.time(12), "midday"),
        (dt.time(0), "midnight"),
        (dt.time(12, 1), "12:01pm"),
        (dt.time(0, 5), "12:05am"),
        (dt.time(4, 36), "4:36am"),
    ],
)
def test_times_are_written_the_govuk_way(moment, label):
    assert time_label(moment) == label


def test_seconds_are_shown_only_when_asked_for():
    assert time_label(dt.time(10, 15, 7), seconds=True) == "10:15:07am"
    assert time_label(dt.time(9, 0, 0), seconds=True) == "9:00:00am"
    assert time_label(dt.time(12, 0, 0), seconds=True) == "midday"
    assert time_label(dt.time(12, 0, 7), seconds=True) == "12:00:07pm"
    assert time_label(dt.time(10, 15, 7)) == "10:15am"


def test_dates_name_the_month_in_full_whatever_the_locale():
    assert day_label(dt.date(2026, 3, 5)) == "5 March 2026"
    assert day_label(dt.date(2026, 12, 25)) == "25 December 2026"


def test_a_moment_is_written_in_uk_time_summer_and_winter():
    winter = dt.datetime(2026, 1, 5, 10, 15, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 5, 10, 15, tzinfo=dt.UTC)
    assert moment_label(winter) == "5 January 2026 at 10:15am"
    assert moment_label(summer) == "5 July 2026 at 11:15am"
    assert moment_label(summer, zone=True) == "5 July 2026 at 11:15am BST"
    assert moment_label(winter, zone=True) == "5 January 2026 at 10:15am GMT"
    assert moment_label(winter.replace(second=9), seconds=True) == "5 January 2026 at 10:15:09am"


def test_a_moment_late_in_the_evening_utc_is_the_next_day_in_summer():
    assert moment_label(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)) == "1 July 2026 at 12:30am"
    assert day_label(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)) == "1 July 2026"


def test_a_naive_moment_is_taken_as_uk_time():
    naive = dt.datetime(2026, 7, 5, 10, 15)  # noqa: DTZ001 (the case under test)
    assert moment_label(naive) == "5 July 2026 at 10:15am"


@given(st.datetimes(timezones=st.just(dt.UTC)))
def test_every_label_has_one_style(moment):
    day, _, time = moment_label(moment).partition(" at ")
    assert day == day_label(moment.astimezone(UK).date())
    assert time in ("midday", "midnight") or time.endswith(("am", "pm"))
    assert ":00" not in time
    assert not time.startswith("0")
