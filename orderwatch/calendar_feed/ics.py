"""Turn feed entries into an iCalendar document. No Django here."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Protocol

from icalendar import Calendar, Event


class Entry(Protocol):
    uid: str
    on: dt.date
    summary: str
    path: str


def calendar_document(
    entries: Iterable[Entry], *, now: dt.datetime, absolute_url: Callable[[str], str]
) -> bytes:
    """Return an iCalendar file with one private, all-day event per entry."""
    calendar = Calendar()
    calendar.add("prodid", "-//OrderWatch//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "OrderWatch")
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@orderwatch")
        event.add("dtstamp", now)
        event.add("dtstart", entry.on)
        event.add("dtend", entry.on + dt.timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("url", absolute_url(entry.path))
        event.add("class", "PRIVATE")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
