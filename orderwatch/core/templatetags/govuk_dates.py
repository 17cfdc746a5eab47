"""Template filters that write dates and times the GOV.UK way, in UK time (ADR 0027).

Built in to every template (settings: TEMPLATES' builtins), so pages, emails and PDFs need
no `{% load %}`: `{{ order.made_on|govuk_date }}` is "5 March 2026",
`{{ event.at|govuk_time }}` is "10:15am", `{{ event.at|govuk_datetime }}` is
"5 March 2026 at 10:15am". Django's own `|time` and `|date` with a time in its format are
not used (a test holds this): they write "10:15a.m." and "04:36".
"""

import datetime as dt

from django import template

from orderwatch.core import govuk_dates

register = template.Library()


@register.filter
def govuk_date(value: dt.date | None) -> str:
    """Return "5 March 2026"; for a moment, its day in UK time. Nothing for no date."""
    return govuk_dates.day_label(value) if value else ""


@register.filter
def govuk_time(value: dt.time | dt.datetime | None, detail: str = "") -> str:
    """Return "10:15am", "9am", "midday" or "midnight"; "seconds" adds them (10:15:07am)."""
    if value is None or value == "":
        return ""
    return govuk_dates.time_label(value, seconds=detail == "seconds")


@register.filter
def govuk_datetime(value: dt.datetime | None, detail: str = "") -> str:
    """Return "5 March 2026 at 10:15am" in UK time.

    `detail` may be "seconds" (10:15:07am, where the order within a minute matters) or
    "zone" (10:15am BST, for documents read outside the service).
    """
    if not value:
        return ""
    return govuk_dates.moment_label(value, seconds=detail == "seconds", zone=detail == "zone")
