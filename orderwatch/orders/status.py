"""What state an order is in today, from its dates and recorded changes. No Django here.

Status is never stored: it is worked out on every read, so it cannot go stale. An order's end
date is the last day it is in force ("until 1 March 2027" includes 1 March).
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NOT_YET_IN_FORCE = "not_yet_in_force"
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    DISCHARGED = "discharged"


LABELS = {
    Status.NOT_YET_IN_FORCE: "Not yet in force",
    Status.IN_FORCE: "In force",
    Status.EXPIRED: "Expired",
    Status.DISCHARGED: "Discharged",
}


@dataclass(frozen=True)
class Change:
    """A variation, extension or discharge, as far as dates are concerned."""

    kind: str  # "varied" | "extended" | "discharged"
    made_on: dt.date
    new_end: dt.date | None = None
    until_further_order: bool = False


@dataclass(frozen=True)
class OrderState:
    status: Status
    ends_on: dt.date | None  # None: until further order (or discharged)
    until_further_order: bool
    days_to_end: int | None  # 0 on the last day; None when there is no end date
    varied: bool
    extended: bool

    @property
    def label(self) -> str:
        qualifiers = [q for q, on in (("varied", self.varied), ("extended", self.extended)) if on]
        base = LABELS[self.status]
        if self.status in (Status.IN_FORCE, Status.NOT_YET_IN_FORCE) and qualifiers:
            return f"{base} ({' and '.join(qualifiers)})"
        return base

    @property
    def in_force(self) -> bool:
        return self.status == Status.IN_FORCE


def order_state(
    *,
    starts_on: dt.date,
    ends_on: dt.date | None,
    until_further_order: bool,
    changes: list[Change],
    today: dt.date,
) -> OrderState:
    """Return the order's state on `today`, applying its changes in the order they were made."""
    end, open_ended = ends_on, until_further_order
    discharged_on = None
    varied = extended = False
    for change in sorted(changes, key=lambda c: c.made_on):
        if change.made_on > today:
            continue  # a change recorded in advance has not happened yet
        if change.kind == "extended":
            extended = True
            end, open_ended = change.new_end, change.until_further_order
        elif change.kind == "varied":
            varied = True
        elif change.kind == "discharged":
            discharged_on = change.made_on
    if discharged_on is not None:
        return OrderState(Status.DISCHARGED, None, False, None, varied, extended)
    if today < starts_on:
        status = Status.NOT_YET_IN_FORCE
    elif not open_ended and end is not None and today > end:
        status = Status.EXPIRED
    else:
        status = Status.IN_FORCE
    days = None if open_ended or end is None else (end - today).days
    return OrderState(status, None if open_ended else end, open_ended, days, varied, extended)


def ends_within(state: OrderState, days: int) -> bool:
    """Return True if the order is (or will be) in force and ends within `days` days."""
    return (
        state.status in (Status.IN_FORCE, Status.NOT_YET_IN_FORCE)
        and state.days_to_end is not None
        and 0 <= state.days_to_end <= days
    )


def days_in_force(
    *,
    starts_on: dt.date,
    ends_on: dt.date | None,
    until_further_order: bool,
    changes: list[Change],
) -> tuple[dt.date, dt.date | None]:
    """Return the first and last day the order is or was in force; None: no end set yet.

    Every recorded change counts, even one dated ahead. As in `order_state`, an order is no
    longer in force on the day it is discharged, so the last day is the day before (the day
    before it starts, if it was discharged before it began: no days at all), and a discharge
    after the order had already ended changes nothing.
    """
    end, open_ended = ends_on, until_further_order
    for change in sorted(changes, key=lambda c: c.made_on):
        if change.kind == "extended":
            end, open_ended = change.new_end, change.until_further_order
        elif change.kind == "discharged":
            day_before = max(starts_on, change.made_on) - dt.timedelta(days=1)
            return starts_on, day_before if open_ended or end is None else min(end, day_before)
    return starts_on, None if open_ended else end
