import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from orderwatch.access.policy import access_case
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.services import (
    case_person_add,
    case_team_member_add,
    case_team_member_remove,
)

pytestmark = pytest.mark.django_db


def test_added_member_sees_the_case_and_removed_member_gets_404_at_once(practitioner, case):
    colleague = UserFactory(agency=practitioner.agency)
    case_team_member_add(actor=practitioner, case=case, user=colleague, capacity="Social worker")
    assert access_case(colleague, case.pk) == case

    case_team_member_remove(actor=practitioner, case=case, user=colleague)
    with pytest.raises(Http404):
        access_case(colleague, case.pk)
    assert AuditEvent.objects.filter(verb=Verb.TEAM_MEMBER_REMOVED, case_id=case.pk).exists()


def test_making_a_new_lead_replaces_the_old_one(practitioner, case):
    colleague = UserFactory(agency=practitioner.agency)
    case_team_member_add(
        actor=practitioner, case=case, user=colleague, capacity="IDVA", is_lead=True
    )
    leads = case.team_memberships.filter(is_lead=True, left_at__isnull=True)
    assert [m.user for m in leads] == [colleague]


def test_the_same_person_cannot_be_added_twice(practitioner, case):
    with pytest.raises(ValidationError, match="already on the case team"):
        case_team_member_add(actor=practitioner, case=case, user=practitioner, capacity="IDVA")


def test_an_outsider_cannot_change_a_team_they_are_not_on(outsider, case):
    with pytest.raises(Http404):
        case_team_member_add(actor=outsider, case=case, user=outsider, capacity="Intruder")
    assert not case.team_memberships.filter(user=outsider).exists()


def test_person_added_with_aliases_and_audited(practitioner, case):
    person = case_person_add(
        actor=practitioner,
        case=case,
        role="respondent",
        given_name="Chris",
        family_name="Rivers",
        aliases=[" Kit ", "", "K. Rivers"],
    )
    assert person.aliases == ["Kit", "K. Rivers"]
    event = AuditEvent.objects.get(verb=Verb.PERSON_ADDED, object_id=str(person.pk))
    assert "Chris" not in str(event.payload)


def test_a_second_victim_survivor_is_refused(practitioner, case):
    with pytest.raises(ValidationError):
        case_person_add(actor=practitioner, case=case, role="victim_survivor", given_name="X")


def test_a_leaving_lead_hands_their_open_reviews_to_someone_still_on_the_team(
    practitioner, case, order
):
    from orderwatch.breaches.services import breach_record
    from orderwatch.breaches.tests.factories import breach_account
    from orderwatch.tasks.models import Task

    colleague = UserFactory(agency=practitioner.agency)
    case_team_member_add(actor=practitioner, case=case, user=colleague, capacity="Social worker")
    breach_record(actor=practitioner, case=case, account=breach_account(order.conditions.get()))
    done = Task.objects.get()
    done.done_at, done.done_by = done.created_at, practitioner
    done.save()
    breach_record(actor=practitioner, case=case, account=breach_account(order.conditions.get()))

    case_team_member_remove(actor=colleague, case=case, user=practitioner)

    open_reviews = Task.objects.filter(done_at__isnull=True)  # the breach's and the pattern's
    assert {task.origin for task in open_reviews} == {Task.Origin.BREACH, Task.Origin.PATTERN}
    assert {task.assignee for task in open_reviews} == {colleague}
    open_review = open_reviews.get(origin=Task.Origin.BREACH)
    assert Task.objects.get(pk=done.pk).assignee == practitioner  # history is left alone
    assert AuditEvent.objects.filter(verb=Verb.TASK_REASSIGNED, object_id=str(open_review.pk))
