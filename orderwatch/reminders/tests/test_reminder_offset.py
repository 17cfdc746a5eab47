"""Which reminder an order gets: the smallest offset whose point it has reached. No database."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderwatch.reminders.schedule import expiry_task_key, reminder_offset

WEEKS = [8, 4, 2, 1]


@pytest.mark.parametrize(
    ("days_to_end", "expected"),
    [(57, None), (56, 8), (29, 8), (28, 4), (15, 4), (14, 2), (13, 2), (8, 2), (7, 1), (0, 1)],
)
def test_an_order_gets_the_smallest_offset_it_has_reached(days_to_end, expected):
    assert reminder_offset(days_to_end, WEEKS) == expected


def test_an_order_that_has_ended_gets_no_reminder():
    assert reminder_offset(-1, WEEKS) is None


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # frozen clock only
@given(st.integers(min_value=0, max_value=56))
def test_the_offset_reached_is_never_earlier_than_the_days_left(days_to_end):
    offset = reminder_offset(days_to_end, WEEKS)
    assert offset * 7 >= days_to_end
    assert all(w * 7 < days_to_end or w >= offset for w in WEEKS)


def test_the_key_names_the_end_date_so_an_extension_restarts_the_reminders():
    assert expiry_task_key(dt.date(2026, 3, 18), 2) == "2026-03-18:2w"
    assert expiry_task_key(dt.date(2026, 9, 18), 2) != expiry_task_key(dt.date(2026, 3, 18), 2)
