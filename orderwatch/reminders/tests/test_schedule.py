"""When the sweep next looks at an order or an overdue review. No database."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from orderwatch.reminders.schedule import (
    next_order_visit,
    next_overdue_alert,
    overdue_alert_repeat,
    reminder_offset,
)

WEEKS = [8, 4, 2, 1]
END = dt.date(2026, 6, 30)


def _visit(days_before_end: int, *, decided: bool = False) -> dt.date | None:
    today = END - dt.timedelta(days=days_before_end)
    return next_order_visit(ends_on=END, today=today, weeks=WEEKS, decided=decided)


def test_an_order_far_from_its_end_is_next_looked_at_on_its_first_reminder_point():
    assert _visit(200) == END - dt.timedelta(weeks=8)


def test_between_reminder_points_the_next_visit_is_the_next_point():
    assert _visit(40) == END - dt.timedelta(weeks=4)
    assert _visit(28) == END - dt.timedelta(weeks=2)
    assert _visit(7) == END + dt.timedelta(days=1)


def test_after_a_decision_only_the_day_after_the_end_is_left():
    assert _visit(40, decided=True) == END + dt.timedelta(days=1)


def test_an_order_with_no_end_date_or_already_ended_is_not_visited_again():
    assert next_order_visit(ends_on=None, today=END, weeks=WEEKS, decided=False) is None
    assert _visit(-1) is None


@given(
    days_before_end=st.integers(min_value=-30, max_value=400),
    decided=st.booleans(),
    weeks=st.lists(st.integers(min_value=1, max_value=12), max_size=4, unique=True),
)
def test_no_reminder_point_or_the_end_is_ever_skipped(days_before_end, decided, weeks):
    """Between today and the next visit, no reminder offset changes and the order does not
    end: a sweep that visits only on those days misses nothing."""
    today = END - dt.timedelta(days=days_before_end)
    visit = next_order_visit(ends_on=END, today=today, weeks=weeks, decided=decided)
    last_quiet_day = visit - dt.timedelta(days=1) if visit else today + dt.timedelta(days=500)
    assert visit is None or visit > today
    day = today + dt.timedelta(days=1)
    while day <= last_quiet_day:
        assert (day > END) == (today > END)
        if not decided:
            before = reminder_offset((END - today).days, weeks)
            assert reminder_offset((END - day).days, weeks) == before
        day += dt.timedelta(days=1)


def test_an_overdue_review_is_alerted_the_day_after_it_was_due_then_every_repeat():
    due = dt.date(2026, 3, 2)
    assert overdue_alert_repeat(due_on=due, today=dt.date(2026, 3, 3), repeat_days=7) == 0
    assert next_overdue_alert(due_on=due, today=dt.date(2026, 3, 3), repeat_days=7) == dt.date(
        2026, 3, 10
    )
    assert overdue_alert_repeat(due_on=due, today=dt.date(2026, 3, 10), repeat_days=7) == 1


def test_with_repeats_switched_off_there_is_no_next_overdue_alert():
    due = dt.date(2026, 3, 2)
    assert next_overdue_alert(due_on=due, today=dt.date(2026, 3, 3), repeat_days=0) is None
