"""Completing a general task; a review is done by recording it."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import NOW
from orderwatch.tasks.models import Task
from orderwatch.tasks.services import task_complete
from orderwatch.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_a_general_task_is_marked_done_once_and_audited(practitioner, colleague, case):
    task = TaskFactory(case=case, assignee=practitioner)
    done = task_complete(actor=colleague, task_id=task.pk)
    assert (done.done_at, done.done_by) == (NOW, colleague)
    assert task_complete(actor=practitioner, task_id=task.pk).done_by == colleague
    assert AuditEvent.objects.filter(verb=Verb.TASK_DONE, object_id=str(task.pk)).count() == 1


def test_a_review_task_is_refused_it_is_done_by_recording_the_review(practitioner, case):
    task = TaskFactory(case=case, assignee=practitioner, kind=Task.Kind.SAFETY_REVIEW)
    with pytest.raises(ValidationError) as error:
        task_complete(actor=practitioner, task_id=task.pk)
    assert "is done by recording it" in error.value.messages[0]
    task.refresh_from_db()
    assert not task.is_done
    assert not AuditEvent.objects.filter(verb=Verb.TASK_DONE).exists()


def test_a_task_on_someone_elses_case_does_not_exist(practitioner, outsider, case):
    task = TaskFactory(case=case, assignee=practitioner)
    with pytest.raises(Http404):
        task_complete(actor=outsider, task_id=task.pk)
    with pytest.raises(Http404):
        task_complete(actor=practitioner, task_id=uuid.uuid4())
    task.refresh_from_db()
    assert not task.is_done


def test_someone_who_left_the_team_cannot_complete_it(practitioner, colleague, case):
    task = TaskFactory(case=case, assignee=colleague)
    case.team_memberships.filter(user=colleague).update(left_at=timezone.now())
    with pytest.raises(Http404):
        task_complete(actor=colleague, task_id=task.pk)


def test_an_auditor_on_the_team_may_not_complete_it(practitioner, auditor, case):
    CaseTeamMembershipFactory(case=case, user=auditor)
    task = TaskFactory(case=case, assignee=practitioner)
    with pytest.raises(PermissionDenied):
        task_complete(actor=auditor, task_id=task.pk)
    task.refresh_from_db()
    assert not task.is_done
