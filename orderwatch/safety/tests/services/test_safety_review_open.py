"""Events are reasons on the case's one open safety-plan review, for the lead, due two working
days after the first of them (ADR 0030)."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.accounts.tests.factories import authenticator_code
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseFactory
from orderwatch.core.tests.clock import LONDON, TODAY
from orderwatch.orders.models import AddressChange, OrderChange
from orderwatch.orders.services import address_change_record, order_change_record
from orderwatch.orders.tests.factories import OrderFactory
from orderwatch.safety.services import safety_review_open, safety_review_record
from orderwatch.tasks.models import Task
from orderwatch.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _open(case, actor=None, origin=Task.Origin.BREACH, origin_id=None):
    return safety_review_open(
        actor=actor, case=case, origin=origin, origin_id=origin_id or uuid.uuid4()
    )


def test_a_review_is_opened_for_the_lead_even_when_someone_else_records_the_event(
    practitioner, case, colleague
):
    task = _open(case, actor=colleague)
    assert (task.case, task.kind, task.assignee) == (case, Task.Kind.SAFETY_REVIEW, practitioner)
    assert task.title == "Review the safety plan after a breach"
    assert task.get_origin_display() == "A breach was recorded"
    assert not task.is_done
    assert AuditEvent.objects.get(verb=Verb.TASK_OPENED).payload == {
        "kind": "safety_review",
        "origin": "breach",
    }


def test_the_same_event_opens_one_review_however_often_it_is_called(practitioner, case):
    event = uuid.uuid4()
    first = _open(case, actor=practitioner, origin_id=event)
    second = _open(case, actor=practitioner, origin_id=event)
    assert first == second
    assert Task.objects.count() == 1
    assert AuditEvent.objects.filter(verb=Verb.TASK_OPENED).count() == 1


def test_events_while_a_review_is_open_are_added_to_it_with_when_each_was_added(
    practitioner, case, colleague, time_machine
):
    breach, move = uuid.uuid4(), uuid.uuid4()
    first = _open(case, actor=practitioner, origin_id=breach)
    time_machine.shift(dt.timedelta(days=1))
    second = _open(case, actor=colleague, origin=Task.Origin.ADDRESS_CHANGE, origin_id=move)
    assert second == first
    review = Task.objects.get()  # one open review, never one per event
    assert [(r.origin, r.origin_id, r.created_by) for r in review.reasons.all()] == [
        (Task.Origin.BREACH, breach, practitioner),
        (Task.Origin.ADDRESS_CHANGE, move, colleague),
    ]
    added = [timezone.localdate(r.created_at) for r in review.reasons.all()]
    assert added == [TODAY, TODAY + dt.timedelta(days=1)]
    assert review.title == "Review the safety plan: 2 things have happened"
    added_event = AuditEvent.objects.get(verb=Verb.TASK_REASON_ADDED)
    assert (added_event.object_id, added_event.payload) == (
        str(review.pk),
        {"origin": "address_change"},
    )


def test_a_later_event_never_puts_off_the_review_that_is_due(practitioner, case, time_machine):
    due_on = _open(case, actor=practitioner).due_on
    time_machine.shift(dt.timedelta(days=7))  # overdue by now
    assert _open(case, actor=practitioner, origin=Task.Origin.PATTERN).due_on == due_on
    assert Task.objects.get().overdue_alert_on == due_on + dt.timedelta(days=1)


def test_an_event_seen_again_is_not_a_second_reason(practitioner, case):
    event = uuid.uuid4()
    _open(case, actor=practitioner)
    _open(case, actor=practitioner, origin_id=event)
    _open(case, actor=practitioner, origin_id=event)
    assert Task.objects.get().reasons.count() == 2


def test_after_the_review_is_recorded_the_next_event_opens_a_new_one(practitioner, case):
    first = _open(case, actor=practitioner)
    _open(case, actor=practitioner, origin=Task.Origin.PATTERN)
    safety_review_record(
        agreements_still_right="yes",
        actor=practitioner,
        case=case,
        what_changed="Nothing needed to.",
        task_ids=[first.pk],
    )
    first.refresh_from_db()
    assert first.is_done  # done for both its reasons
    assert first.reasons.count() == 2
    second = _open(case, actor=practitioner, origin=Task.Origin.ADDRESS_CHANGE)
    assert second != first
    assert [r.origin for r in second.reasons.all()] == [Task.Origin.ADDRESS_CHANGE]
    assert second.title == "Review the safety plan after a move"


def test_the_database_refuses_a_second_open_review_on_a_case(practitioner, case):
    review = _open(case, actor=practitioner)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskFactory(case=case, assignee=practitioner, kind=Task.Kind.SAFETY_REVIEW)
    # Open reviews on other cases, and done ones on this case, are allowed.
    TaskFactory(case=CaseFactory(), assignee=practitioner, kind=Task.Kind.SAFETY_REVIEW)
    TaskFactory(
        case=case,
        assignee=practitioner,
        kind=Task.Kind.SAFETY_REVIEW,
        done_at=timezone.now(),
        done_by=practitioner,
    )
    assert Task.objects.filter(case=case, done_at__isnull=True).get() == review


@pytest.mark.parametrize(
    ("now", "due_on"),
    [
        # Thursday: Friday and Monday are the two working days.
        (dt.datetime(2026, 3, 5, 10, 0, tzinfo=LONDON), dt.date(2026, 3, 9)),
        # Friday: the weekend is skipped, so the Tuesday.
        (dt.datetime(2026, 3, 6, 16, 30, tzinfo=LONDON), dt.date(2026, 3, 10)),
        # Saturday: Monday and Tuesday.
        (dt.datetime(2026, 3, 7, 9, 0, tzinfo=LONDON), dt.date(2026, 3, 10)),
        # Friday before the spring bank holiday (Monday 25 May 2026): the Wednesday.
        (dt.datetime(2026, 5, 22, 11, 0, tzinfo=LONDON), dt.date(2026, 5, 27)),
        # Maundy Thursday: Good Friday and Easter Monday are skipped, so the Wednesday.
        (dt.datetime(2026, 4, 2, 11, 0, tzinfo=LONDON), dt.date(2026, 4, 8)),
    ],
)
def test_the_review_is_due_two_working_days_later(practitioner, case, time_machine, now, due_on):
    time_machine.move_to(now, tick=False)
    assert _open(case, actor=practitioner).due_on == due_on


def test_working_days_count_from_the_date_in_london_not_utc(practitioner, case, time_machine):
    # 00:30 on Monday 8 June in London is still Sunday in UTC (summer time).
    time_machine.move_to(dt.datetime(2026, 6, 8, 0, 30, tzinfo=LONDON), tick=False)
    assert _open(case, actor=practitioner).due_on == dt.date(2026, 6, 10)


def test_a_case_without_a_lead_gives_the_review_to_whoever_recorded_the_event(
    practitioner, case, colleague
):
    case.team_memberships.filter(user=practitioner).update(left_at=timezone.now())
    assert _open(case, actor=colleague).assignee == colleague


def test_a_discharge_opens_a_review_of_the_plan(practitioner, case):
    order = OrderFactory(case=case)
    order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.DISCHARGED,
        made_on=TODAY,
        what_changed="Discharged at the applicant's request.",
    )
    task = Task.objects.get(case=case, kind=Task.Kind.SAFETY_REVIEW)
    assert (task.origin, task.origin_id) == (Task.Origin.ORDER_ENDED, order.pk)
    assert task.title == "Review the safety plan: an order has ended"
    assert task.assignee == practitioner


def test_a_variation_opens_no_review(practitioner, case):
    order = OrderFactory(case=case)
    order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.VARIED,
        made_on=TODAY,
        what_changed="The exclusion zone was widened.",
    )
    assert not Task.objects.exists()


def test_a_move_opens_a_review_of_the_plan_for_the_lead(practitioner, case, colleague):
    case.team_memberships.filter(user=colleague).update(may_see_address=True)
    address_change_record(
        actor=colleague,
        case=case,
        new_address="2 New Road, Newtown",
        moved_on=TODAY,
        disclosure_risk="A varied exclusion zone would name the new street.",
        discussion="Discussed with the victim-survivor.",
        next_step=AddressChange.NextStep.values[0],
        reason="The order already forbids all contact.",
        step_up=mfa_step_up(user=colleague, code=authenticator_code(colleague)),
    )
    move = AddressChange.objects.get(case=case)
    task = Task.objects.get(case=case)
    assert (task.origin, task.origin_id, task.assignee) == (
        Task.Origin.ADDRESS_CHANGE,
        move.pk,
        practitioner,
    )
    assert task.title == "Review the safety plan after a move"
