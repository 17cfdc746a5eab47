"""Closing an expiry reminder needs a recorded decision: what, which order if another, and why."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import TODAY
from orderwatch.orders.tests.factories import OrderFactory, order_type
from orderwatch.reminders.models import ExpiryDecision
from orderwatch.reminders.services import expiry_decision_record, reminders_sweep
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db

REASON = "She wants longer protection; a DAPO can add positive requirements."


@pytest.fixture
def reminder(case, ending_order):
    reminders_sweep(today=TODAY)
    return Task.objects.get(kind=Task.Kind.EXPIRY_DECISION, origin_id=ending_order.pk)


def _record(actor, task, case=None, **kwargs):
    arguments = {
        "decision": ExpiryDecision.Decision.ALTERNATIVE,
        "alternative_code": "domestic_abuse_protection_order",
        "reason": REASON,
        **kwargs,
    }
    return expiry_decision_record(actor=actor, case=case or task.case, task_id=task.pk, **arguments)


def _nothing_saved(task):
    task.refresh_from_db()
    assert not task.is_done
    assert not ExpiryDecision.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.EXPIRY_DECISION_RECORDED).exists()


def test_seeking_an_alternative_order_records_which_and_why_and_closes_the_reminder(
    practitioner, reminder, ending_order
):
    decision = _record(practitioner, reminder)
    reminder.refresh_from_db()
    assert reminder.is_done
    assert reminder.done_by == practitioner
    assert (decision.order, decision.ends_on, decision.created_by) == (
        ending_order,
        ending_order.ends_on,
        practitioner,
    )
    assert decision.alternative == order_type("domestic_abuse_protection_order")
    assert decision.reason == REASON
    assert list(decision.tasks.all()) == [reminder]
    event = AuditEvent.objects.get(verb=Verb.EXPIRY_DECISION_RECORDED)
    assert event.payload == {
        "decision": "alternative",
        "alternative": "domestic_abuse_protection_order",
        "tasks": [str(reminder.pk)],
    }
    assert REASON not in str(event.payload)


def test_one_decision_closes_every_open_reminder_about_the_order(
    practitioner, case, reminder, ending_order
):
    earlier = Task.objects.create(
        case=case,
        kind=Task.Kind.EXPIRY_DECISION,
        title=reminder.title,
        assignee=practitioner,
        due_on=reminder.due_on,
        origin=Task.Origin.ORDER_ENDING,
        origin_id=ending_order.pk,
        origin_key=f"{ending_order.ends_on.isoformat()}:4w",
    )
    decision = _record(
        practitioner, reminder, decision=ExpiryDecision.Decision.EXTEND, alternative_code=""
    )
    assert set(decision.tasks.all()) == {reminder, earlier}
    assert not Task.objects.filter(kind=Task.Kind.EXPIRY_DECISION, done_at__isnull=True).exists()


def test_a_colleague_on_the_team_may_record_it(colleague, reminder):
    _record(
        colleague, reminder, decision=ExpiryDecision.Decision.NO_FURTHER_ORDER, alternative_code=""
    )
    reminder.refresh_from_db()
    assert reminder.done_by == colleague


def test_without_a_reason_nothing_is_saved(practitioner, reminder):
    with pytest.raises(ValidationError) as error:
        _record(practitioner, reminder, reason="   ")
    assert error.value.message_dict == {"reason": ["Enter why this is the right next step"]}
    _nothing_saved(reminder)


def test_an_alternative_not_in_the_catalogue_options_is_refused(practitioner, reminder):
    # A non-molestation order's options do not include an FGM protection order.
    with pytest.raises(ValidationError) as error:
        _record(practitioner, reminder, alternative_code="fgm_protection_order")
    assert error.value.message_dict == {
        "alternative": ["Select which order to seek, from the options for this order"]
    }
    _nothing_saved(reminder)


def test_seeking_an_alternative_without_saying_which_is_refused(practitioner, reminder):
    with pytest.raises(ValidationError) as error:
        _record(practitioner, reminder, alternative_code="")
    assert "alternative" in error.value.message_dict
    _nothing_saved(reminder)


def test_naming_an_alternative_for_another_decision_is_refused(practitioner, reminder):
    with pytest.raises(ValidationError) as error:
        _record(practitioner, reminder, decision=ExpiryDecision.Decision.EXTEND)
    assert "alternative" in error.value.message_dict
    _nothing_saved(reminder)


def test_an_unknown_decision_is_refused(practitioner, reminder):
    with pytest.raises(ValidationError) as error:
        _record(practitioner, reminder, decision="ignore", alternative_code="")
    assert error.value.message_dict == {"decision": ["Select what will happen as the order ends"]}
    _nothing_saved(reminder)


def test_an_order_that_cannot_be_extended_cannot_be_decided_for_extension(practitioner, case):
    dvpo = OrderFactory(
        case=case,
        order_type=order_type("domestic_violence_protection_order"),
        made_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=20),
    )
    reminders_sweep(today=TODAY)
    task = Task.objects.get(origin_id=dvpo.pk)
    with pytest.raises(ValidationError) as error:
        _record(practitioner, task, decision=ExpiryDecision.Decision.EXTEND, alternative_code="")
    assert error.value.message_dict["decision"][0].startswith(
        "A domestic violence protection order (DVPO) cannot be extended"
    )
    _nothing_saved(task)


def test_a_reminder_from_another_case_is_refused(practitioner, reminder):
    other_case = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    with pytest.raises(ValidationError) as error:
        _record(practitioner, reminder, case=other_case)
    assert error.value.message_dict == {"task": ["Select a reminder about an order on this case"]}
    _nothing_saved(reminder)


def test_a_reminder_already_decided_is_not_decided_again(practitioner, reminder):
    _record(practitioner, reminder)
    with pytest.raises(ValidationError, match="already been recorded"):
        _record(
            practitioner,
            reminder,
            decision=ExpiryDecision.Decision.NO_FURTHER_ORDER,
            alternative_code="",
        )
    assert ExpiryDecision.objects.count() == 1


def test_an_auditor_on_the_team_may_not_record_it(case, auditor, reminder):
    CaseTeamMembershipFactory(case=case, user=auditor)
    with pytest.raises(PermissionDenied):
        _record(auditor, reminder)
    _nothing_saved(reminder)


def test_someone_off_the_case_team_gets_404(outsider, reminder):
    with pytest.raises(Http404):
        _record(outsider, reminder)
    _nothing_saved(reminder)
