"""The agency administrator's pages: the people list (filters, pages, fixed queries) and the
pages that change an account."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.models import AuthenticatorApp, User
from orderwatch.accounts.tests.factories import (
    UserFactory,
    authenticator_code,
    sign_in_with_two_factor,
)
from orderwatch.people.selectors import PEOPLE_PAGE
from orderwatch.people.tests.factories import agency_admin, not_set_up

pytestmark = pytest.mark.django_db

LIST = reverse("people:list")


@pytest.fixture
def admin(idva_service):
    return agency_admin(idva_service)


@pytest.fixture
def signed_in(client, admin) -> Client:
    return sign_in_with_two_factor(client, admin)


def title(response) -> str:
    return response.text.split("<title>")[1].split("</title>")[0]


def test_the_list_shows_role_status_last_sign_in_and_two_factor(
    signed_in, idva_service, police, practitioner
):
    User.objects.filter(pk=practitioner.pk).update(last_login=timezone.now())
    not_set_up(idva_service, display_name="Nia Newcomer")
    UserFactory(agency=idva_service, display_name="Dee Activated", is_active=False)
    UserFactory(agency=police, display_name="Elsewhere Person")

    page = signed_in.get(LIST).text

    assert "Pat Lead" in page
    assert "Nia Newcomer" in page
    assert "Dee Activated" in page
    assert "Elsewhere Person" not in page  # another agency's people are not listed
    assert "Not set up yet" in page
    assert "Deactivated" in page
    assert "Active" in page
    assert "Never" in page  # the newcomer has not signed in
    assert "Set up" in page
    assert "Not set up" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("role=team_manager", "Tam Manager", "Pat Lead"),
        ("status=deactivated", "Dee Activated", "Pat Lead"),
        ("status=not_set_up", "Nia Newcomer", "Pat Lead"),
        ("status=active", "Pat Lead", "Nia Newcomer"),
        ("name=tam", "Tam Manager", "Pat Lead"),
    ],
)
def test_filters(signed_in, idva_service, practitioner, query, shown, hidden):
    UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER, display_name="Tam Manager")
    UserFactory(agency=idva_service, display_name="Dee Activated", is_active=False)
    not_set_up(idva_service, display_name="Nia Newcomer")
    key, value = query.split("=")
    assert signed_in.post(LIST, {key: value})["Location"] == LIST  # nothing typed in the address
    page = signed_in.get(LIST).text
    assert shown in page
    assert hidden not in page
    signed_in.post(LIST, {"clear": "1"})
    assert hidden in signed_in.get(LIST).text


def test_a_filter_that_is_not_a_choice_is_ignored(signed_in, practitioner):
    signed_in.post(LIST, {"role": "superuser"})
    assert "Pat Lead" in signed_in.get(LIST).text


def test_pages_keep_the_filters(signed_in, idva_service):
    UserFactory.create_batch(PEOPLE_PAGE + 1, agency=idva_service, display_name="Same Name")
    signed_in.post(LIST, {"name": "same"})
    first = signed_in.get(LIST).text
    assert "Page 1 of 2" in first
    assert 'href="?page=2"' in first
    second = signed_in.get(f"{LIST}?page=2").text
    assert "Page 2 of 2" in second
    assert "Ada Admin" not in second.split("<main")[1]  # still filtered by name


def test_the_list_reads_the_same_queries_from_5_to_500_accounts(signed_in, idva_service):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(LIST).status_code == 200
        return len(captured.captured_queries)

    UserFactory.create_batch(4, agency=idva_service)
    queries()  # the session's idle timeout moves on once
    few = queries()
    UserFactory.create_batch(495, agency=idva_service, authenticator=False)
    assert queries() == few


@pytest.mark.parametrize(
    "role", [User.Role.PRACTITIONER, User.Role.TEAM_MANAGER, User.Role.AUDITOR]
)
def test_other_roles_get_403(client, idva_service, practitioner, role):
    sign_in_with_two_factor(client, UserFactory(agency=idva_service, role=role))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("people:detail", args=[practitioner.pk])).status_code == 403


def test_the_menu_shows_people_to_administrators_only(signed_in, client, practitioner):
    assert f'href="{LIST}"' in signed_in.get(reverse("accounts:account")).text
    other = sign_in_with_two_factor(Client(), practitioner)
    assert f'href="{LIST}"' not in other.get(reverse("accounts:account")).text


def test_an_administrator_starts_on_the_people_list(signed_in):
    assert signed_in.get(reverse("core:home"))["Location"] == LIST


def test_create_an_account_from_the_page(signed_in):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = signed_in.post(
            reverse("people:new"),
            {"display_name": "Nia Newcomer", "email": "nia@idva.example", "role": "auditor"},
        )
    person = User.objects.get(email="nia@idva.example")
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    page = signed_in.get(response["Location"])
    assert "We have emailed a link to set it up" in page.text
    assert "/set-up/" not in page.text  # the link is never shown
    assert "Nia" not in title(page)
    assert len(mail.outbox) == 1


def test_create_an_account_shows_each_problem_and_saves_nothing(signed_in, practitioner):
    before = User.objects.count()
    response = signed_in.post(
        reverse("people:new"), {"display_name": "", "email": "not-an-email", "role": ""}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    for message in (
        "Enter their full name",
        "Enter an email address in the correct format",
        "Choose a role",
    ):
        assert message in response.text
    response = signed_in.post(
        reverse("people:new"),
        {"display_name": "Twin", "email": practitioner.email, "role": "practitioner"},
    )
    assert "This email address cannot be used for a new account" in response.text
    assert User.objects.count() == before
    assert mail.outbox == []


def test_the_pages_about_a_person_keep_their_name_out_of_the_title(signed_in, practitioner):
    for name in ("detail", "role", "deactivate", "reactivate", "authenticator-reset"):
        response = signed_in.get(reverse(f"people:{name}", args=[practitioner.pk]))
        assert response.status_code == 200
        assert "Pat" not in title(response), name


def test_deactivate_from_the_page_needs_a_reason(signed_in, practitioner, case):
    url = reverse("people:deactivate", args=[practitioner.pk])
    assert "They lead 1 case" in signed_in.get(url).text
    response = signed_in.post(url, {"reason": ""})
    assert "Enter why the account is being deactivated" in response.text
    assert User.objects.get(pk=practitioner.pk).is_active
    response = signed_in.post(url, {"reason": "Left the service"})
    assert response["Location"] == reverse("people:detail", args=[practitioner.pk])
    assert not User.objects.get(pk=practitioner.pk).is_active


def test_reset_an_authenticator_from_the_page_with_the_administrators_code(
    signed_in, admin, practitioner
):
    url = reverse("people:authenticator-reset", args=[practitioner.pk])
    response = signed_in.post(url, {"reason": "Lost their phone", "code": "000000"})
    assert "The code is not right" in response.text
    assert practitioner.authenticatorapp_set.exists()
    # As if the administrator waited out django-otp's pause after a wrong code.
    AuthenticatorApp.objects.filter(user=admin).update(throttling_failure_count=0)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = signed_in.post(
            url, {"reason": "Lost their phone", "code": authenticator_code(admin)}
        )
    assert response["Location"] == reverse("people:detail", args=[practitioner.pk])
    assert not practitioner.authenticatorapp_set.exists()
    assert len(mail.outbox) == 1


def test_change_a_role_from_the_page(signed_in, colleague):
    url = reverse("people:role", args=[colleague.pk])
    assert signed_in.post(url, {"role": "team_manager"})["Location"] == reverse(
        "people:detail", args=[colleague.pk]
    )
    assert User.objects.get(pk=colleague.pk).role == "team_manager"
    assert "They already have this role" in signed_in.post(url, {"role": "team_manager"}).text


def test_your_own_page_offers_no_changes(signed_in, admin):
    page = signed_in.get(reverse("people:detail", args=[admin.pk])).text
    assert "This is your account" in page
    assert reverse("people:deactivate", args=[admin.pk]) not in page
