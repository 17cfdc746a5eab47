"""Every case event, from the service that records it to the follow-ups that run.

Beside the access matrix: an event kind without a row in `FOLLOW_UPS`, a service that calls a
follow-up itself instead of recording its event, or a service recording a different event
from the one below, fails here.
"""

import ast
import datetime as dt
from pathlib import Path

import pytest

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.accounts.tests.factories import AgencyFactory, UserFactory, authenticator_code
from orderwatch.breaches.models import Behaviour
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import CasePerson
from orderwatch.cases.services import case_reopen, case_team_member_add
from orderwatch.cases.tests.closing import closed
from orderwatch.core.tests.clock import TODAY
from orderwatch.diary.services import diary_entry_add
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.events import services as event_services
from orderwatch.events.table import FOLLOW_UPS, CaseEvent, FollowUp
from orderwatch.evidence.services import evidence_incident_mark, evidence_incident_unmark
from orderwatch.evidence.tests.factories import item_added, yesterday_evening
from orderwatch.notifications.models import Notification
from orderwatch.orders.models import AddressChange, OrderChange
from orderwatch.orders.services import address_change_record, order_change_record, order_create
from orderwatch.orders.tests.factories import OrderFactory, order_type
from orderwatch.reminders.services import reminders_sweep
from orderwatch.safety.services import REVIEW_TITLES, safety_review_open
from orderwatch.tasks.models import Task

ROOT = Path(__file__).resolve().parents[3]
FOLLOW_UP_FUNCTIONS = {
    "safety_review_open": FollowUp.SAFETY_REVIEW,
    "pattern_escalations_note": FollowUp.PATTERN_CHECK,
    "case_team_notify": FollowUp.TEAM_ALERT,
    "case_lead_notify": FollowUp.LEAD_ALERT,
    "sharing_event_record": FollowUp.PARTIES_NEED_UPDATING,
    "case_member_notify": FollowUp.MEMBER_ALERT,
    "case_retention_review_set": FollowUp.RETENTION_REVIEW_SET,
    "case_retention_review_clear": FollowUp.RETENTION_REVIEW_CLEAR,
}
# Where a follow-up may be called: by `events`, and a pattern check opening its own review.
ALLOWED_CALLERS = {("orderwatch/events/services.py", name) for name in FOLLOW_UP_FUNCTIONS} | {
    ("orderwatch/patterns/services.py", "safety_review_open")
}


def test_every_event_kind_has_exactly_one_row():
    assert set(FOLLOW_UPS) == set(CaseEvent)


def test_an_alert_is_of_its_events_kind_and_a_review_says_why_it_was_opened():
    for event, row in FOLLOW_UPS.items():
        if row.follow_ups & {FollowUp.TEAM_ALERT, FollowUp.LEAD_ALERT, FollowUp.MEMBER_ALERT}:
            assert event.value in Notification.Kind.values, event
        if FollowUp.SAFETY_REVIEW in row.follow_ups:
            assert row.review_origin in REVIEW_TITLES, event
        else:
            assert not row.review_origin, event


def _calls_outside_events() -> list[str]:
    found = []
    for path in sorted((ROOT / "orderwatch").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in FOLLOW_UP_FUNCTIONS and (relative, name) not in ALLOWED_CALLERS:
                found.append(f"{relative}:{node.lineno} calls {name}")
    return found


def test_no_service_calls_a_follow_up_itself():
    assert _calls_outside_events() == []


@pytest.fixture
def recorded(monkeypatch):
    """Record each event `events` is given, and each follow-up it then runs (for real)."""
    seen: list = []

    class Recording(dict):
        def __getitem__(self, event):
            seen.append(CaseEvent(event))
            return super().__getitem__(event)

    monkeypatch.setattr(event_services, "FOLLOW_UPS", Recording(FOLLOW_UPS))
    for name, follow_up in FOLLOW_UP_FUNCTIONS.items():
        real = getattr(event_services, name)

        def spy(*args, _real=real, _follow_up=follow_up, **kwargs):
            seen.append(_follow_up)
            return _real(*args, **kwargs)

        monkeypatch.setattr(event_services, name, spy)
    return seen


def _breach(actor, case, order):
    breach_record(actor=actor, case=case, account=breach_account(order.conditions.get()))


def _incident(actor, case, order):
    breach_record(actor=actor, case=case, account=breach_account())  # matches no condition


def _order_added(actor, case, order):
    order_create(
        actor=actor,
        case=case,
        order_type=order_type(),
        made_on=TODAY,
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=365),
        until_further_order=False,
        protected_people=[case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)],
    )


def _changed(kind, **extra):
    def change(actor, case, order):
        order_change_record(
            actor=actor, order=order, kind=kind, made_on=TODAY, what_changed="Changed.", **extra
        )

    return change


def _member_added(actor, case, order):
    officer = UserFactory(agency=AgencyFactory(), display_name="Offi Cer")
    case_team_member_add(actor=actor, case=case, user=officer, capacity="Officer in the case")


def _moved(actor, case, order):
    address_change_record(
        actor=actor,
        case=case,
        new_address="2 New Road, Newtown",
        moved_on=TODAY,
        disclosure_risk="A varied exclusion zone would name the new street.",
        discussion="Discussed with the victim-survivor.",
        next_step=AddressChange.NextStep.values[0],
        reason="The order already forbids all contact.",
        step_up=mfa_step_up(user=actor, code=authenticator_code(actor)),
    )


