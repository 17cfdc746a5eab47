"""The stand-in for Notify refuses what Notify refuses, so the backend's tests mean something."""

import time
import uuid

import jwt
import pytest
import requests
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import HTTPError

from orderwatch.notifications.email_kinds import EmailKind
from orderwatch.notifications.tests.notify_stub import API_KEY, SECRET, SERVICE_ID

TO = "someone@example.org"


@pytest.fixture
def client(notify, settings):
    return NotificationsAPIClient(API_KEY, base_url=settings.ORDERWATCH_NOTIFY_BASE_URL)


def refusal(client, **fields) -> tuple[int, str]:
    with pytest.raises(HTTPError) as raised:
        client.send_email_notification(email_address=TO, **fields)
    return raised.value.status_code, raised.value.message[0]["message"]


def test_a_template_missing_its_placeholder_is_refused(client, notify, settings):
    template_id = settings.ORDERWATCH_NOTIFY_TEMPLATES[EmailKind.PASSWORD_RESET]
    assert refusal(client, template_id=template_id) == (400, "Missing personalisation: link")
    assert refusal(client, template_id=template_id, personalisation={"link": 7}) == (
        400,
        "personalisation must be an object of strings",
    )
    client.send_email_notification(
        email_address=TO, template_id=template_id, personalisation={"link": "https://x.test/"}
    )
    assert len(notify.taken) == 1


def test_an_unknown_or_malformed_template_id_is_refused(client):
    assert refusal(client, template_id=str(uuid.uuid4())) == (400, "Template not found")
    assert refusal(client, template_id="case_update") == (400, "template_id is not a valid UUID")


def test_a_reply_to_id_notify_does_not_know_is_refused(client, settings):
    template_id = settings.ORDERWATCH_NOTIFY_TEMPLATES[EmailKind.AUTHENTICATOR_RESET]
    status, _ = refusal(client, template_id=template_id, email_reply_to_id=str(uuid.uuid4()))
    assert status == 400


@pytest.mark.parametrize(
    ("issuer", "age", "secret"),
    [
        (SERVICE_ID, 60, SECRET),  # issued more than 30 seconds ago
        (str(uuid.UUID(int=1)), 0, SECRET),  # another service
        (SERVICE_ID, 0, str(uuid.UUID(int=2))),  # signed with another secret
        (None, 0, SECRET),
    ],
    ids=["too-old", "another-service", "another-secret", "no-issuer"],
)
def test_a_token_notify_would_not_accept_is_refused(issuer, age, secret, notify, settings):
    claims = {"iat": int(time.time()) - age}
    if issuer:
        claims["iss"] = issuer
    response = requests.post(
        settings.ORDERWATCH_NOTIFY_BASE_URL + "/v2/notifications/email",
        json={"email_address": TO, "template_id": next(iter(notify.templates))},
        headers={"Authorization": f"Bearer {jwt.encode(claims, secret, algorithm='HS256')}"},
        timeout=5,
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["error"] == "AuthError"
    assert notify.taken == []
