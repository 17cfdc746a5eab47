"""One fixed moment: tests of "today", working days and reminders agree on every run and machine."""

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
# Thursday 5 March 2026, 10am in London: two working days later is Monday 9 March.
NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()
