"""Showing the victim-survivor their part of the safety plan in their diary, and stopping."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from orderwatch.access.policy import CaseClosed
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.models import Case
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests import people
from orderwatch.core.tests.clock import TODAY
from orderwatch.diary.models import DiaryPlanShare
from orderwatch.diary.selectors import your_plan
from orderwatch.diary.services import diary_plan_read, diary_plan_share, diary_plan_withdraw
from orderwatch.diary.services.sharing import PLAN_NOTHING_CHOSEN, PLAN_REVIEW_PAST
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.diary.tests.plan_data import (
    DONE,
    MEASURE,
    OTHER_MEASURE,
    OTHERS,
    THEIRS,
    WHO,
    plan_made,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("thursday_morning")]

NEXT_WEEK = TODAY + dt.timedelta(days=7)
PLAN_VERBS = (Verb.DIARY_PLAN_SHARED, Verb.DIARY_PLAN_WITHDRAWN, Verb.DIARY_PLAN_READ)


@pytest.fixture
def plan(practitioner, case):
    return plan_made(practitioner, case)


def share(actor, case, actions=(), measures=(), review_on=NEXT_WEEK) -> DiaryPlanShare:
    return diary_plan_share(
        actor=actor,
        case_id=case.pk,
        action_ids=[a.pk for a in actions],
        measure_ids=[m.pk for m in measures],
        review_on=review_on,
    )


def plan_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb__in=PLAN_VERBS).order_by("sequence"))


def test_the_lead_shows_the_chosen_actions_and_measures_with_the_review_date(
    practitioner, case, plan
):
    made = share(practitioner, case, [plan.theirs, plan.done], [plan.locks])
    assert set(made.actions.all()) == {plan.theirs, plan.done}
    assert list(made.measures.all()) == [plan.locks]
    assert made.review_on == NEXT_WEEK
    assert made.created_by == practitioner
    (event,) = plan_events()
    assert event.verb == Verb.DIARY_PLAN_SHARED
    assert event.actor == practitioner
    assert event.case_id == case.pk
    assert event.payload["actions"] == sorted([str(plan.theirs.pk), str(plan.done.pk)])
    assert event.payload["measures"] == [str(plan.locks.pk)]


def test_choosing_nothing_is_refused_and_nothing_is_saved(practitioner, case, plan):
    with pytest.raises(ValidationError) as raised:
        share(practitioner, case)
    assert raised.value.message_dict == {"actions": [PLAN_NOTHING_CHOSEN]}
    assert not DiaryPlanShare.objects.exists()
    assert not plan_events()


def test_a_review_date_in_the_past_is_refused(practitioner, case, plan):
    with pytest.raises(ValidationError) as raised:
        share(practitioner, case, [plan.theirs], review_on=TODAY - dt.timedelta(days=1))
    assert raised.value.message_dict == {"review_on": [PLAN_REVIEW_PAST]}
    assert not DiaryPlanShare.objects.exists()


def test_a_review_date_of_today_is_taken(practitioner, case, plan):
    assert share(practitioner, case, [plan.theirs], review_on=TODAY).review_on == TODAY


def test_no_review_date_is_refused(practitioner, case, plan):
    with pytest.raises(ValidationError) as raised:
        share(practitioner, case, [plan.theirs], review_on=None)
    assert "review_on" in raised.value.message_dict
    assert not DiaryPlanShare.objects.exists()


@pytest.mark.parametrize("which", ["actions", "measures"])
def test_an_item_from_another_cases_plan_is_not_found_and_nothing_is_saved(
    practitioner, case, plan, which
):
    other_case = people.case_led_by(practitioner)
    other = plan_made(practitioner, other_case)
    chosen = {"actions": [plan.theirs], "measures": [plan.locks]}
    chosen[which] = chosen[which] + [other.theirs if which == "actions" else other.locks]
    with pytest.raises(Http404):
        share(practitioner, case, chosen["actions"], chosen["measures"])
    assert not DiaryPlanShare.objects.exists()
    assert not plan_events()


def test_a_practitioner_on_the_team_who_does_not_lead_may_not_show_it(case, plan, colleague):
    with pytest.raises(PermissionDenied):
        share(colleague, case, [plan.theirs])
    assert not DiaryPlanShare.objects.exists()


def test_someone_outside_the_case_team_gets_not_found(case, plan, outsider):
    with pytest.raises(Http404):
        share(outsider, case, [plan.theirs])


def test_a_team_manager_on_the_case_may_show_it(case, plan, idva_service):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    CaseTeamMembershipFactory(case=case, user=manager)
    assert share(manager, case, [plan.theirs]).created_by == manager


def test_nothing_is_shown_from_a_closed_case(practitioner, case, plan):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=timezone.now())
    with pytest.raises(CaseClosed):
        share(practitioner, case, [plan.theirs])
    assert not DiaryPlanShare.objects.exists()


def test_showing_again_replaces_what_was_shown_and_keeps_the_history(practitioner, case, plan):
    first = share(practitioner, case, [plan.theirs])
    second = share(practitioner, case, [plan.done], [plan.locks])
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert first.withdrawn_by == practitioner
    assert list(first.actions.all()) == [plan.theirs]  # what was shown before, kept
    assert second.withdrawn_at is None
    assert DiaryPlanShare.objects.filter(withdrawn_at__isnull=True).get() == second
    assert [e.verb for e in plan_events()] == [
        Verb.DIARY_PLAN_SHARED,
        Verb.DIARY_PLAN_WITHDRAWN,
        Verb.DIARY_PLAN_SHARED,
    ]


def test_a_practitioner_who_does_not_lead_may_stop_showing_it(practitioner, case, plan, colleague):
    shown = share(practitioner, case, [plan.theirs])
    assert diary_plan_withdraw(actor=colleague, case_id=case.pk) == shown
    shown.refresh_from_db()
    assert shown.withdrawn_by == colleague
    assert plan_events()[-1].verb == Verb.DIARY_PLAN_WITHDRAWN
    assert plan_events()[-1].actor == colleague


def test_stopping_when_nothing_is_shown_changes_nothing(practitioner, case, plan):
    assert diary_plan_withdraw(actor=practitioner, case_id=case.pk) is None
    assert not plan_events()


def test_an_auditor_on_the_team_may_not_stop_showing_it(practitioner, case, plan, auditor):
    CaseTeamMembershipFactory(case=case, user=auditor)
    share(practitioner, case, [plan.theirs])
    with pytest.raises(PermissionDenied):
        diary_plan_withdraw(actor=auditor, case_id=case.pk)
    assert DiaryPlanShare.objects.filter(withdrawn_at__isnull=True).exists()


def test_the_keeper_reads_only_what_was_chosen_and_the_read_is_audited(practitioner, case, plan):
    keeper = DiaryAccessFactory(case=case).user
    share(practitioner, case, [plan.theirs, plan.done], [plan.locks])
    read = diary_plan_read(keeper=keeper)
    assert set(read.actions) == {plan.theirs, plan.done}  # made at one frozen moment
    assert read.measures == [plan.locks]
    assert read.review_on == "12 March 2026"
    event = plan_events()[-1]
    assert (event.verb, event.actor, event.case_id) == (Verb.DIARY_PLAN_READ, keeper, case.pk)


def test_the_keeper_reads_nothing_before_it_is_shown_or_after_it_stops(practitioner, case, plan):
    keeper = DiaryAccessFactory(case=case).user
    assert diary_plan_read(keeper=keeper) is None
    share(practitioner, case, [plan.theirs])
    diary_plan_withdraw(actor=practitioner, case_id=case.pk)
    assert your_plan(user=keeper) is None
    assert diary_plan_read(keeper=keeper) is None
    assert Verb.DIARY_PLAN_READ not in [e.verb for e in plan_events()]


def test_no_words_of_the_plan_are_in_any_audit_payload(practitioner, case, plan, colleague):
    keeper = DiaryAccessFactory(case=case).user
    share(practitioner, case, [plan.theirs, plan.done, plan.others], [plan.locks, plan.marker])
    diary_plan_read(keeper=keeper)
    share(practitioner, case, [plan.theirs], [plan.locks])
    diary_plan_withdraw(actor=colleague, case_id=case.pk)
    events = plan_events()
    assert {e.verb for e in events} == set(PLAN_VERBS)
    payloads = json.dumps([e.payload for e in events])
    for words in (THEIRS, DONE, OTHERS, WHO, MEASURE, OTHER_MEASURE, "locks", "in_place"):
        assert words not in payloads
