"""A case whose lead's account was deactivated (ADR 0017): the agency's team managers see it by
reference, one joins the team and hands over; nobody else sees anything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.people.services import person_deactivate
from orderwatch.people.tests.factories import agency_admin

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("patterns:dashboard")


@pytest.fixture
def manager(idva_service):
    return UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER, display_name="Tam Manager")


@pytest.fixture
def lead_deactivated(idva_service, case, practitioner, manager):
    person_deactivate(
        actor=agency_admin(idva_service), person_id=practitioner.pk, reason="Left the service"
    )


def needed(case) -> str:
    return reverse("cases:lead-needed", args=[case.pk])


def test_the_agencys_team_manager_sees_the_case_by_reference_and_has_a_task(
    client, case, manager, lead_deactivated
):
    sign_in_with_two_factor(client, manager)
    dashboard = client.get(DASHBOARD).text
    assert case.reference in dashboard
    assert needed(case) in dashboard
    my_cases = client.get(reverse("cases:list")).text
    assert "Choose a new lead for the case" in my_cases
    assert needed(case) in my_cases
    # The case itself is still not theirs to see.
    assert client.get(case.get_absolute_url()).status_code == 404
    page = client.get(needed(case))
    assert page.status_code == 200
    assert "Given" not in page.text
    assert "Pat Lead" not in page.text


def test_joining_puts_them_on_the_team_to_hand_over(
    client, case, manager, colleague, lead_deactivated
):
    sign_in_with_two_factor(client, manager)
    response = client.post(needed(case))
    assert response["Location"] == case.get_absolute_url() + "#team"
    page = client.get(case.get_absolute_url()).text
    assert "Team manager (choosing a new lead)" in page
    assert "Account deactivated" in page
    member = case.team_memberships.get(user=colleague)
    assert reverse("cases:team-lead", args=[case.pk, member.pk]) in page
    client.post(reverse("cases:team-lead", args=[case.pk, member.pk]))
    assert case.team_memberships.get(is_lead=True, left_at__isnull=True).user == colleague
    # Nothing left to choose: off the dashboard, no task, and the page is gone.
    assert case.reference not in client.get(DASHBOARD).text
    assert "Choose a new lead for the case" not in client.get(reverse("cases:list")).text
    assert client.get(needed(case)).status_code == 404


@pytest.mark.parametrize(
    "who",
    ["manager_elsewhere", "practitioner_same_agency", "auditor_same_agency", "admin_same_agency"],
)
def test_nobody_else_finds_the_case(client, idva_service, police, case, lead_deactivated, who):
    user = {
        "manager_elsewhere": lambda: UserFactory(agency=police, role=User.Role.TEAM_MANAGER),
        "practitioner_same_agency": lambda: UserFactory(agency=idva_service),
        "auditor_same_agency": lambda: UserFactory(agency=idva_service, role=User.Role.AUDITOR),
        "admin_same_agency": lambda: agency_admin(idva_service),
    }[who]()
    sign_in_with_two_factor(client, user)
    members = case.team_memberships.count()
    assert client.get(needed(case)).status_code == 404
    assert client.post(needed(case)).status_code == 404
    assert case.team_memberships.count() == members
    dashboard = client.get(DASHBOARD)
    assert case.reference.encode() not in dashboard.content


def test_while_the_lead_is_active_no_team_manager_can_join(client, case, manager):
    sign_in_with_two_factor(client, manager)
    assert client.get(needed(case)).status_code == 404
    assert client.post(needed(case)).status_code == 404
    assert not case.team_memberships.filter(user=manager).exists()


def test_the_dashboard_reads_the_same_queries_whatever_the_number_of_cases(
    client, idva_service, manager
):
    lead = UserFactory(agency=idva_service)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured.captured_queries)

    sign_in_with_two_factor(client, manager)
    for _ in range(2):
        CaseTeamMembershipFactory(case=CaseFactory(), user=lead, is_lead=True)
    User.objects.filter(pk=lead.pk).update(is_active=False)
    queries()
    few = queries()
    for _ in range(20):
        CaseTeamMembershipFactory(case=CaseFactory(), user=lead, is_lead=True)
    assert queries() == few
