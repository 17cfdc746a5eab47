"""The expiry reminder page: the order, its end, the catalogue's options, and the decision."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import TODAY
from orderwatch.reminders.models import ExpiryDecision
from orderwatch.reminders.services import reminders_sweep
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminder(case, ending_order):
    reminders_sweep(today=TODAY)
    return Task.objects.get(kind=Task.Kind.EXPIRY_DECISION)


@pytest.fixture
def url(reminder):
    return reverse("reminders:decision", kwargs={"task_id": reminder.pk})


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def test_the_page_shows_the_order_its_end_and_the_catalogue_options(
    signed_in, url, case, ending_order
):
    response = signed_in.get(url)
    text = response.text
    assert response.status_code == 200
    assert "Consider extension or an alternative protective order" in text
    assert ending_order.ends_on.strftime("%-d %b %Y") in text
    assert "in 13 days" in text
    assert ending_order.order_type.extension_and_variation in text
    for alternative in ending_order.order_type.alternatives.all():
        assert alternative.name in text
    assert "Record the decision" in text
    # No names in the title.
    title = text.split("<title>")[1].split("</title>")[0]
    assert title.startswith("Order ending: extension or an alternative – case ")
    for person in case.people.all():
        assert person.family_name not in title
    assert AuditEvent.objects.filter(verb=Verb.CASE_VIEWED, case_id=case.pk).exists()


def test_recording_the_decision_closes_the_task_and_returns_to_my_cases(signed_in, url, reminder):
    response = signed_in.post(
        url,
        {
            "decision": "alternative",
            "alternative": "domestic_abuse_protection_order",
            "reason": "A DAPO can add requirements the court may now impose.",
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("cases:list"), 302)]
    assert "Decision recorded. The reminder is done." in response.text
    reminder.refresh_from_db()
    assert reminder.is_done
    # The done reminder shows the decision and no form.
    page = signed_in.get(url).text
    assert "Seek an alternative protective order: Domestic abuse protection order" in page
    assert '<form method="post" novalidate>' not in page


def test_bad_input_shows_clear_errors_and_saves_nothing(signed_in, url, reminder):
    response = signed_in.post(url, {"decision": "alternative", "alternative": "", "reason": ""})
    assert response.status_code == 200
    text = response.text
    assert "<title>Error: " in text
    assert "There is a problem" in text
    assert "Enter why this is the right next step" in text
    assert not ExpiryDecision.objects.exists()
    reminder.refresh_from_db()
    assert not reminder.is_done


def test_an_alternative_not_offered_for_this_order_is_refused(signed_in, url):
    response = signed_in.post(
        url, {"decision": "alternative", "alternative": "fgm_protection_order", "reason": "x"}
    )
    assert "Select which order to seek, from the options for this order" in response.text
    assert not ExpiryDecision.objects.exists()


def test_the_service_error_for_a_missing_alternative_shows_beside_the_field(signed_in, url):
    response = signed_in.post(url, {"decision": "alternative", "reason": "Because."})
    assert 'id="id_alternative-error"' in response.text or "id_alternative_0" in response.text
    assert "Select which order to seek, from the options for this order" in response.text


def test_an_auditor_on_the_team_sees_the_reminder_but_no_form(client, case, auditor, url):
    CaseTeamMembershipFactory(case=case, user=auditor)
    sign_in_with_two_factor(client, auditor)
    text = client.get(url).text
    assert "Only practitioners and team managers on the case team can record the decision" in text
    assert client.post(url, {"decision": "extend", "reason": "x"}).status_code == 403


def test_a_reminder_on_another_case_is_404(client, outsider, url, case):
    sign_in_with_two_factor(client, outsider)
    response = client.get(url)
    assert response.status_code == 404
    assert case.reference not in response.text


def test_a_task_of_another_kind_is_404(signed_in, practitioner, case):
    general = Task.objects.create(
        case=case,
        kind=Task.Kind.GENERAL,
        title="Call the school",
        assignee=practitioner,
        due_on=TODAY,
        origin=Task.Origin.BREACH,
        origin_id=case.pk,
    )
    url = reverse("reminders:decision", kwargs={"task_id": general.pk})
    assert signed_in.get(url).status_code == 404


def test_the_page_queries_do_not_grow_with_the_catalogue_or_other_reminders(
    signed_in, url, practitioner, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url)
    for _ in range(5):
        CaseTeamMembershipFactory(user=practitioner, is_lead=True)
    with django_assert_num_queries(len(few.captured_queries)):
        signed_in.get(url)


def test_the_reminder_opens_from_my_tasks(signed_in, url):
    assert f'href="{url}">Consider extension or an alternative protective order</a>' in (
        signed_in.get(reverse("cases:list")).text
    )
