"""Reading the safety plan: only for the case team, audited, with everything the page shows."""

import uuid

import pytest
from django.http import Http404
from django.utils import timezone

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.safety.selectors import safety_plan_page
from orderwatch.safety.services import (
    safety_action_add,
    safety_measure_add,
    safety_plan_open,
    safety_review_open,
    safety_review_record,
)
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db


def test_the_case_team_may_open_the_plan_and_the_view_is_audited(case, team_auditor):
    assert safety_plan_open(actor=team_auditor, case_id=case.pk) == case
    event = AuditEvent.objects.get(verb=Verb.CASE_VIEWED)
    assert (event.actor, event.case_id, event.payload) == (
        team_auditor,
        case.pk,
        {"page": "safety_plan"},
    )


def test_someone_who_left_the_team_gets_404(case, colleague, outsider):
    case.team_memberships.filter(user=colleague).update(left_at=timezone.now())
    for user in (colleague, outsider):
        with pytest.raises(Http404):
            safety_plan_open(actor=user, case_id=case.pk)
    assert not AuditEvent.objects.filter(verb=Verb.CASE_VIEWED).exists()


def test_a_case_with_no_plan_yet_has_an_empty_page(case):
    page = safety_plan_page(case=case)
    assert (page.actions, page.measures, page.reviews, page.open_reviews) == ([], [], [], [])
    assert page.risk.current is None


def test_the_page_shows_this_cases_plan_only(practitioner, case):
    other = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    for each in (case, other):
        safety_action_add(
            actor=practitioner, case=each, what=f"Action on {each}", who="IDVA", due_on=None
        )
        safety_measure_add(
            actor=practitioner, case=each, kind="alarm", details="Panic button", status="planned"
        )
    done = safety_review_open(
        actor=None, case=case, origin=Task.Origin.BREACH, origin_id=uuid.uuid4()
    )
    safety_review_record(
        agreements_still_right="yes",
        actor=practitioner,
        case=case,
        what_changed="Alarm",
        task_ids=[done.pk],
    )
    due = safety_review_open(
        actor=None, case=case, origin=Task.Origin.ADDRESS_CHANGE, origin_id=uuid.uuid4()
    )
    safety_review_open(actor=None, case=other, origin=Task.Origin.BREACH, origin_id=uuid.uuid4())

    page = safety_plan_page(case=case)

    assert [a.what for a in page.actions] == [f"Action on {case}"]
    assert len(page.measures) == 1
    assert page.open_reviews == [due]
    assert [list(r.tasks.all()) for r in page.reviews] == [[done]]
