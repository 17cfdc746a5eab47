"""Reading what people type into GOV.UK date and time inputs, with GOV.UK's error messages.

No Django. The form fields in `orderwatch.core.forms` call these and turn a `DateProblem`
into a form error; which boxes it names decides which boxes are shown in error.

What is accepted, as the GOV.UK date input guidance asks: spaces around the answer; "3" or
"03"; a day written "3rd"; a month as a number, a name or its abbreviation ("March", "mar",
"Sept."). Times: "9:30am", "9.30pm", "9am", "9:30 a.m.", "21:30", "2130", "midday", "noon",
"midnight". A time with no am or pm is read on the 24-hour clock, so it needs its minutes
("21:30", not "21"), and "9" alone is refused rather than guessed.
"""

import datetime as dt
import enum
import re

from orderwatch.core.govuk_dates import MONTHS

DAY, MONTH, YEAR, TIME = "day", "month", "year", "time"
DATE_PARTS = (DAY, MONTH, YEAR)

_MONTH_NAMES = {
    name: number
    for number, month in enumerate(MONTHS, start=1)
    for name in (month.lower(), month[:3].lower())
} | {"sept": 9}
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_MONTH_NUMBER = re.compile(r"\d{1,2}")
_YEAR = re.compile(r"\d+")  # any length: a year not 4 long has its own message
_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(am|pm)?")
_TWENTY_FOUR_HOUR = re.compile(r"(\d{2})(\d{2})")
_WORDS = {
    "midday": dt.time(12),
    "noon": dt.time(12),
    "12noon": dt.time(12),
    "12midday": dt.time(12),
    "midnight": dt.time(0),
    "12midnight": dt.time(0),
}


class Kind(enum.StrEnum):
    """What is wrong, in GOV.UK's order of priority."""

    MISSING = "missing"  # nothing entered
    INCOMPLETE = "incomplete"  # some boxes left empty
    YEAR_LENGTH = "year_length"  # a year that is not 4 numbers
    NOT_REAL = "not_real"  # cannot be a date (or a time)
    OUT_OF_RANGE = "out_of_range"  # a real date on the wrong side of today


class Allowed(enum.StrEnum):
    """Which side of today a date must be on, worded as GOV.UK's messages end."""

    PAST = "in the past"
    TODAY_OR_PAST = "today or in the past"
    FUTURE = "in the future"
    TODAY_OR_FUTURE = "today or in the future"

    def allows(self, day: dt.date, today: dt.date) -> bool:
        return {
            Allowed.PAST: day < today,
            Allowed.TODAY_OR_PAST: day <= today,
            Allowed.FUTURE: day > today,
            Allowed.TODAY_OR_FUTURE: day >= today,
        }[self]


class DateProblem(Exception):
    """What is wrong with an answer, and the boxes to show in error (in page order)."""

    def __init__(self, kind: Kind, parts: tuple[str, ...]):
        super().__init__(kind, parts)
        self.kind = kind
        self.parts = parts


def read_date(day: str | None, month: str | None, year: str | None) -> dt.date | None:
    """Return the date typed into the three boxes, None if all are empty, else raise."""
    typed = {DAY: _tidy(day), MONTH: _tidy(month), YEAR: _tidy(year)}
    empty = tuple(part for part in DATE_PARTS if not typed[part])
    if len(empty) == len(DATE_PARTS):
        return None
    if empty:
        raise DateProblem(Kind.INCOMPLETE, empty)
    if _YEAR.fullmatch(typed[YEAR]) and len(typed[YEAR]) != 4:
        raise DateProblem(Kind.YEAR_LENGTH, (YEAR,))
    numbers = {DAY: _day(typed[DAY]), MONTH: _month(typed[MONTH]), YEAR: _year(typed[YEAR])}
    wrong = tuple(part for part in DATE_PARTS if numbers[part] is None)
    if wrong:
        raise DateProblem(Kind.NOT_REAL, wrong)
    try:
        return dt.date(numbers[YEAR], numbers[MONTH], numbers[DAY])
    except ValueError:
        # 31 in a 30-day month, or 29 February outside a leap year: the day is what is wrong.
        raise DateProblem(Kind.NOT_REAL, (DAY,)) from None


def read_time(text: str | None) -> dt.time | None:
    """Return the time typed, None if nothing was, else raise (naming the time box)."""
    typed = _tidy(text).replace(" ", "").replace("a.m.", "am").replace("p.m.", "pm")
    if not typed:
        return None
    if typed in _WORDS:
        return _WORDS[typed]
    clock = _TWENTY_FOUR_HOUR.fullmatch(typed) or _CLOCK.fullmatch(typed)
    if clock is None:
        raise DateProblem(Kind.NOT_REAL, (TIME,))
    hour, minute = int(clock[1]), int(clock[2] or 0)
    suffix = clock[3] if clock.re is _CLOCK else None
    if suffix:
        if not 1 <= hour <= 12:
            raise DateProblem(Kind.NOT_REAL, (TIME,))
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif clock[2] is None:
        raise DateProblem(Kind.NOT_REAL, (TIME,))  # "9": morning or evening?
    if hour > 23 or minute > 59:
        raise DateProblem(Kind.NOT_REAL, (TIME,))
    return dt.time(hour, minute)


def check_side_of_today(day: dt.date, allowed: Allowed | None, today: dt.date) -> None:
    """Raise if `day` is on the wrong side of `today` for `allowed`."""
    if allowed is not None and not allowed.allows(day, today):
        raise DateProblem(Kind.OUT_OF_RANGE, DATE_PARTS)


def date_message(problem: DateProblem, name: str, allowed: Allowed | None = None) -> str:
    """Return GOV.UK's message for a date problem; `name` is what the date is, capitalised.

    For example, with "Date the order was made": "Enter the date the order was made",
    "Date the order was made must include a month", "... must be a real date",
    "... must be today or in the past".
    """
    if problem.kind == Kind.MISSING:
        return f"Enter the {_lower_first(name)}"
    if problem.kind == Kind.INCOMPLETE:
        return f"{name} must include a {' and '.join(problem.parts)}"
    if problem.kind == Kind.YEAR_LENGTH:
        return "Year must include 4 numbers"
    if problem.kind == Kind.OUT_OF_RANGE and allowed is not None:
        return f"{name} must be {allowed}"
    return f"{name} must be a real date"


def time_message(problem: DateProblem, name: str) -> str:
    """Return the message for a time problem, in the same style: "Enter the time it happened"."""
    if problem.kind == Kind.MISSING:
        return f"Enter the {_lower_first(name)}"
    return f"{name} must be a real time, like 9:30am or 21:30"


def _tidy(text: str | None) -> str:
    return (text or "").strip().lower()


def _day(text: str) -> int | None:
    match = _DAY.fullmatch(text)
    return int(match[1]) if match and 1 <= int(match[1]) <= 31 else None


def _month(text: str) -> int | None:
    if _MONTH_NUMBER.fullmatch(text):
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTH_NAMES.get(text.removesuffix("."))


def _year(text: str) -> int | None:
    # Only 4 digits reach here (others have their own message); year 0 does not exist.
    return int(text) if _YEAR.fullmatch(text) and int(text) >= 1 else None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
