"""Dates and times written the GOV.UK way, for pages and PDFs alike. No Django."""

import datetime as dt


def day_label(day: dt.date) -> str:
    """Return a date in GOV.UK style: 3 March 2026."""
    return f"{day.day} {day:%B %Y}"


def time_label(moment: dt.time) -> str:
    """Return a time in GOV.UK style: 9am, 9:30pm, midday, midnight."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"
