"""When the reminder sweep next has something to do for an order or a review. No Django here.

The sweep visits only what is due (an indexed date on each order and each open review), so a
run with nothing due costs two queries however many cases there are.
"""

import datetime as dt
from collections.abc import Sequence

DAY = dt.timedelta(days=1)


def reminder_offset(days_to_end: int, weeks: Sequence[int]) -> int | None:
    """Return the smallest offset (in weeks) whose point the order has reached, or None.

    An order ending in 13 days has reached the 2-week point (and the 4- and 8-week ones), so
    its reminder is the 2-week one: a first run never opens a task for every larger offset.
    """
    reached = [w for w in weeks if 0 <= days_to_end <= w * 7]
    return min(reached, default=None)


def expiry_task_key(ends_on: dt.date, weeks: int) -> str:
    """Return the task's origin key: a new end date (an extension) restarts the reminders."""
    return f"{ends_on.isoformat()}:{weeks}w"


def next_order_visit(
    *, ends_on: dt.date | None, today: dt.date, weeks: Sequence[int], decided: bool
) -> dt.date | None:
    """Return the first day after `today` the sweep must look at an order ending on `ends_on`.

    That is the next reminder point (none once the team has decided what happens at this end
    date) or the day after the end, when the order has expired; None when nothing is left.
    """
    if ends_on is None:
        return None
    points = [] if decided else [ends_on - dt.timedelta(weeks=w) for w in weeks]
    points.append(ends_on + DAY)
    return min((point for point in points if point > today), default=None)


def overdue_alert_repeat(*, due_on: dt.date, today: dt.date, repeat_days: int) -> int:
    """Return which overdue alert this is (0 the first day after `due_on`, then each repeat)."""
    days_overdue = (today - due_on).days - 1
    return days_overdue // repeat_days if repeat_days > 0 else 0


def next_overdue_alert(*, due_on: dt.date, today: dt.date, repeat_days: int) -> dt.date | None:
    """Return the day after `today` an overdue review is next alerted on, or None (no repeats)."""
    if repeat_days <= 0:
        return None
    repeat = overdue_alert_repeat(due_on=due_on, today=today, repeat_days=repeat_days)
    return due_on + DAY + dt.timedelta(days=(repeat + 1) * repeat_days)
