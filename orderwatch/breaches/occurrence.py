"""When something happened, as precisely as it is known.

Victim-survivors often remember "the Tuesday", "about nine at night" or "some time that week".
An occurrence keeps that honesty: an exact time, an approximate time, a date, or a range of
dates, with the earliest and latest moments it could have been.
"""

import datetime as dt
import enum
from dataclasses import dataclass

from orderwatch.core.govuk_dates import day_label, time_label

# "About 9pm" could have been a little before or after: this much either way.
APPROXIMATE_MARGIN = dt.timedelta(hours=1)


class Precision(enum.StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    DATE = "date"
    RANGE = "range"


@dataclass(frozen=True)
class Occurrence:
    precision: Precision
    on: dt.date
    at: dt.time | None = None
    until: dt.date | None = None

    def problems(self) -> dict[str, str]:
        """Return what is missing or inconsistent, keyed by the part it concerns."""
        if self.precision in (Precision.EXACT, Precision.APPROXIMATE) and self.at is None:
            return {"at": "Enter the time it happened, or choose that only the date is known"}
        if self.precision == Precision.RANGE:
            if self.until is None:
                return {"until": "Enter the last date it could have happened"}
            if self.until <= self.on:
                return {"until": "The last date must be after the first date"}
        return {}

    @property
    def first_day(self) -> dt.date:
        return self.on

    @property
    def last_day(self) -> dt.date:
        return self.until if self.precision == Precision.RANGE and self.until else self.on

    def earliest(self, tz: dt.tzinfo) -> dt.datetime:
        """Return the earliest moment it could have happened."""
        if self.at is not None and self.precision == Precision.EXACT:
            return dt.datetime.combine(self.on, self.at, tzinfo=tz)
        if self.at is not None and self.precision == Precision.APPROXIMATE:
            return dt.datetime.combine(self.on, self.at, tzinfo=tz) - APPROXIMATE_MARGIN
        return dt.datetime.combine(self.on, dt.time.min, tzinfo=tz)

    def latest(self, tz: dt.tzinfo) -> dt.datetime:
        """Return the latest moment it could have happened (for an exact time, that time)."""
        if self.at is not None and self.precision == Precision.EXACT:
            return dt.datetime.combine(self.on, self.at, tzinfo=tz)
        if self.at is not None and self.precision == Precision.APPROXIMATE:
            return dt.datetime.combine(self.on, self.at, tzinfo=tz) + APPROXIMATE_MARGIN
        return dt.datetime.combine(self.last_day, dt.time.max, tzinfo=tz)

    def label(self) -> str:
        """Return the occurrence in words, saying how precise it is."""
        day = day_label(self.on)
        if self.precision == Precision.EXACT and self.at:
            return f"{day} at {time_label(self.at)}"
        if self.precision == Precision.APPROXIMATE and self.at:
            return f"{day} at about {time_label(self.at)}"
        if self.precision == Precision.RANGE and self.until:
            return f"Some time between {day} and {day_label(self.until)}"
        return f"{day} (time not known)"
