"""Registering and revoking API clients (ADR 0042): what an administrator must give, what they
see once, and who may do it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.clients.models import ApiClient
from orderwatch.clients.services import api_client_register, api_client_revoke
from orderwatch.clients.tests.tokens import client_registered, token_for
from orderwatch.core.tests.dates import date_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(idva_service):
    return UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN, display_name="Ada Min")


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("name", "scopes", "expires_on", "field"),
    [
        ("", ["cases:read"], 30, "name"),
        ("System", [], 30, "scopes"),
        ("System", ["cases:delete"], 30, "scopes"),
        ("System", ["cases:read"], 0, "expires_on"),
        ("System", ["cases:read"], 367, "expires_on"),
    ],
    ids=["no-name", "no-scope", "unknown-scope", "ends-today", "over-a-year"],
)
def test_a_registration_with_a_problem_saves_nothing(admin, name, scopes, expires_on, field):
    with pytest.raises(ValidationError) as raised:
        api_client_register(actor=admin, name=name, scopes=scopes, expires_on=in_days(expires_on))
    assert field in raised.value.message_dict
    assert not ApiClient.objects.exists()
    assert not Application.objects.exists()
    assert not User.objects.filter(role=User.Role.API_CLIENT).exists()


@pytest.mark.parametrize("role", [User.Role.PRACTITIONER, User.Role.TEAM_MANAGER])
def test_only_an_agency_administrator_registers_a_client(idva_service, role):
    with pytest.raises(PermissionDenied):
        api_client_register(
            actor=UserFactory(agency=idva_service, role=role),
            name="System",
            scopes=["cases:read"],
            expires_on=in_days(30),
        )


def test_the_secret_is_kept_only_as_a_hash_and_registering_is_audited(admin):
    client, secret = api_client_register(
        actor=admin, name=" System ", scopes=["cases:read"], expires_on=in_days(30)
    )
    assert client.name == "System"
    assert secret not in Application.objects.values_list("client_secret", flat=True).get()
    event = AuditEvent.objects.get(verb=Verb.API_CLIENT_REGISTERED)
    assert (event.actor_id, event.payload["scopes"]) == (admin.pk, ["cases:read"])


def test_revoking_ends_every_token_and_is_audited_once(idva_service):
    client, secret = client_registered(idva_service)
    token_for(client, secret)
    api_client_revoke(actor=client.created_by, client_id=client.pk)
    api_client_revoke(actor=client.created_by, client_id=client.pk)
    assert not AccessToken.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.API_CLIENT_REVOKED).count() == 1


def test_another_agencys_administrator_gets_404(idva_service, police, client):
    registered, _ = client_registered(idva_service)
    other = UserFactory(agency=police, role=User.Role.AGENCY_ADMIN)
    sign_in_with_two_factor(client, other)
    detail = reverse("clients:detail", kwargs={"client_id": registered.pk})
    assert client.get(detail).status_code == 404
    revoke = reverse("clients:revoke", kwargs={"client_id": registered.pk})
    assert client.post(revoke).status_code == 404
    registered.refresh_from_db()
    assert not registered.is_revoked


def test_the_secret_is_shown_once_and_never_compressed(admin, client):
    sign_in_with_two_factor(client, admin)
    form = client.get(reverse("clients:new"))
    key = form.context["form"]["submission_key"].value()
    answer = {
        "submission_key": str(key),
        "name": "Force system",
        "scopes": ["cases:read", "breaches:write"],
        **date_parts("expires_on", in_days(60)),
    }
    shown = client.post(reverse("clients:new"), answer, HTTP_ACCEPT_ENCODING="gzip")
    assert shown.status_code == 200
    assert "Content-Encoding" not in shown
    secret = shown.context["secret"]
    assert secret.encode() in shown.content
    again = client.post(reverse("clients:new"), answer, follow=True)  # a refresh
    assert secret.encode() not in again.content
    assert ApiClient.objects.count() == 1
