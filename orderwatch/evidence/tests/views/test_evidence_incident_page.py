import pytest
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.models import Behaviour
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.evidence.models import EvidenceIncident
from orderwatch.evidence.services import (
    evidence_breach_link,
    evidence_incident_mark,
    evidence_item_remove,
)
from orderwatch.evidence.tests.factories import item_added

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(item):
    return reverse("evidence:incident", kwargs={"case_id": item.case_id, "item_id": item.pk})


def test_the_page_asks_the_question_with_no_personal_data_in_its_title(signed_in, url):
    page = signed_in.get(url).text
    assert "<title>Is this an incident? – Evidence – OrderWatch</title>" in page
    assert "Does this item record an incident?" in page
    assert "counted in the case&#x27;s pattern of incidents" in page
    assert Behaviour.FOLLOWING.label in page
    assert "Not rated" in page
    assert 'data-testid="counted-as-breach"' not in page


def test_an_item_linked_to_a_breach_says_it_is_not_counted_twice(
    signed_in, practitioner, case, item, url
):
    evidence_breach_link(actor=practitioner, item=item, breach=BreachFactory(case=case))
    page = signed_in.get(url).text
    assert "It is counted as part of that breach, not twice." in page


def test_the_current_judgement_is_shown_to_change(signed_in, practitioner, item, url):
    evidence_incident_mark(
        actor=practitioner, case=item.case, item=item, behaviours=["threats"], severity=None
    )
    page = signed_in.get(url).text
    assert 'value="yes" checked' in page
    assert 'value="threats" checked' in page
    assert 'value="not_rated" checked' in page


def test_yes_without_answers_shows_linked_errors_keeps_answers_and_saves_nothing(signed_in, url):
    response = signed_in.post(url, {"is_incident": "yes"})
    assert response.status_code == 200
    assert 'href="#id_behaviours_0"' in response.text
    assert "Select at least one kind of behaviour" in response.text
    assert 'href="#id_severity_0"' in response.text
    assert "Select how serious it was, or Not rated" in response.text
    assert 'value="yes" checked' in response.text
    assert not EvidenceIncident.objects.exists()

    response = signed_in.post(url, {"is_incident": "yes", "severity": "3"})
    assert 'value="3" checked' in response.text
    assert not EvidenceIncident.objects.exists()


def test_no_answer_at_all_is_refused(signed_in, url):
    response = signed_in.post(url, {})
    assert 'href="#id_is_incident_0"' in response.text
    assert "Select whether this item records an incident" in response.text


def test_yes_marks_the_item_and_the_item_page_shows_it(signed_in, item, url):
    response = signed_in.post(
        url, {"is_incident": "yes", "behaviours": ["threats", "following"], "severity": "3"}
    )
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    incident = EvidenceIncident.objects.get(item=item)
    assert (incident.behaviours, incident.severity) == (["following", "threats"], 3)
    page = signed_in.get(item.get_absolute_url()).text
    assert "Evidence marked as an incident." in page
    assert "Yes: Following or watching, Threats, High" in page


def test_not_rated_is_saved_as_no_severity(signed_in, item, url):
    signed_in.post(url, {"is_incident": "yes", "behaviours": ["online"], "severity": "not_rated"})
    assert EvidenceIncident.objects.get(item=item).severity is None
    assert "Yes: Online (social media, posting, tracking), Not rated" in (
        signed_in.get(item.get_absolute_url()).text
    )


def test_no_withdraws_the_judgement(signed_in, practitioner, item, url):
    evidence_incident_mark(
        actor=practitioner, case=item.case, item=item, behaviours=["threats"], severity=2
    )
    # Answers to the questions that follow are ignored once the answer is No.
    response = signed_in.post(url, {"is_incident": "no", "behaviours": ["threats"]})
    assert response.status_code == 302
    assert not EvidenceIncident.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.EVIDENCE_INCIDENT_UNMARKED).count() == 1
    page = signed_in.get(item.get_absolute_url()).text
    assert "Evidence is not counted as an incident." in page
    assert "Not marked as an incident" in page


def test_a_removed_item_is_refused_with_the_reason(signed_in, practitioner, item, url):
    evidence_item_remove(actor=practitioner, item=item, reason="Added by mistake.")
    response = signed_in.post(
        url, {"is_incident": "yes", "behaviours": ["threats"], "severity": "1"}
    )
    assert response.status_code == 200
    assert "A removed item cannot be marked as an incident" in response.text
    assert not EvidenceIncident.objects.exists()


def test_the_change_link_shows_only_to_those_who_may_change_the_case(
    client, signed_in, auditor, case, item, url
):
    assert f'href="{url}"' in signed_in.get(item.get_absolute_url()).text
    CaseTeamMembershipFactory(case=case, user=auditor)
    reader = sign_in_with_two_factor(client, auditor)
    page = reader.get(item.get_absolute_url()).text
    assert "Not marked as an incident" in page
    assert f'href="{url}"' not in page


def test_the_log_tags_items_marked_as_incidents(signed_in, practitioner, case, item):
    item_added(actor=practitioner, case=case)
    evidence_incident_mark(
        actor=practitioner, case=case, item=item, behaviours=["threats"], severity=None
    )
    page = signed_in.get(reverse("evidence:log", kwargs={"case_id": case.pk})).text
    assert page.count('<strong class="govuk-tag govuk-tag--blue">Incident</strong>') == 1
