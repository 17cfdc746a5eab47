"""The closing pages (checklist, reason, Check your answers), reopening, the closed banner and
the "Closed cases" tab of My cases (ADR 0037)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.cases.closing_drafts import SESSION_KEY
from orderwatch.cases.models import Case, CaseClosure
from orderwatch.cases.tests.closing import closed
from orderwatch.cases.tests.factories import (
    CaseFactory,
    CasePersonFactory,
    CaseTeamMembershipFactory,
)
from orderwatch.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    return client


def _url(name, case):
    return reverse(name, kwargs={"case_id": case.pk})


def test_the_checklist_stops_until_each_open_item_is_decided(signed_in, practitioner, case, order):
    task = TaskFactory(case=case, assignee=practitioner, title="Ring the school")
    page = signed_in.get(_url("cases:close", case)).text
    assert "Ring the school" in page
    assert order.order_type.name in page

    response = signed_in.post(_url("cases:close", case), {})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Choose what happens to the task “Ring the school”" in response.text
    assert f"Choose what happens to the {order.order_type.name}" in response.text

    response = signed_in.post(
        _url("cases:close", case),
        {f"order-{order.pk}": "stays_in_force", f"task-{task.pk}": "not_yet"},
    )
    assert "Finish the task first, then close the case" in response.text
    assert not Case.objects.get(pk=case.pk).is_closed


def test_closing_through_the_pages_saves_only_on_confirm(signed_in, practitioner, case, order):
    signed_in.post(_url("cases:close", case), {f"order-{order.pk}": "stays_in_force"})
    response = signed_in.post(_url("cases:close-reason", case), {"reason": "other"})
    assert "Enter why the case is closing" in response.text
    response = signed_in.post(_url("cases:close-reason", case), {})
    assert "Choose why the case is closing" in response.text
    response = signed_in.post(
        _url("cases:close-reason", case),
        {"reason": "other", "reason_text": "The family moved abroad."},
    )
    assert response.url == _url("cases:close-check", case)
    # The reason is sealed in the session, never readable in django_session.
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session")
        assert all("abroad" not in row[0] for row in cursor.fetchall())
    page = signed_in.get(_url("cases:close-check", case)).text
    assert "The family moved abroad." in page
    assert "Keep it on record as in force" in page
    assert not Case.objects.get(pk=case.pk).is_closed  # nothing saved yet

    response = signed_in.post(_url("cases:close-check", case))
    assert response.url == case.get_absolute_url()
    assert Case.objects.get(pk=case.pk).is_closed
    assert CaseClosure.objects.get().reason_text == "The family moved abroad."
    assert str(case.pk) not in signed_in.session.get(SESSION_KEY, {})


def test_check_your_answers_catches_what_opened_since_and_saves_nothing(
    signed_in, practitioner, case
):
    signed_in.post(_url("cases:close", case), {})
    signed_in.post(_url("cases:close-reason", case), {"reason": "support_ended"})
    TaskFactory(case=case, assignee=practitioner, title="Call back")  # opened meanwhile
    response = signed_in.post(_url("cases:close-check", case))
    assert response.status_code == 200
    assert "Something on the case has changed" in response.text
    assert "Choose what happens to the task “Call back”" in response.text
    assert not Case.objects.get(pk=case.pk).is_closed


def test_a_closed_case_shows_the_banner_hides_changes_and_can_be_reopened(
    signed_in, practitioner, case
):
    closed(practitioner, case)
    page = signed_in.get(case.get_absolute_url()).text
    assert "This case is closed" in page
    assert "Reopen this case" in page
    assert "Record an order" not in page
    assert "Close this case" not in page
    assert "Add someone to the case team" not in page
    # A write page answers calmly that the case is closed.
    response = signed_in.get(_url("cases:person-new", case))
    assert response.status_code == 403
    assert "This case is closed, so it cannot be changed" in response.text

    response = signed_in.post(_url("cases:reopen", case), {"reason_text": ""})
    assert "Enter why the case is being reopened" in response.text
    response = signed_in.post(_url("cases:reopen", case), {"reason_text": "A new order."})
    assert response.url == case.get_absolute_url()
    assert not Case.objects.get(pk=case.pk).is_closed
    assert "Close this case" in signed_in.get(case.get_absolute_url()).text


def test_the_chronology_shows_closing_and_reopening_with_why(signed_in, practitioner, case):
    closed(practitioner, case, reason="other", reason_text="Moved to another county.")
    page = signed_in.get(reverse("chronology:timeline", kwargs={"case_id": case.pk})).text
    assert "Case closed" in page
    assert "Moved to another county." in page


def test_closed_cases_leave_my_cases_for_the_closed_tab(signed_in, practitioner, case):
    response = signed_in.get(reverse("cases:list"))
    assert case.reference in response.text
    closed(practitioner, case)
    assert case.reference not in signed_in.get(reverse("cases:list")).text
    closed_tab = signed_in.get(reverse("cases:list") + "?show=closed").text
    assert case.reference in closed_tab
    assert "Closed cases" in closed_tab


def _closed_cases_for(user, count):
    for _ in range(count):
        case = CaseFactory()
        CaseTeamMembershipFactory(case=case, user=user, is_lead=True)
        CasePersonFactory(case=case)
        closed(user, case)


def test_the_closed_tab_takes_the_same_queries_for_1_or_20_cases(
    signed_in, practitioner, django_assert_num_queries
):
    url = reverse("cases:list") + "?show=closed"
    _closed_cases_for(practitioner, 1)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url)
    _closed_cases_for(practitioner, 19)
    with django_assert_num_queries(len(few.captured_queries)):
        response = signed_in.get(url)
    assert response.text.count("/cases/") >= 20


def test_a_colleague_who_does_not_lead_gets_403_on_the_closing_pages(client, colleague, case):
    sign_in_with_two_factor(client, colleague)
    assert client.get(_url("cases:close", case)).status_code == 403
    assert "Close this case" not in client.get(case.get_absolute_url()).text
