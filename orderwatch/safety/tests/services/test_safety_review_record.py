"""Recording a review of the safety plan completes exactly the review tasks it answers."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import NOW
from orderwatch.safety.models import SafetyReview
from orderwatch.safety.services import safety_review_open, safety_review_record
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db


def _review_task(case, origin=Task.Origin.BREACH) -> Task:
    return safety_review_open(actor=None, case=case, origin=origin, origin_id=uuid.uuid4())


def _counts() -> tuple[int, int, int]:
    return (
        SafetyReview.objects.count(),
        Task.objects.filter(done_at__isnull=False).count(),
        AuditEvent.objects.filter(verb__in=[Verb.SAFETY_REVIEWED, Verb.TASK_DONE]).count(),
    )


def test_a_review_completes_the_open_review_for_all_its_reasons_and_no_other_case(
    practitioner, case, colleague
):
    breach = _review_task(case)
    move = _review_task(case, Task.Origin.ADDRESS_CHANGE)
    assert move == breach  # one review, two reasons
    other = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    left_open = _review_task(other)

    review = safety_review_record(
        agreements_still_right="yes",
        actor=colleague,
        case=case,
        what_changed=" Added a panic alarm; the school now has the order. ",
        task_ids=[str(breach.pk)],
    )

    assert review.what_changed == "Added a panic alarm; the school now has the order."
    assert review.plan == case.safety_plan
    assert list(review.tasks.all()) == [breach]
    breach.refresh_from_db()
    assert (breach.done_at, breach.done_by) == (NOW, colleague)
    assert {r.origin for r in breach.reasons.all()} == {
        Task.Origin.BREACH,
        Task.Origin.ADDRESS_CHANGE,
    }
    left_open.refresh_from_db()
    assert not left_open.is_done
    event = AuditEvent.objects.get(verb=Verb.SAFETY_REVIEWED)
    assert event.payload == {"tasks": [str(breach.pk)], "agreements_still_right": "yes"}
    assert AuditEvent.objects.filter(verb=Verb.TASK_DONE).count() == 1


def test_a_review_may_answer_no_particular_event(practitioner, case):
    review = safety_review_record(
        agreements_still_right="yes",
        actor=practitioner,
        case=case,
        what_changed="Routine monthly review.",
        task_ids=[],
    )
    assert not review.tasks.exists()


def test_a_task_from_another_case_is_refused_and_nothing_is_saved(practitioner, case):
    mine = _review_task(case)
    other_case = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    theirs = _review_task(other_case)
    with pytest.raises(ValidationError) as error:
        safety_review_record(
            agreements_still_right="yes",
            actor=practitioner,
            case=case,
            what_changed="Reviewed.",
            task_ids=[mine.pk, theirs.pk],
        )
    assert error.value.message_dict["tasks"] == ["Select reviews that are still open on this case"]
    assert _counts() == (0, 0, 0)
    assert not Task.objects.filter(done_at__isnull=False).exists()


def test_a_review_already_done_cannot_be_answered_again(practitioner, case):
    task = _review_task(case)
    safety_review_record(
        agreements_still_right="yes",
        actor=practitioner,
        case=case,
        what_changed="First.",
        task_ids=[task.pk],
    )
    with pytest.raises(ValidationError) as error:
        safety_review_record(
            agreements_still_right="yes",
            actor=practitioner,
            case=case,
            what_changed="Second.",
            task_ids=[task.pk],
        )
    assert "tasks" in error.value.message_dict
    assert SafetyReview.objects.count() == 1


def test_a_general_task_is_not_a_review(practitioner, case):
    general = Task.objects.create(
        case=case,
        kind=Task.Kind.GENERAL,
        title="Call the school",
        assignee=practitioner,
        due_on=NOW.date(),
        origin=Task.Origin.BREACH,
        origin_id=uuid.uuid4(),
    )
    with pytest.raises(ValidationError):
        safety_review_record(
            agreements_still_right="yes",
            actor=practitioner,
            case=case,
            what_changed="Reviewed.",
            task_ids=[general.pk],
        )
    general.refresh_from_db()
    assert not general.is_done


def test_a_review_must_say_what_changed(practitioner, case):
    task = _review_task(case)
    with pytest.raises(ValidationError) as error:
        safety_review_record(
            agreements_still_right="yes",
            actor=practitioner,
            case=case,
            what_changed="  ",
            task_ids=[task.pk],
        )
    assert "what_changed" in error.value.message_dict
    assert _counts() == (0, 0, 0)


def test_an_auditor_on_the_team_may_not_record_a_review(case, team_auditor):
    task = _review_task(case)
    with pytest.raises(PermissionDenied):
        safety_review_record(
            agreements_still_right="yes",
            actor=team_auditor,
            case=case,
            what_changed="Reviewed.",
            task_ids=[task.pk],
        )
    assert _counts() == (0, 0, 0)
