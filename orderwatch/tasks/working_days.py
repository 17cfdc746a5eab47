"""Working days: due dates that skip weekends and bank holidays."""

import datetime as dt
from collections.abc import Container


def add_working_days(start: dt.date, days: int, holidays: Container[dt.date] = ()) -> dt.date:
    """Return the date `days` working days after `start` (a Friday + 1 is the Monday)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    while days:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            days -= 1
    return current
