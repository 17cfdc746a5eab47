"""Opening a task for an event: once, audited."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.core.tests.clock import NOW, TODAY
from orderwatch.tasks.models import Task
from orderwatch.tasks.services import case_task_owner, task_open

pytestmark = pytest.mark.django_db


def _open(actor, case, origin_id, **overrides):
    values = {
        "kind": Task.Kind.GENERAL,
        "title": "Consider an extension",
        "assignee": actor,
        "due_on": TODAY,
        "origin": Task.Origin.ORDER_ENDED,
        "origin_id": origin_id,
    }
    return task_open(actor=actor, case=case, **(values | overrides))


def test_a_task_is_opened_and_audited(practitioner, case):
    task = _open(practitioner, case, uuid.uuid4())
    assert (task.case, task.assignee, task.created_by, task.is_done) == (
        case,
        practitioner,
        practitioner,
        False,
    )
    event = AuditEvent.objects.get(verb=Verb.TASK_OPENED)
    assert (event.object_id, event.case_id) == (str(task.pk), case.pk)


def test_the_same_event_opens_one_task_however_often(practitioner, colleague, case):
    event = uuid.uuid4()
    first = _open(practitioner, case, event)
    again = _open(colleague, case, event, title="Something else", assignee=colleague)
    assert again == first
    assert again.title == "Consider an extension"
    assert Task.objects.count() == 1
    assert AuditEvent.objects.filter(verb=Verb.TASK_OPENED).count() == 1


def test_the_same_event_may_open_tasks_of_different_kinds(practitioner, case):
    event = uuid.uuid4()
    _open(practitioner, case, event)
    _open(practitioner, case, event, kind=Task.Kind.SAFETY_REVIEW)
    assert Task.objects.count() == 2


def test_tasks_go_to_the_lead_or_while_there_is_none_the_longest_serving_practitioner(
    practitioner, colleague, case
):
    assert case_task_owner(case) == practitioner
    # Time stands still in these tests: say plainly who joined the team later.
    case.team_memberships.filter(user=colleague).update(created_at=NOW + dt.timedelta(days=1))
    case.team_memberships.update(is_lead=False)
    assert case_task_owner(case) == practitioner  # on the team before the colleague
    case.team_memberships.update(left_at=timezone.now())
    assert case_task_owner(case) is None
