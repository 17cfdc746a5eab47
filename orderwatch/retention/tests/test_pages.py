"""The legal hold pages and the case page's line on keeping records."""

import datetime as dt
import uuid

import pytest
from django.db import transaction
from django.urls import reverse

from orderwatch.access.policy import case_lock_for_change
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.retention.models import LegalHold
from orderwatch.retention.services.holds import case_retention_review_set
from orderwatch.retention.tests.factories import LegalHoldFactory

pytestmark = pytest.mark.django_db


def _place_url(case):
    return reverse("retention:place", kwargs={"case_id": case.pk})


def test_the_case_page_says_a_case_is_held_and_how_long_it_is_kept(
    client, practitioner, case, manager
):
    sign_in_with_two_factor(client, practitioner)
    url = reverse("cases:detail", kwargs={"case_id": case.pk})
    assert "kept while it is open" in client.get(url).text
    LegalHoldFactory(case=case, placed_by=manager, kind=LegalHold.Kind.INQUIRY)
    with transaction.atomic():
        locked = case_lock_for_change(practitioner, case.pk)
        case_retention_review_set(actor=practitioner, case=locked, closed_on=dt.date(2026, 12, 4))
    text = client.get(url).text
    assert "This case is under legal hold." in text
    assert "An inquiry or inquest: placed" in text
    assert "by Tam Manager" in text
    assert "kept until a review on 4 December 2032 (adult case record)" in text
    # A practitioner may not hold the case, so is not offered the page.
    assert _place_url(case) not in text


def test_a_team_manager_on_the_team_is_offered_the_hold_page(client, case, manager):
    sign_in_with_two_factor(client, manager)
    text = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).text
    assert _place_url(case) in text


def test_an_administrator_finds_a_case_by_reference_and_sees_only_its_reference(
    client, case, agency_admin
):
    sign_in_with_two_factor(client, agency_admin)
    response = client.post(reverse("retention:list"), {"reference": f" {case.reference.lower()} "})
    assert response.status_code == 302
    assert response.url == _place_url(case)
    text = client.get(response.url).text
    assert case.reference in text
    victim = case.people.get(role="victim_survivor")
    assert victim.given_name not in text
    assert "Test Street" not in text


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("", "Enter the case reference"),
        ("OW-000000", "No case with that reference"),
        ("not a reference", "No case with that reference"),
        ("another agency's case", "No case with that reference"),
    ],
)
def test_finding_a_case_that_is_not_there_or_not_theirs_says_the_same(
    client, agency_admin, police, reference, message
):
    elsewhere = CaseFactory()
    CaseTeamMembershipFactory(case=elsewhere, user=UserFactory(agency=police))
    if reference == "another agency's case":
        reference = elsewhere.reference
    sign_in_with_two_factor(client, agency_admin)
    response = client.post(reverse("retention:list"), {"reference": reference})
    assert response.status_code == 200
    assert message in response.text


def test_placing_a_hold_twice_from_one_form_saves_it_once(client, case, manager):
    sign_in_with_two_factor(client, manager)
    data = {"kind": "proceedings", "submission_key": str(uuid.uuid4())}
    first = client.post(_place_url(case), data)
    second = client.post(_place_url(case), data)
    assert first.status_code == second.status_code == 302
    assert LegalHold.objects.count() == 1


def test_a_bad_hold_is_shown_back_with_its_message_and_nothing_saved(client, case, manager):
    sign_in_with_two_factor(client, manager)
    response = client.post(_place_url(case), {"kind": "other", "other_reason": ""})
    assert response.status_code == 200
    assert "Enter why the records must be kept" in response.text
    too_long = client.post(_place_url(case), {"kind": "other", "other_reason": "x" * 501})
    assert "500 characters" in too_long.text
    assert not LegalHold.objects.exists()


def test_lifting_through_the_page(client, case, manager):
    hold = LegalHoldFactory(case=case)
    sign_in_with_two_factor(client, manager)
    url = reverse("retention:lift", kwargs={"case_id": case.pk, "hold_id": hold.pk})
    assert "Enter why the hold is no longer needed" in client.post(url, {"reason": ""}).text
    response = client.post(url, {"reason": "The complaint was resolved."})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lift_reason == "The complaint was resolved."
    # A lifted hold's page is gone.
    assert client.get(url).status_code == 404


def test_a_hold_of_another_case_is_404_through_this_case(client, case, manager):
    other = LegalHoldFactory()
    sign_in_with_two_factor(client, manager)
    url = reverse("retention:lift", kwargs={"case_id": case.pk, "hold_id": other.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x"}).status_code == 404
    other.refresh_from_db()
    assert not other.is_lifted


def test_a_team_manager_finds_only_cases_they_are_on_by_reference(client, case, manager):
    elsewhere = CaseFactory()
    LegalHoldFactory(case=case, kind=LegalHold.Kind.COMPLAINT)
    LegalHoldFactory(case=elsewhere)
    sign_in_with_two_factor(client, manager)
    page = client.get(reverse("retention:list")).text
    assert case.reference in page
    assert elsewhere.reference not in page
    found = client.post(reverse("retention:list"), {"reference": case.reference})
    assert found.url == _place_url(case)
    missing = client.post(reverse("retention:list"), {"reference": elsewhere.reference})
    assert "No case with that reference" in missing.text
