"""The case team's pages: add from any agency, remove with a reason, hand over, address access."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.cases.models import CaseTeamMembership
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


@pytest.fixture
def officer(police):
    return UserFactory(agency=police, role=User.Role.PRACTITIONER, display_name="Offi Cer")


def add_url(case, **query):
    url = reverse("cases:team-add", kwargs={"case_id": case.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_lead_adds_an_officer_from_the_police_who_then_sees_the_case(
    signed_in, client, case, police, officer
):
    page = signed_in.get(add_url(case))
    assert police.name in page.text
    page = signed_in.get(add_url(case, agency=police.pk))
    assert "Offi Cer – Practitioner" in page.text
    response = signed_in.post(
        add_url(case, agency=police.pk),
        {"user": officer.pk, "capacity": "officer_in_the_case"},
    )
    assert response.status_code == 302
    membership = CaseTeamMembership.objects.get(case=case, user=officer)
    assert membership.capacity == "Officer in the case"
    assert not membership.may_see_address
    text = signed_in.get(case.get_absolute_url()).text
    assert "Offi Cer" in text
    assert "Cannot see it" in text
    client.logout()
    sign_in_with_two_factor(client, officer)
    assert client.get(case.get_absolute_url()).status_code == 200


def test_other_needs_the_role_written_in_and_nothing_is_saved_without_it(
    signed_in, case, police, officer
):
    response = signed_in.post(
        add_url(case, agency=police.pk), {"user": officer.pk, "capacity": "other"}
    )
    assert response.status_code == 200
    assert "Enter their role on this case" in response.text
    assert not CaseTeamMembership.objects.filter(user=officer).exists()
    signed_in.post(
        add_url(case, agency=police.pk),
        {"user": officer.pk, "capacity": "other", "other_capacity": "Neighbourhood officer"},
    )
    assert CaseTeamMembership.objects.get(user=officer).capacity == "Neighbourhood officer"


def test_the_directory_lists_only_active_professionals_of_the_agency_not_on_the_team(
    signed_in, case, police, officer, practitioner
):
    UserFactory(agency=police, is_active=False, display_name="Gone Away")
    UserFactory(agency=police, role=User.Role.AUDITOR, display_name="Audi Tor")
    on_team = UserFactory(agency=police, display_name="Al Ready")
    CaseTeamMembershipFactory(case=case, user=on_team)
    text = signed_in.get(add_url(case, agency=police.pk)).text
    assert "Offi Cer" in text
    for hidden in ("Gone Away", "Audi Tor", "Al Ready", practitioner.display_name):
        assert hidden not in text.split("Search by name")[1]
    searched = signed_in.post(add_url(case, agency=police.pk), {"search": "1", "name": "zzz"})
    assert "Offi Cer" not in searched.text
    assert not CaseTeamMembership.objects.filter(user=officer).exists()
    found = signed_in.post(add_url(case, agency=police.pk), {"search": "1", "name": "offi"})
    assert "Offi Cer – Practitioner" in found.text


def test_someone_not_in_the_directory_cannot_be_added_by_posting_their_id(
    signed_in, case, police, idva_service
):
    elsewhere = UserFactory(agency=idva_service, display_name="Else Where")
    response = signed_in.post(
        add_url(case, agency=police.pk), {"user": elsewhere.pk, "capacity": "health"}
    )
    assert response.status_code == 200
    assert not CaseTeamMembership.objects.filter(user=elsewhere).exists()


def test_removing_the_lead_asks_who_takes_over_and_changes_nothing_until_then(
    signed_in, case, practitioner, colleague
):
    lead = case.team_memberships.get(user=practitioner)
    url = reverse("cases:team-remove", kwargs={"case_id": case.pk, "membership_id": lead.pk})
    assert "Who will lead the case instead?" in signed_in.get(url).text
    response = signed_in.post(url, {"reason": "Moving to another team"})
    assert "Choose who will lead the case instead" in response.text
    lead.refresh_from_db()
    assert lead.is_lead
    assert lead.left_at is None
    response = signed_in.post(url, {"reason": "Moving to another team", "new_lead": colleague.pk})
    assert response.url == reverse("cases:list")
    assert case.team_memberships.get(is_lead=True, left_at__isnull=True).user == colleague
    assert signed_in.get(case.get_absolute_url()).status_code == 404


def test_the_lead_allows_a_member_to_see_the_address_with_a_reason(signed_in, case, colleague):
    member = case.team_memberships.get(user=colleague)
    url = reverse(
        "cases:team-address-access", kwargs={"case_id": case.pk, "membership_id": member.pk}
    )
    assert "Allow Col League to see the protected address" in signed_in.get(url).text
    assert "Enter why" in signed_in.post(url, {"reason": ""}).text
    signed_in.post(url, {"reason": "Arranging a home visit"})
    member.refresh_from_db()
    assert member.may_see_address
    assert "Stop Col League seeing the protected address" in signed_in.get(url).text


def test_a_member_who_is_not_the_lead_sees_no_team_actions(client, case, colleague):
    sign_in_with_two_factor(client, colleague)
    text = client.get(case.get_absolute_url()).text
    assert "Add someone to the case team" not in text
    assert "Allow address access" not in text
    assert client.get(add_url(case)).status_code == 403


def test_the_case_page_reads_the_team_in_the_same_queries_from_5_to_500_members(signed_in, case):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(case.get_absolute_url()).status_code == 200
        return len(captured.captured_queries)

    CaseTeamMembershipFactory.create_batch(4, case=case)
    queries()  # the session's idle timeout moves on once
    few = queries()
    CaseTeamMembershipFactory.create_batch(495, case=case)
    assert queries() == few
