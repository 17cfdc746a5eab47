"""A case with something of every kind on its chronology, on a frozen Thursday morning."""

import datetime as dt
from dataclasses import dataclass

import pytest

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.accounts.tests.factories import authenticator_code
from orderwatch.breaches.models import Breach, Known
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.core.tests.clock import NOW, TODAY
from orderwatch.orders.models import AddressChange, Order, OrderChange
from orderwatch.orders.services import address_change_record, order_change_record
from orderwatch.orders.tests.factories import OrderFactory
from orderwatch.safety.models import SafetyReview
from orderwatch.safety.services import risk_level_set, safety_review_record
from orderwatch.sharing.tests.factories import PartyFactory, ShareFactory
from orderwatch.tasks.models import Task

OLD_ADDRESS = "1 Test Street, Testtown, TT1 1TT"  # CaseFactory's default
NEW_ADDRESS = "22 Willow Close, Newtown, NT2 2NT"
WITNESSES = "Sam Neighbour at number 5, 07700 900456"
WHAT_HAPPENED = "He stood at the end of her road and shouted."
MOVE_REASON = "Varying the exclusion zone would name the new street."
VARIATION = "The exclusion zone was removed from the order."
REVIEW_CHANGE = "A doorbell camera was fitted and the school pick-up plan changed."
RISK_REASON = "Breach at the school gates; threats made."


@dataclass(frozen=True)
class Story:
    order: Order
    ended: Order
    variation: OrderChange
    breach: Breach
    task: Task
    review: SafetyReview
    move: AddressChange


@pytest.fixture(autouse=True)
def _thursday_morning(thursday_morning):
    """Every test here runs on Thursday 5 March 2026, 10am in London."""


def record_breach(practitioner, case, condition=None, **overrides) -> Breach:
    return breach_record(
        actor=practitioner, case=case, account=breach_account(condition, **overrides)
    )


@pytest.fixture
def story(case, order, practitioner, time_machine) -> Story:
    """An order varied, an older one ended, a breach at about 9pm with witnesses, the review
    it opened done, the risk level raised, and a move (which opened its own review); each
    recorded a minute after the one before, ending at `NOW`."""
    time_machine.move_to(NOW - dt.timedelta(minutes=10), tick=False)

    def a_minute_later():
        time_machine.shift(dt.timedelta(minutes=1))

    variation = order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.VARIED,
        made_on=TODAY - dt.timedelta(days=10),
        what_changed=VARIATION,
    )
    a_minute_later()
    ended = OrderFactory(
        case=case, made_on=dt.date(2025, 1, 6), ends_on=dt.date(2026, 1, 6), court="Old Court"
    )
    a_minute_later()
    breach = record_breach(
        practitioner,
        case,
        order.conditions.get(),
        occurrence=Occurrence(Precision.APPROXIMATE, TODAY - dt.timedelta(days=2), dt.time(21, 0)),
        what_happened=WHAT_HAPPENED,
        witnesses=Known.GIVEN,
        witness_details=WITNESSES,
        severity=Breach.Severity.HIGH,
    )
    a_minute_later()
    task = Task.objects.get(origin=Task.Origin.BREACH, origin_id=breach.pk)
    review = safety_review_record(
        agreements_still_right="yes",
        actor=practitioner,
        case=case,
        what_changed=REVIEW_CHANGE,
        task_ids=[task.pk],
    )
    a_minute_later()
    risk_level_set(actor=practitioner, case=case, level="medium", reason="First assessment.")
    a_minute_later()
    risk_level_set(actor=practitioner, case=case, level="high", reason=RISK_REASON)
    a_minute_later()
    move = address_change_record(
        actor=practitioner,
        case=case,
        new_address=NEW_ADDRESS,
        moved_on=TODAY - dt.timedelta(days=1),
        disclosure_risk="Varying would reveal the area.",
        discussion="Talked it through with her.",
        next_step=AddressChange.NextStep.DO_NOT_VARY,
        reason=MOVE_REASON,
        step_up=mfa_step_up(user=practitioner, code=authenticator_code(practitioner)),
    )
    time_machine.move_to(NOW, tick=False)
    ShareFactory(party=PartyFactory(case=case), shared_on=TODAY)
    return Story(order, ended, variation, breach, task, review, move)
