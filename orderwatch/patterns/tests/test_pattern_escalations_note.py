"""A review is asked for once per new escalation, never again for the same one."""

import datetime as dt

import pytest
from django.utils import timezone

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.models import Behaviour
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import BreachFactory, breach_account
from orderwatch.patterns.models import PatternEscalation
from orderwatch.patterns.services import pattern_escalations_note
from orderwatch.tasks.models import Task, TaskReason

pytestmark = pytest.mark.django_db


def record(practitioner, order, *, days_ago: int, behaviours=(Behaviour.DIRECT_CONTACT,)):
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return breach_record(
        actor=practitioner,
        case=order.case,
        account=breach_account(
            order.conditions.get(),
            occurrence=Occurrence(Precision.DATE, day),
            police_reported_on=day,
            behaviours=list(behaviours),
        ),
    )


def pattern_reasons():
    """The reasons the pattern gave the case's review (one each time it asked: ADR 0030)."""
    return TaskReason.objects.filter(origin=Task.Origin.PATTERN)


def test_one_breach_asks_for_no_pattern_review(practitioner, order):
    record(practitioner, order, days_ago=5)
    assert not pattern_reasons().exists()
    assert not PatternEscalation.objects.exists()


def test_the_second_breach_asks_the_lead_once_and_is_audited(practitioner, order):
    record(practitioner, order, days_ago=5)
    record(practitioner, order, days_ago=3)
    (reason,) = pattern_reasons()
    task = reason.task
    assert task.assignee == practitioner
    assert task.kind == Task.Kind.SAFETY_REVIEW
    (escalation,) = PatternEscalation.objects.all()
    assert escalation.code == "course_of_conduct"
    assert escalation.review == task
    assert "may amount to harassment" in escalation.reason
    assert AuditEvent.objects.filter(
        verb=Verb.PATTERN_ESCALATED, object_id=str(escalation.pk)
    ).exists()


def test_noting_again_with_nothing_new_changes_nothing(practitioner, order):
    record(practitioner, order, days_ago=5)
    record(practitioner, order, days_ago=3)
    assert pattern_escalations_note(actor=practitioner, case=order.case) == []
    assert pattern_reasons().count() == 1
    assert PatternEscalation.objects.count() == 1


def test_a_third_like_breach_is_the_same_course_of_conduct_not_a_new_review(practitioner, order):
    for days in (9, 5, 3):
        record(practitioner, order, days_ago=days)
    assert pattern_reasons().count() == 1


def test_a_first_threat_is_a_new_escalation_and_a_new_reason_on_the_one_review(practitioner, order):
    record(practitioner, order, days_ago=9)
    record(practitioner, order, days_ago=5)
    record(practitioner, order, days_ago=3, behaviours=[Behaviour.THREATS])
    assert pattern_reasons().count() == 2
    assert PatternEscalation.objects.filter(code="first_more_serious:threats").exists()
    assert Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW).count() == 1


def test_one_review_covers_flags_that_arrive_together(practitioner, order):
    record(practitioner, order, days_ago=9)
    # Second incident: a course of conduct, stalking indicators and a first "following".
    record(practitioner, order, days_ago=3, behaviours=[Behaviour.FOLLOWING])
    assert PatternEscalation.objects.count() == 3
    (reason,) = pattern_reasons()
    review = reason.task
    assert set(PatternEscalation.objects.values_list("review", flat=True)) == {review.pk}


def test_escalations_already_noticed_elsewhere_are_not_noticed_twice(practitioner, order):
    """As when two records are saved at once: the second call finds them stored."""
    BreachFactory.create_batch(2, case=order.case)
    first = pattern_escalations_note(actor=practitioner, case=order.case)
    second = pattern_escalations_note(actor=practitioner, case=order.case)
    assert [e.code for e in first] == ["course_of_conduct"]
    assert second == []
    assert pattern_reasons().count() == 1
