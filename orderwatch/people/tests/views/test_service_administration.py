"""Service administration onboards a partnership: agencies, and each agency's administrator,
who is emailed a one-time link to set up their account."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from orderwatch.accounts.models import Agency, AuthenticatorApp, User
from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db

ADMIN_PASSWORD = "a-long-admin-password-77"


@pytest.fixture
def service_admin(client, monkeypatch, idva_service):
    monkeypatch.setattr(
        "orderwatch.accounts.management.commands.create_service_admin.getpass",
        lambda prompt: ADMIN_PASSWORD,
    )
    call_command(
        "create_service_admin", "sam@service.example", "Sam Admin", agency=idva_service.name
    )
    staff = User.objects.get(email="sam@service.example")
    AuthenticatorApp.objects.create(user=staff, name="Authenticator app", confirmed=True)
    return sign_in_with_two_factor(client, staff), staff


def test_the_first_service_administrator_can_bring_their_own_agency(monkeypatch):
    monkeypatch.setattr(
        "orderwatch.accounts.management.commands.create_service_admin.getpass",
        lambda prompt: ADMIN_PASSWORD,
    )
    call_command(
        "create_service_admin",
        "sam@service.example",
        "Sam Admin",
        agency="Northshire Community Safety Partnership",
        new_agency_kind="other",
    )
    staff = User.objects.get(email="sam@service.example")
    assert staff.agency.name == "Northshire Community Safety Partnership"
    for permission in ("accounts.add_agency", "people.add_agencyadministrator"):
        assert staff.has_perm(permission)
    assert not staff.has_perm("accounts.add_user")


def test_a_service_administrator_creates_an_agency_and_its_first_administrator(service_admin):
    client, staff = service_admin
    index = client.get(reverse("admin:index")).text
    assert "Agencies" in index
    assert "Agency administrators" in index
    response = client.post(
        reverse("admin:accounts_agency_add"),
        {"name": "Northshire Probation", "kind": "probation"},
    )
    assert response.status_code == 302
    probation = Agency.objects.get(name="Northshire Probation")
    assert AuditEvent.objects.filter(verb=Verb.AGENCY_CREATED, actor=staff).count() == 1

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("admin:people_agencyadministrator_add"),
            {
                "display_name": "Val Probation",
                "email": "Val@Probation.example",
                "agency": probation.pk,
            },
        )
    assert response.status_code == 302
    made = User.objects.get(email="val@probation.example")
    assert (made.agency, made.role, made.has_usable_password()) == (
        probation,
        User.Role.AGENCY_ADMIN,
        False,
    )
    (email,) = mail.outbox
    assert "/accounts/set-up/" in email.body
    listed = client.get(reverse("admin:people_agencyadministrator_changelist")).text
    assert "Val Probation" in listed


def test_only_agency_administrators_are_listed_and_none_is_changed_there(
    service_admin, practitioner
):
    client, _ = service_admin
    listed = client.get(reverse("admin:people_agencyadministrator_changelist")).text
    assert "Pat Lead" not in listed
    url = reverse("admin:people_agencyadministrator_change", args=[practitioner.pk])
    assert client.post(url, {"display_name": "Renamed"}).status_code in (302, 403, 404)
    assert User.objects.get(pk=practitioner.pk).display_name == "Pat Lead"


def test_an_address_in_use_is_refused_and_nothing_is_made(
    service_admin, practitioner, idva_service
):
    client, _ = service_admin
    before = User.objects.count()
    response = client.post(
        reverse("admin:people_agencyadministrator_add"),
        {"display_name": "Twin", "email": practitioner.email, "agency": idva_service.pk},
    )
    assert response.status_code == 200
    assert User.objects.count() == before
    assert mail.outbox == []


def test_agencies_cannot_be_deleted(service_admin, idva_service):
    client, _ = service_admin
    url = reverse("admin:accounts_agency_delete", args=[idva_service.pk])
    assert client.get(url).status_code == 403


def test_a_new_set_up_link_for_an_administrator_who_has_not_used_theirs(service_admin, police):
    client, _ = service_admin
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("admin:people_agencyadministrator_add"),
            {"display_name": "Kit Police", "email": "kit@police.example", "agency": police.pk},
        )
    made = User.objects.get(email="kit@police.example")
    stamp = made.security_stamp
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("admin:people_agencyadministrator_changelist"),
            {"action": "send_new_setup_link", "_selected_action": [made.pk]},
        )
    made.refresh_from_db()
    assert made.security_stamp != stamp
    assert len(mail.outbox) == 2