def _evidence(actor, case, order):
    item_added(actor=actor, case=case)


def _marked(actor, case, order, recorded):
    item = item_added(actor=actor, case=case)
    recorded.clear()
    evidence_incident_mark(
        actor=actor, case=case, item=item, behaviours=[Behaviour.INDIRECT_CONTACT], severity=2
    )


def _not_an_incident(actor, case, order, recorded):
    item = item_added(actor=actor, case=case)
    evidence_incident_mark(
        actor=actor, case=case, item=item, behaviours=[Behaviour.INDIRECT_CONTACT], severity=2
    )
    recorded.clear()
    evidence_incident_unmark(actor=actor, case=case, item=item)


def _case_closed(actor, case, order):
    closed(actor, case)


def _case_reopened(actor, case, order, recorded):
    closed(actor, case)
    recorded.clear()
    case_reopen(actor=actor, case_id=case.pk, reason_text="A new order was made.")


def _diary_entry(actor, case, order):
    keeper = DiaryAccessFactory(case=case).user
    diary_entry_add(actor=keeper, occurrence=yesterday_evening(), description="He rang twice.")


def _ending(actor, case, order):
    OrderFactory(case=case, ends_on=TODAY + dt.timedelta(days=13))
    reminders_sweep(today=TODAY)


def _expired(actor, case, order):
    OrderFactory(case=case, ends_on=TODAY - dt.timedelta(days=1))
    reminders_sweep(today=TODAY)


def _overdue(actor, case, order, recorded):
    task = safety_review_open(actor=actor, case=case, origin=Task.Origin.BREACH, origin_id=case.pk)
    recorded.clear()
    reminders_sweep(today=task.due_on + dt.timedelta(days=1))


SCENARIOS = {
    CaseEvent.BREACH_RECORDED: _breach,
    CaseEvent.INCIDENT_RECORDED: _incident,
    CaseEvent.ORDER_ADDED: _order_added,
    CaseEvent.ORDER_VARIED: _changed(OrderChange.Kind.VARIED),
    CaseEvent.ORDER_EXTENDED: _changed(
        OrderChange.Kind.EXTENDED, new_ends_on=TODAY + dt.timedelta(days=800)
    ),
    CaseEvent.ORDER_DISCHARGED: _changed(OrderChange.Kind.DISCHARGED),
    CaseEvent.ORDER_ENDING: _ending,
    CaseEvent.ORDER_EXPIRED: _expired,
    CaseEvent.EVIDENCE_ADDED: _evidence,
    CaseEvent.INCIDENT_MARKED: _marked,
    CaseEvent.INCIDENT_UNMARKED: _not_an_incident,
    CaseEvent.DIARY_ENTRY_ADDED: _diary_entry,
    CaseEvent.ADDRESS_CHANGED: _moved,
    CaseEvent.REVIEW_OVERDUE: _overdue,
    CaseEvent.MEMBER_ADDED: _member_added,
    CaseEvent.CASE_CLOSED: _case_closed,
    CaseEvent.CASE_REOPENED: _case_reopened,
}


def test_every_event_kind_has_a_scenario_here():
    assert set(SCENARIOS) == set(CaseEvent)


@pytest.mark.django_db
@pytest.mark.parametrize("event", list(CaseEvent), ids=lambda e: e.value)
def test_the_service_records_its_event_and_exactly_the_tables_follow_ups_run(
    event, thursday_morning, practitioner, colleague, case, order, recorded
):
    scenario = SCENARIOS[event]
    recorded.clear()
    if "recorded" in scenario.__code__.co_varnames[: scenario.__code__.co_argcount]:
        scenario(practitioner, case, order, recorded)
    else:
        scenario(practitioner, case, order)

    assert recorded[0] == event
    # In table order, once each. (A review a pattern check opens for a new escalation is the
    # check's own doing, not recorded here.)
    assert [step for step in recorded[1:] if isinstance(step, FollowUp)] == sorted(
        FOLLOW_UPS[event].follow_ups
    )
    assert not [step for step in recorded[1:] if isinstance(step, CaseEvent)]


@pytest.mark.django_db
def test_an_event_on_a_case_row_not_locked_first_is_refused(practitioner, case):
    with pytest.raises(event_services.CaseNotLocked):
        event_services.case_event_record(
            actor=practitioner,
            case=case,
            event=CaseEvent.BREACH_RECORDED,
            subject=case,
            link=case.get_absolute_url(),
        )
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_a_breach_and_an_incident_and_the_pattern_they_make_share_one_open_review(
    thursday_morning, practitioner, case, order, time_machine
):
    _breach(practitioner, case, order)
    time_machine.shift(dt.timedelta(minutes=5))
    _incident(practitioner, case, order)  # and, with the breach, a course of conduct
    time_machine.shift(dt.timedelta(minutes=5))
    _moved(practitioner, case, order)
    (review,) = Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW)
    reasons = [(reason.created_at, reason.origin) for reason in review.reasons.all()]
    at = reasons[0][0]
    assert sorted(reasons) == sorted(
        [
            (at, Task.Origin.BREACH),
            (at + dt.timedelta(minutes=5), Task.Origin.INCIDENT),
            (at + dt.timedelta(minutes=5), Task.Origin.PATTERN),
            (at + dt.timedelta(minutes=10), Task.Origin.ADDRESS_CHANGE),
        ]
    )
    assert [origin for _, origin in reasons][-1] == Task.Origin.ADDRESS_CHANGE
    assert not review.is_done
