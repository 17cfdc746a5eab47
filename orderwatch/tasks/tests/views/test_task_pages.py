"""My tasks on the "My cases" page, and completing a task from it."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import TODAY
from orderwatch.tasks.models import Task
from orderwatch.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def _my_tasks_table(text: str) -> str:
    return re.search(r'data-testid="my-tasks".*?</table>', text, re.S).group(0)


def test_my_tasks_lists_overdue_first_with_the_case_and_a_link_to_the_work(
    signed_in, practitioner, case
):
    TaskFactory(case=case, assignee=practitioner, title="Call the school", due_on=TODAY)
    TaskFactory(
        case=case,
        assignee=practitioner,
        kind=Task.Kind.SAFETY_REVIEW,
        title="Review the safety plan after a breach",
        due_on=TODAY - dt.timedelta(days=2),
    )
    table = _my_tasks_table(signed_in.get(reverse("cases:list")).text)
    assert table.index("Review the safety plan after a breach") < table.index("Call the school")
    assert table.count("Overdue") == 1
    assert case.reference in table
    plan = reverse("safety:plan", kwargs={"case_id": case.pk})
    assert f'href="{plan}">Review the safety plan after a breach</a>' in table
    assert f'href="{case.get_absolute_url()}">Call the school</a>' in table
    # Only the general task is done from here; the review is done by recording it.
    assert table.count("Mark as done") == 1


def test_with_no_tasks_the_page_says_so(signed_in):
    assert "You have no open tasks." in signed_in.get(reverse("cases:list")).text


def test_my_cases_queries_do_not_grow_with_tasks(
    signed_in, practitioner, case, django_assert_num_queries
):
    TaskFactory(case=case, assignee=practitioner)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("cases:list"))
    for n in range(10):
        other = CaseTeamMembershipFactory(user=practitioner).case
        TaskFactory(case=other, assignee=practitioner, title=f"Task on case {n}")
        TaskFactory(case=other, assignee=practitioner, kind=Task.Kind.SAFETY_REVIEW)
    with django_assert_num_queries(len(few.captured_queries)):
        response = signed_in.get(reverse("cases:list"))
    assert "Task on case 9" in response.text


def test_completing_a_general_task_returns_to_my_cases(signed_in, practitioner, case):
    task = TaskFactory(case=case, assignee=practitioner, title="Call the school")
    url = reverse("tasks:complete", kwargs={"task_id": task.pk})
    assert signed_in.get(url).status_code == 405
    response = signed_in.post(url, follow=True)
    assert response.redirect_chain == [(reverse("cases:list"), 302)]
    assert "Task marked as done." in response.text
    assert "You have no open tasks." in response.text
    task.refresh_from_db()
    assert task.done_by == practitioner


def test_a_review_task_cannot_be_completed_without_recording_the_review(
    signed_in, practitioner, case
):
    task = TaskFactory(case=case, assignee=practitioner, kind=Task.Kind.SAFETY_REVIEW)
    response = signed_in.post(reverse("tasks:complete", kwargs={"task_id": task.pk}), follow=True)
    assert "Review the safety plan is done by recording it" in response.text
    task.refresh_from_db()
    assert not task.is_done


def test_a_task_on_another_case_is_404(client, practitioner, outsider, case):
    task = TaskFactory(case=case, assignee=practitioner)
    sign_in_with_two_factor(client, outsider)
    response = client.post(reverse("tasks:complete", kwargs={"task_id": task.pk}))
    assert response.status_code == 404
    assert case.reference not in response.text
