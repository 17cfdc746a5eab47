"""Adding actions and practical measures to a safety plan, and marking actions done."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import NOW, TODAY
from orderwatch.safety.models import SafetyAction, SafetyMeasure, SafetyPlan
from orderwatch.safety.services import (
    safety_action_add,
    safety_action_mark_done,
    safety_measure_add,
)

pytestmark = pytest.mark.django_db


def _add_action(actor, case, **overrides):
    values = {
        "what": " Ask the school who may collect the children ",
        "who": " Pat, IDVA ",
        "due_on": TODAY + dt.timedelta(days=7),
    }
    return safety_action_add(actor=actor, case=case, **(values | overrides))


def _nothing_saved() -> tuple[int, int, int, int]:
    return (
        SafetyPlan.objects.count(),
        SafetyAction.objects.count(),
        SafetyMeasure.objects.count(),
        AuditEvent.objects.filter(verb__startswith="safety.").count(),
    )


def test_the_first_action_begins_the_plan_and_is_audited(practitioner, case):
    action = _add_action(practitioner, case)
    assert action.plan == case.safety_plan
    assert (action.what, action.who) == ("Ask the school who may collect the children", "Pat, IDVA")
    assert action.done_at is None
    event = AuditEvent.objects.get(verb=Verb.SAFETY_ACTION_ADDED)
    assert (event.object_id, event.case_id, event.actor) == (str(action.pk), case.pk, practitioner)


def test_later_actions_join_the_one_plan(practitioner, case):
    _add_action(practitioner, case)
    _add_action(practitioner, case, what="Fit a door chain", due_on=None)
    assert SafetyPlan.objects.filter(case=case).count() == 1
    assert case.safety_plan.actions.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"what": "  "}, "what", "Enter what will be done"),
        ({"who": ""}, "who", "Enter who will do it"),
        ({"due_on": TODAY - dt.timedelta(days=1)}, "due_on", "today or in the future"),
    ],
)
def test_an_incomplete_action_is_refused_and_nothing_is_saved(
    practitioner, case, overrides, field, message
):
    with pytest.raises(ValidationError) as error:
        _add_action(practitioner, case, **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert _nothing_saved() == (0, 0, 0, 0)


def test_an_auditor_on_the_team_may_not_add_an_action(case, team_auditor):
    with pytest.raises(PermissionDenied):
        _add_action(team_auditor, case)
    assert _nothing_saved() == (0, 0, 0, 0)


def test_someone_off_the_team_gets_404(case, outsider):
    with pytest.raises(Http404):
        _add_action(outsider, case)


def test_marking_an_action_done_records_who_and_when_once(practitioner, case, colleague):
    action = _add_action(practitioner, case)
    done = safety_action_mark_done(actor=colleague, case=case, action_id=action.pk)
    assert (done.done_at, done.done_by) == (NOW, colleague)
    again = safety_action_mark_done(actor=practitioner, case=case, action_id=action.pk)
    assert again.done_by == colleague
    assert AuditEvent.objects.filter(verb=Verb.SAFETY_ACTION_DONE).count() == 1


def test_an_action_on_another_cases_plan_cannot_be_marked_done_from_this_case(
    practitioner, case, outsider
):
    other = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    elsewhere = _add_action(practitioner, other)
    with pytest.raises(Http404):
        safety_action_mark_done(actor=practitioner, case=case, action_id=elsewhere.pk)
    elsewhere.refresh_from_db()
    assert elsewhere.done_at is None


def test_a_measure_is_added_with_its_status_and_audited(practitioner, case):
    measure = safety_measure_add(
        actor=practitioner,
        case=case,
        kind=SafetyMeasure.Kind.LOCKS,
        details=" New locks on the front and back doors ",
        status=SafetyMeasure.Status.PLANNED,
    )
    assert (measure.plan, measure.details) == (
        case.safety_plan,
        "New locks on the front and back doors",
    )
    assert measure.get_status_display() == "Planned"
    assert AuditEvent.objects.filter(
        verb=Verb.SAFETY_MEASURE_ADDED, object_id=str(measure.pk)
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"details": " "}, "details"),
        ({"kind": "moat"}, "kind"),
        ({"status": "maybe"}, "status"),
    ],
)
def test_a_measure_with_bad_answers_is_refused_and_nothing_is_saved(
    practitioner, case, overrides, field
):
    values = {"kind": "alarm", "details": "A panic button by the bed", "status": "in_place"}
    with pytest.raises(ValidationError) as error:
        safety_measure_add(actor=practitioner, case=case, **(values | overrides))
    assert field in error.value.message_dict
    assert _nothing_saved() == (0, 0, 0, 0)
