"""API clients for tests: registered as an administrator registers one, with a token got from
the real token endpoint, and a test client that sends it."""

import base64
import datetime as dt
import uuid

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.models import Agency, User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.clients.models import ApiClient
from orderwatch.clients.scopes import SCOPES
from orderwatch.clients.services import api_client_register


def client_registered(agency: Agency, scopes=tuple(SCOPES)) -> tuple[ApiClient, str]:
    admin = UserFactory(agency=agency, role=User.Role.AGENCY_ADMIN, display_name="Ada Min")
    return api_client_register(
        actor=admin,
        name="Case system",
        scopes=list(scopes),
        expires_on=timezone.localdate() + dt.timedelta(days=90),
    )


def token_request(client: ApiClient, secret: str, scope: str | None = None):
    credentials = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    return Client().post(reverse("api:token"), data, HTTP_AUTHORIZATION=f"Basic {credentials}")


def token_for(client: ApiClient, secret: str, scope: str | None = None) -> str:
    response = token_request(client, secret, scope)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


class TokenClient(Client):
    """A test client that calls the API with a bearer token, as an agency's system does, and
    sends a new Idempotency-Key with each POST unless told one."""

    def __init__(self, token: str):
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {token}")

    def post(self, path, data=None, *, key: str | None = None, **extra):
        extra.setdefault("HTTP_IDEMPOTENCY_KEY", key or str(uuid.uuid4()))
        return super().post(path, data, content_type="application/json", **extra)

    def put(self, path, data=None, **extra):
        return super().put(path, data, content_type="application/json", **extra)
