"""Reading typed dates and times (pure: no Django, no database)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderwatch.core.date_input import (
    Allowed,
    DateProblem,
    Kind,
    check_side_of_today,
    date_message,
    read_date,
    read_time,
    time_message,
)
from orderwatch.core.govuk_dates import MONTHS, time_label

NAME = "Date the order was made"
TODAY = dt.date(2026, 3, 5)
dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))
spaces = st.sampled_from(["", " ", "  ", "\t"])


def problem(day, month, year) -> DateProblem:
    with pytest.raises(DateProblem) as raised:
        read_date(day, month, year)
    return raised.value


@given(day=dates, pad_day=st.booleans(), pad_month=st.booleans(), before=spaces, after=spaces)
def test_any_real_date_typed_as_numbers_is_read_back(day, pad_day, pad_month, before, after):
    typed_day = f"{day.day:02d}" if pad_day else str(day.day)
    typed_month = f"{day.month:02d}" if pad_month else str(day.month)
    assert read_date(before + typed_day + after, typed_month + after, f"{after}{day.year}") == day


@given(day=dates, style=st.sampled_from(["full", "short", "upper", "title", "dot"]))
def test_a_month_may_be_its_name_or_short_name_in_any_case(day, style):
    name = MONTHS[day.month - 1]
    typed = {
        "full": name.lower(),
        "short": name[:3].lower(),
        "upper": name.upper(),
        "title": name[:3],
        "dot": f"{name[:3]}.",
    }[style]
    assert read_date(str(day.day), typed, str(day.year)) == day


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(("3rd", "Sept", "2026"), dt.date(2026, 9, 3)), (("1st", "jan", "2026"), dt.date(2026, 1, 1))],
)
def test_ordinal_days_and_sept_are_read(typed, expected):
    assert read_date(*typed) == expected


def test_nothing_typed_is_no_date():
    assert read_date("", " ", None) is None


@pytest.mark.parametrize(
    ("typed", "missing", "message"),
    [
        (("3", "", "2026"), ("month",), f"{NAME} must include a month"),
        (("", "3", "2026"), ("day",), f"{NAME} must include a day"),
        (("3", "3", " "), ("year",), f"{NAME} must include a year"),
        (("", "3", ""), ("day", "year"), f"{NAME} must include a day and year"),
        (("", "", "2026"), ("day", "month"), f"{NAME} must include a day and month"),
        (("3", "", ""), ("month", "year"), f"{NAME} must include a month and year"),
    ],
)
def test_an_incomplete_date_names_what_is_missing_and_only_those_boxes(typed, missing, message):
    found = problem(*typed)
    assert (found.kind, found.parts) == (Kind.INCOMPLETE, missing)
    assert date_message(found, NAME) == message


@pytest.mark.parametrize(
    ("typed", "wrong"),
    [
        (("32", "3", "2026"), ("day",)),
        (("0", "3", "2026"), ("day",)),
        (("3", "13", "2026"), ("month",)),
        (("3", "Marchy", "2026"), ("month",)),
        (("x", "y", "2026"), ("day", "month")),
        (("31", "4", "2026"), ("day",)),  # April has 30 days
        (("29", "2", "2026"), ("day",)),  # not a leap year
        (("3", "3", "0000"), ("year",)),
        (("3", "3", "2O26"), ("year",)),
    ],
)
def test_a_date_that_cannot_be_real_names_the_wrong_boxes(typed, wrong):
    found = problem(*typed)
    assert (found.kind, found.parts) == (Kind.NOT_REAL, wrong)
    assert date_message(found, NAME) == f"{NAME} must be a real date"


def test_29_february_in_a_leap_year_is_real():
    assert read_date("29", "2", "2028") == dt.date(2028, 2, 29)


@pytest.mark.parametrize("year", ["26", "226", "20266"])
def test_a_year_not_of_4_numbers_says_so(year):
    found = problem("3", "3", year)
    assert (found.kind, found.parts) == (Kind.YEAR_LENGTH, ("year",))
    assert date_message(found, NAME) == "Year must include 4 numbers"


def test_missing_boxes_are_reported_before_boxes_that_cannot_be_right():
    assert problem("45", "", "2026").kind == Kind.INCOMPLETE


@given(day=dates, month=st.integers(min_value=13, max_value=99))
def test_a_month_number_past_12_is_the_month_box_in_error(day, month):
    assert problem(str(day.day), str(month), str(day.year)).parts == ("month",)


def _outcome(day: str, month: str, year: str) -> tuple[dt.date | None, tuple[str, ...]]:
    try:
        return read_date(day, month, year), ()
    except DateProblem as found:
        return None, found.parts


@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_anything_typed_is_a_date_nothing_or_a_problem_naming_boxes(day, month, year):
    read, wrong = _outcome(day, month, year)
    assert set(wrong) <= {"day", "month", "year"}
    assert read is None or (isinstance(read, dt.date) and not wrong)


@pytest.mark.parametrize(
    ("allowed", "day", "message"),
    [
        (Allowed.TODAY_OR_PAST, TODAY + dt.timedelta(days=1), "must be today or in the past"),
        (Allowed.PAST, TODAY, "must be in the past"),
        (Allowed.FUTURE, TODAY, "must be in the future"),
        (Allowed.TODAY_OR_FUTURE, TODAY - dt.timedelta(days=1), "must be today or in the future"),
    ],
)
def test_a_date_on_the_wrong_side_of_today_is_refused_as_a_whole(allowed, day, message):
    with pytest.raises(DateProblem) as raised:
        check_side_of_today(day, allowed, TODAY)
    assert raised.value.parts == ("day", "month", "year")
    assert date_message(raised.value, NAME, allowed) == f"{NAME} {message}"


@pytest.mark.parametrize(
    ("allowed", "day"),
    [
        (Allowed.TODAY_OR_PAST, TODAY),
        (Allowed.PAST, TODAY - dt.timedelta(days=1)),
        (Allowed.FUTURE, TODAY + dt.timedelta(days=1)),
        (Allowed.TODAY_OR_FUTURE, TODAY),
        (None, dt.date(2999, 1, 1)),
    ],
)
def test_a_date_on_the_right_side_of_today_passes(allowed, day):
    check_side_of_today(day, allowed, TODAY)


def test_nothing_entered_asks_for_the_date():
    missing = DateProblem(Kind.MISSING, ("day", "month", "year"))
    assert date_message(missing, NAME) == "Enter the date the order was made"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9:30am", dt.time(9, 30)),
        ("9.30pm", dt.time(21, 30)),
        ("9:30 a.m.", dt.time(9, 30)),
        ("9:30 P.M.", dt.time(21, 30)),
        ("9am", dt.time(9)),
        ("9 pm", dt.time(21)),
        ("21:30", dt.time(21, 30)),
        ("09:05", dt.time(9, 5)),
        ("2130", dt.time(21, 30)),
        ("0:15", dt.time(0, 15)),
        ("12am", dt.time(0)),
        ("12pm", dt.time(12)),
        ("12:30am", dt.time(0, 30)),
        (" midday ", dt.time(12)),
        ("Noon", dt.time(12)),
        ("12 noon", dt.time(12)),
        ("midnight", dt.time(0)),
    ],
)
def test_times_are_read_as_people_write_them(typed, expected):
    assert read_time(typed) == expected


@pytest.mark.parametrize(
    "typed", ["9", "21", "13pm", "0am", "24:00", "9:60", "9:3", "930", "nine", "9:30xm", "-1:00"]
)
def test_a_time_that_is_ambiguous_or_impossible_is_refused(typed):
    with pytest.raises(DateProblem) as raised:
        read_time(typed)
    assert raised.value.parts == ("time",)
    assert (
        time_message(raised.value, "Time it happened")
        == "Time it happened must be a real time, like 9:30am or 21:30"
    )


def test_no_time_typed_is_no_time():
    assert read_time("  ") is None
    assert read_time(None) is None


@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_every_time_written_the_govuk_way_reads_back(moment):
    assert read_time(time_label(moment)) == moment


@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_every_time_on_the_24_hour_clock_reads_back(moment):
    assert read_time(f"{moment:%H:%M}") == moment
    assert read_time(f"{moment:%H%M}") == moment
