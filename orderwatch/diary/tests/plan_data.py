"""A safety plan to share with the diary in tests: what the victim-survivor does, and what
others do, in words a test can look for."""

import datetime as dt
from dataclasses import dataclass

from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.core.tests.clock import TODAY
from orderwatch.safety.models import SafetyAction, SafetyMeasure
from orderwatch.safety.services import (
    safety_action_add,
    safety_action_mark_done,
    safety_measure_add,
)

THEIRS = "Keep your phone charged and with you"
DONE = "Save the number of the helpline in your phone"
OTHERS = "Ask the school who may collect the children"
WHO = "Pat Mason, Northshire Police"
MEASURE = "New locks on the front and back doors"
OTHER_MEASURE = "A marker on the address for a fast police response"


@dataclass(frozen=True)
class Plan:
    theirs: SafetyAction  # due in a week
    done: SafetyAction  # done already
    others: SafetyAction  # someone else's to do
    locks: SafetyMeasure  # in place
    marker: SafetyMeasure  # planned


def plan_made(actor: User, case: Case) -> Plan:
    """Return a safety plan on `case` with three actions and two practical measures."""

    def action(what: str, due_on: dt.date | None) -> SafetyAction:
        return safety_action_add(actor=actor, case=case, what=what, who=WHO, due_on=due_on)

    theirs = action(THEIRS, TODAY + dt.timedelta(days=7))
    done = action(DONE, None)
    safety_action_mark_done(actor=actor, case=case, action_id=done.pk)
    done.refresh_from_db()
    others = action(OTHERS, TODAY + dt.timedelta(days=3))
    locks = safety_measure_add(
        actor=actor, case=case, kind="locks", details=MEASURE, status="in_place"
    )
    marker = safety_measure_add(
        actor=actor, case=case, kind="other", details=OTHER_MEASURE, status="planned"
    )
    return Plan(theirs=theirs, done=done, others=others, locks=locks, marker=marker)
