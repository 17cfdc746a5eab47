"""When a breach happened, as precisely as it is known. Pure: no database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from orderwatch.breaches.occurrence import Occurrence, Precision

LONDON = ZoneInfo("Europe/London")
DAY = dt.date(2026, 3, 3)
NINE_PM = dt.time(21, 0)


def _at(date: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=LONDON)


# Labels


@pytest.mark.parametrize(
    ("occurrence", "label"),
    [
        (Occurrence(Precision.EXACT, DAY, NINE_PM), "3 March 2026 at 9pm"),
        (Occurrence(Precision.APPROXIMATE, DAY, NINE_PM), "3 March 2026 at about 9pm"),
        (Occurrence(Precision.DATE, DAY), "3 March 2026 (time not known)"),
        (
            Occurrence(Precision.RANGE, dt.date(2026, 3, 1), until=dt.date(2026, 3, 7)),
            "Some time between 1 March 2026 and 7 March 2026",
        ),
        (Occurrence(Precision.EXACT, DAY, dt.time(0, 0)), "3 March 2026 at midnight"),
        (Occurrence(Precision.EXACT, DAY, dt.time(12, 5)), "3 March 2026 at 12:05pm"),
        (Occurrence(Precision.APPROXIMATE, DAY, dt.time(9, 30)), "3 March 2026 at about 9:30am"),
    ],
)
def test_label_says_when_and_how_precisely(occurrence, label):
    assert occurrence.label() == label


def test_a_date_only_label_ignores_a_stray_time():
    assert Occurrence(Precision.DATE, DAY, NINE_PM).label() == "3 March 2026 (time not known)"


# Earliest and latest moments


def test_an_exact_time_is_both_the_earliest_and_the_latest_moment():
    occurrence = Occurrence(Precision.EXACT, DAY, NINE_PM)
    assert occurrence.earliest(LONDON) == _at(DAY, NINE_PM)
    assert occurrence.latest(LONDON) == _at(DAY, NINE_PM)


def test_an_approximate_time_could_have_been_an_hour_either_side():
    occurrence = Occurrence(Precision.APPROXIMATE, DAY, NINE_PM)
    assert occurrence.earliest(LONDON) == _at(DAY, dt.time(20, 0))
    assert occurrence.latest(LONDON) == _at(DAY, dt.time(22, 0))


def test_an_approximate_time_just_after_midnight_could_have_been_the_day_before():
    occurrence = Occurrence(Precision.APPROXIMATE, DAY, dt.time(0, 30))
    assert occurrence.earliest(LONDON) == _at(DAY - dt.timedelta(days=1), dt.time(23, 30))


def test_a_date_spans_the_whole_day():
    occurrence = Occurrence(Precision.DATE, DAY, NINE_PM)
    assert occurrence.earliest(LONDON) == _at(DAY, dt.time.min)
    assert occurrence.latest(LONDON) == _at(DAY, dt.time.max)
    assert occurrence.first_day == occurrence.last_day == DAY


def test_a_range_spans_from_the_start_of_its_first_day_to_the_end_of_its_last():
    occurrence = Occurrence(Precision.RANGE, dt.date(2026, 3, 1), until=dt.date(2026, 3, 7))
    assert occurrence.earliest(LONDON) == _at(dt.date(2026, 3, 1), dt.time.min)
    assert occurrence.latest(LONDON) == _at(dt.date(2026, 3, 7), dt.time.max)
    assert (occurrence.first_day, occurrence.last_day) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 7),
    )


def test_an_until_date_is_ignored_unless_it_is_a_range():
    occurrence = Occurrence(Precision.DATE, DAY, until=dt.date(2026, 3, 9))
    assert occurrence.last_day == DAY
    assert occurrence.latest(LONDON) == _at(DAY, dt.time.max)


def test_earliest_and_latest_are_in_the_zone_given():
    assert Occurrence(Precision.DATE, DAY).earliest(LONDON).tzinfo is LONDON


# Problems


@pytest.mark.parametrize(
    "occurrence",
    [
        Occurrence(Precision.EXACT, DAY, NINE_PM),
        Occurrence(Precision.APPROXIMATE, DAY, NINE_PM),
        Occurrence(Precision.DATE, DAY),
        Occurrence(Precision.RANGE, DAY, until=DAY + dt.timedelta(days=1)),
    ],
)
def test_a_complete_occurrence_has_no_problems(occurrence):
    assert occurrence.problems() == {}


@pytest.mark.parametrize("precision", [Precision.EXACT, Precision.APPROXIMATE])
def test_a_time_is_needed_unless_only_the_date_is_known(precision):
    assert Occurrence(precision, DAY).problems() == {
        "at": "Enter the time it happened, or choose that only the date is known"
    }


def test_a_range_needs_a_last_date():
    assert Occurrence(Precision.RANGE, DAY).problems() == {
        "until": "Enter the last date it could have happened"
    }


@pytest.mark.parametrize("until", [DAY, DAY - dt.timedelta(days=1)])
def test_a_range_must_end_after_it_starts(until):
    assert Occurrence(Precision.RANGE, DAY, until=until).problems() == {
        "until": "The last date must be after the first date"
    }


# Properties, for any complete occurrence

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
occurrences = st.builds(
    Occurrence,
    precision=st.sampled_from(Precision),
    on=days,
    at=st.none() | st.times(),
    until=st.none() | days,
)
timed_occurrences = st.builds(
    Occurrence,
    precision=st.sampled_from([Precision.EXACT, Precision.APPROXIMATE]),
    on=days,
    at=st.times(),
)


@given(occurrences)
def test_earliest_is_never_after_latest(occurrence):
    assume(not occurrence.problems())
    assert occurrence.earliest(LONDON) <= occurrence.latest(LONDON)
    assert occurrence.first_day <= occurrence.last_day


@given(days, days)
def test_a_complete_range_has_a_first_day_before_its_last_day(on, until):
    occurrence = Occurrence(Precision.RANGE, on, until=until)
    assume(not occurrence.problems())
    assert occurrence.first_day < occurrence.last_day
    assert occurrence.earliest(LONDON).date() == occurrence.first_day
    assert occurrence.latest(LONDON).date() == occurrence.last_day


@given(occurrences)
def test_the_label_always_names_the_first_day(occurrence):
    assume(not occurrence.problems())
    assert occurrence.label().startswith(
        f"{occurrence.on.day} {occurrence.on:%B %Y}"
    ) or occurrence.label().startswith(f"Some time between {occurrence.on.day} ")


@given(timed_occurrences)
def test_an_exact_time_is_one_moment_and_an_approximate_one_spans_two_hours(occurrence):
    spread = occurrence.latest(LONDON) - occurrence.earliest(LONDON)
    expected = dt.timedelta(0) if occurrence.precision == Precision.EXACT else dt.timedelta(hours=2)
    assert spread == expected
