"""Dates and times written the GOV.UK way, for pages, emails and PDFs alike. No Django.

One style everywhere: "5 March 2026", "10:15am", "9am", "midday", "midnight", and
"5 March 2026 at 10:15am", always in UK time. Templates use it through the `govuk_date`,
`govuk_time` and `govuk_datetime` filters.
"""

import datetime as dt
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
# Not strftime("%B"): that depends on the process's locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def uk_time(moment: dt.datetime) -> dt.datetime:
    """Return `moment` in UK time; a naive datetime is taken to be UK time already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UK)
    return moment.astimezone(UK)


def day_label(day: dt.date) -> str:
    """Return a date in GOV.UK style: 3 March 2026 (for a moment, its day in UK time)."""
    if isinstance(day, dt.datetime):
        day = uk_time(day).date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def time_label(moment: dt.time | dt.datetime, *, seconds: bool = False) -> str:
    """Return a time in GOV.UK style: 9am, 9:30pm, midday, midnight (a moment in UK time).

    With `seconds`, the seconds too (9:30:05pm), for records where the order of events
    within a minute matters.
    """
    if isinstance(moment, dt.datetime):
        moment = uk_time(moment).time()
    exact = moment.minute == 0 and (not seconds or moment.second == 0)
    if exact and moment.hour == 12:
        return "midday"
    if exact and moment.hour == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    if seconds:
        return f"{hour}:{moment.minute:02d}:{moment.second:02d}{suffix}"
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{suffix}"


def moment_label(moment: dt.datetime, *, seconds: bool = False, zone: bool = False) -> str:
    """Return a moment in GOV.UK style, in UK time: 5 March 2026 at 10:15am.

    With `zone`, the UK time zone in force is named (5 March 2026 at 10:15am BST), for
    documents read elsewhere, such as an evidence bundle.
    """
    local = uk_time(moment)
    label = f"{day_label(local.date())} at {time_label(local.time(), seconds=seconds)}"
    return f"{label} {local.tzname()}" if zone else label
