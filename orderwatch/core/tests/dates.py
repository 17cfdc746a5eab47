"""Dates and times as a browser posts them from GOV.UK date inputs, for view tests."""

import datetime as dt

from django.utils import timezone


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    """Return what the Day, Month and Year boxes of date question `name` post for `day`."""
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def moment_parts(name: str, moment: dt.datetime) -> dict[str, str]:
    """Return what a date question with a time box posts for `moment` (UK time, 24-hour)."""
    local = timezone.localtime(moment)
    return {**date_parts(name, local.date()), f"{name}-time": f"{local:%H:%M}"}


def as_posted(answers: dict) -> dict:
    """Return `answers` with each date or datetime value posted as its boxes."""
    posted = {}
    for name, value in answers.items():
        if isinstance(value, dt.datetime):
            posted |= moment_parts(name, value)
        elif isinstance(value, dt.date):
            posted |= date_parts(name, value)
        else:
            posted[name] = value
    return posted
