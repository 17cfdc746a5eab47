"""Working days, as pure date arithmetic: no database, no settings."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderwatch.tasks.working_days import add_working_days

FRIDAY = dt.date(2026, 3, 6)
CHRISTMAS = {dt.date(2026, 12, 25), dt.date(2026, 12, 28)}  # Friday, and Boxing Day moved


def _is_working_day(day: dt.date, holidays) -> bool:
    return day.weekday() < 5 and day not in holidays


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (FRIDAY, 0, FRIDAY),
        (FRIDAY, 1, dt.date(2026, 3, 9)),  # Monday
        (FRIDAY, 2, dt.date(2026, 3, 10)),  # Tuesday
        (dt.date(2026, 3, 7), 1, dt.date(2026, 3, 9)),  # Saturday -> Monday
        (dt.date(2026, 3, 2), 5, dt.date(2026, 3, 9)),  # a whole week
    ],
)
def test_weekends_are_skipped(start, days, expected):
    assert add_working_days(start, days) == expected


def test_bank_holidays_are_skipped():
    # Thursday 24 December: Friday 25 and Monday 28 are bank holidays.
    assert add_working_days(dt.date(2026, 12, 24), 2, CHRISTMAS) == dt.date(2026, 12, 30)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_days(FRIDAY, -1)


@given(
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    days=st.integers(min_value=1, max_value=60),
    holidays=st.sets(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 6, 1))),
)
def test_the_result_is_a_working_day_exactly_n_working_days_on(start, days, holidays):
    result = add_working_days(start, days, holidays)
    assert result > start
    assert _is_working_day(result, holidays)
    between = [start + dt.timedelta(days=offset) for offset in range(1, (result - start).days + 1)]
    assert sum(_is_working_day(day, holidays) for day in between) == days


@given(start=st.dates(), holidays=st.sets(st.dates(), max_size=5))
def test_zero_working_days_is_the_start_date(start, holidays):
    assert add_working_days(start, 0, holidays) == start
