"""My tasks: my open tasks on the cases I work on now, overdue first."""

import datetime as dt

import pytest
from django.utils import timezone

from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import TODAY
from orderwatch.tasks.selectors import my_tasks
from orderwatch.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _due(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


def test_overdue_tasks_come_first_then_by_due_date(practitioner, case):
    later = TaskFactory(case=case, assignee=practitioner, due_on=_due(10))
    today = TaskFactory(case=case, assignee=practitioner, due_on=_due(0))
    long_overdue = TaskFactory(case=case, assignee=practitioner, due_on=_due(-9))
    overdue = TaskFactory(case=case, assignee=practitioner, due_on=_due(-1))
    tasks = list(my_tasks(user=practitioner))
    assert tasks == [long_overdue, overdue, today, later]
    assert [t.is_overdue for t in tasks] == [True, True, False, False]


def test_done_tasks_and_other_peoples_tasks_are_left_out(practitioner, colleague, case):
    mine = TaskFactory(case=case, assignee=practitioner)
    TaskFactory(case=case, assignee=colleague)
    TaskFactory(case=case, assignee=practitioner, done_at=timezone.now(), done_by=practitioner)
    assert list(my_tasks(user=practitioner)) == [mine]


def test_tasks_on_a_case_the_user_has_left_are_left_out(practitioner, case):
    other = CaseTeamMembershipFactory(user=practitioner).case
    TaskFactory(case=other, assignee=practitioner)
    still = TaskFactory(case=case, assignee=practitioner)
    other.team_memberships.filter(user=practitioner).update(left_at=timezone.now())
    assert list(my_tasks(user=practitioner)) == [still]
