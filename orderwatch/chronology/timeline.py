"""A case's chronology as plain data: entries, when they happened, merging and filtering.

No Django here. Each source (orders, breaches, reviews...) turns its records into `Entry`
values; this module puts them in one order, newest first, and picks the kinds asked for.

When something happened is often known only roughly ("about 9pm", "some time that week").
An entry sorts by the earliest moment it could have been, and its label says how precise
it is, so an approximate time is never shown as exact.
"""

import datetime as dt
import enum
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

from orderwatch.core.govuk_dates import day_label, time_label


class Kind(enum.StrEnum):
    """What an entry is about, for the filter. Later sources add their kind here."""

    ORDER = "order"
    BREACH = "breach"
    REVIEW = "review"
    RISK = "risk"
    MOVE = "move"
    SHARING = "sharing"
    EVIDENCE = "evidence"
    TEAM = "team"
    CLOSURE = "closure"


KIND_LABELS = {
    Kind.ORDER: "Orders made, changed or ended",
    Kind.BREACH: "Breaches",
    Kind.REVIEW: "Safety plan reviews",
    Kind.RISK: "Risk levels",
    Kind.MOVE: "Moves",
    Kind.SHARING: "Information shared",
    Kind.EVIDENCE: "Evidence and diary entries",
    Kind.TEAM: "Case team changes",
    Kind.CLOSURE: "Case closed and reopened",
}


class HasOccurrence(Protocol):
    """An approximate time, as `orderwatch.breaches.occurrence.Occurrence` gives it."""

    precision: str  # "exact", "approximate", "date" or "range"
    on: dt.date

    def label(self) -> str: ...

    def earliest(self, tz: dt.tzinfo) -> dt.datetime: ...


@dataclass(frozen=True)
class When:
    """When an entry happened: words to show, a moment to sort by, a value for <time>."""

    label: str
    sort: dt.datetime  # timezone-aware; the earliest moment it could have been
    machine: str  # for the datetime attribute of <time>: a date or a date and time


def on_day(day: dt.date, tz: dt.tzinfo) -> When:
    """Return a When for something known only by its date (an order made, a move)."""
    return When(day_label(day), dt.datetime.combine(day, dt.time.min, tzinfo=tz), day.isoformat())


def at_moment(moment: dt.datetime, tz: dt.tzinfo) -> When:
    """Return a When for something recorded at an exact moment (a review saved)."""
    local = moment.astimezone(tz)
    return When(
        f"{day_label(local.date())} at {time_label(local.time())}",
        local,
        local.isoformat(timespec="minutes"),
    )


def from_occurrence(occurrence: HasOccurrence, tz: dt.tzinfo) -> When:
    """Return a When for an occurrence, keeping its own words for how precise it is."""
    earliest = occurrence.earliest(tz)
    timed = occurrence.precision in ("exact", "approximate")
    machine = earliest.isoformat(timespec="minutes") if timed else occurrence.on.isoformat()
    return When(occurrence.label(), earliest, machine)


@dataclass(frozen=True)
class Entry:
    """One event on the chronology."""

    kind: Kind
    key: str  # unique and stable, e.g. "breach:<id>"; the last tie-breaker
    when: When
    title: str
    recorded_at: dt.datetime  # when it was entered in OrderWatch; breaks ties on the same moment
    by: str = ""  # who did it or recorded it
    by_recorded: bool = True  # "recorded by" (it happened elsewhere) or plain "by"
    description: str = ""
    details: tuple[str, ...] = ()
    link: str = ""
    link_text: str = ""

    @property
    def byline(self) -> str:
        if not self.by:
            return ""
        return f"{'recorded by' if self.by_recorded else 'by'} {self.by}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def sort_key(self) -> tuple:
        return (self.when.sort, self.recorded_at, self.key)


def merge(*sources: Iterable[Entry]) -> list[Entry]:
    """Return the entries of every source in one list, newest first.

    Entries at the same moment (two things on the same day, say) come in the order they
    were recorded, the later one first; the key makes the order the same on every read.
    """
    entries = [entry for source in sources for entry in source]
    return sorted(entries, key=Entry.sort_key, reverse=True)


def wanted(kind: Kind, kinds: Collection[Kind]) -> bool:
    """Return True if `kind` is shown: no kinds chosen means every kind."""
    return not kinds or kind in kinds


def newest(entries: Iterable[Entry], limit: int) -> list[Entry]:
    """Return the `limit` newest entries, newest first."""
    return merge(entries)[:limit]
