"""Adding and removing a client's webhook on its page (ADR 0045): who may, what they are told,
the secret shown once, and the delivery log."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.clients.services import api_client_revoke
from orderwatch.clients.tests.tokens import client_registered
from orderwatch.core.tests import people
from orderwatch.events.models import CaseEventEntry
from orderwatch.events.table import CaseEvent
from orderwatch.webhooks.models import Webhook, WebhookDelivery
from orderwatch.webhooks.services import webhook_add, webhook_remove

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.org/orderwatch"


@pytest.fixture
def api_client(idva_service):
    client, _ = client_registered(idva_service)
    return client


@pytest.fixture
def admin_page(client, api_client):
    """The test client, signed in as the administrator who registered `api_client`."""
    sign_in_with_two_factor(client, api_client.created_by)
    return client


def url_of(name, api_client):
    return reverse(f"clients:{name}", kwargs={"client_id": api_client.pk})


def test_adding_a_webhook_shows_the_secret_once_then_lists_the_address(admin_page, api_client):
    detail = admin_page.get(url_of("detail", api_client))
    assert url_of("webhook_add", api_client).encode() in detail.content
    assert b'data-testid="no-webhook"' in detail.content

    shown = admin_page.post(
        url_of("webhook_add", api_client), {"url": f"  {URL} "}, HTTP_ACCEPT_ENCODING="gzip"
    )
    assert shown.status_code == 200
    assert "Content-Encoding" not in shown, "a page with a secret is never compressed"
    secret = shown.context["secret"]
    assert secret.encode() in shown.content

    detail = admin_page.get(url_of("detail", api_client))
    assert URL.encode() in detail.content
    assert secret.encode() not in detail.content
    assert b"Nothing has been sent yet" in detail.content
    event = AuditEvent.objects.get(verb=Verb.WEBHOOK_ADDED)
    assert (event.actor_id, event.payload) == (
        api_client.created_by_id,
        {"host": "hooks.example.org"},
    )
    every_payload = json.dumps(list(AuditEvent.objects.values_list("payload", flat=True)))
    assert secret not in every_payload


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Enter the web address"),
        ("http://hooks.example.org/in", "The address must start with https://"),
        ("https://192.168.1.10/in", "The address must be on the internet, not a private network"),
        ("https://localhost/in", "The address must be on the internet, not a private network"),
        ("not an address", "Enter a web address, like https://example.org/orderwatch"),
    ],
)
def test_an_address_that_is_not_allowed_gets_a_message_and_saves_nothing(
    admin_page, api_client, url, message
):
    answer = admin_page.post(url_of("webhook_add", api_client), {"url": url})
    assert answer.status_code == 200
    assert answer.context["form"].errors["url"] == [message]
    assert b"Error: Add a webhook" in answer.content
    assert not Webhook.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.WEBHOOK_ADDED).exists()


def test_a_second_webhook_is_refused(api_client):
    webhook_add(actor=api_client.created_by, client_id=api_client.pk, url=URL)
    with pytest.raises(ValidationError, match="already has a webhook"):
        webhook_add(actor=api_client.created_by, client_id=api_client.pk, url=URL + "/2")


def test_a_revoked_client_gets_no_webhook(admin_page, api_client):
    api_client_revoke(actor=api_client.created_by, client_id=api_client.pk)
    detail = admin_page.get(url_of("detail", api_client))
    assert url_of("webhook_add", api_client).encode() not in detail.content
    answer = admin_page.post(url_of("webhook_add", api_client), {"url": URL})
    assert "revoked" in answer.context["form"].errors["url"][0]
    assert not Webhook.objects.exists()


def test_only_the_agencys_administrators_add_or_remove_a_webhook(api_client, police, idva_service):
    other_admin = UserFactory(agency=police, role=User.Role.AGENCY_ADMIN)
    with pytest.raises(Http404):
        webhook_add(actor=other_admin, client_id=api_client.pk, url=URL)
    with pytest.raises(PermissionDenied):
        webhook_add(actor=people.practitioner(idva_service), client_id=api_client.pk, url=URL)
    webhook_add(actor=api_client.created_by, client_id=api_client.pk, url=URL)
    with pytest.raises(Http404):
        webhook_remove(actor=other_admin, client_id=api_client.pk)
    assert Webhook.objects.exists()


def test_removing_the_webhook_deletes_its_log_and_is_audited(admin_page, api_client, practitioner):
    webhook, _ = webhook_add(actor=api_client.created_by, client_id=api_client.pk, url=URL)
    case = people.case_led_by(practitioner)
    entry = CaseEventEntry.objects.create(
        case=case, kind=CaseEvent.BREACH_RECORDED, subject_id=case.pk
    )
    WebhookDelivery.objects.create(webhook=webhook, entry=entry)

    confirm = admin_page.get(url_of("webhook_remove", api_client))
    assert b"Remove the webhook?" in confirm.content
    done = admin_page.post(url_of("webhook_remove", api_client), follow=True)
    assert b"will not be sent any more events" in done.content
    assert not Webhook.objects.exists()
    assert not WebhookDelivery.objects.exists()
    event = AuditEvent.objects.get(verb=Verb.WEBHOOK_REMOVED)
    assert event.payload == {"host": "hooks.example.org"}
    assert admin_page.get(url_of("webhook_remove", api_client)).status_code == 404


def test_the_log_shows_each_delivery_and_how_it_ended_but_never_the_answer(
    admin_page, api_client, practitioner, django_assert_max_num_queries
):
    webhook, _ = webhook_add(actor=api_client.created_by, client_id=api_client.pk, url=URL)
    case = people.case_led_by(practitioner)
    for number in range(25):
        entry = CaseEventEntry.objects.create(
            case=case, kind=CaseEvent.BREACH_RECORDED, subject_id=case.pk
        )
        WebhookDelivery.objects.create(
            webhook=webhook,
            entry=entry,
            status=WebhookDelivery.Status.PENDING,
            attempts=number % 3,
            last_status_code=500 if number % 3 else None,
            last_error=WebhookDelivery.Error.STATUS if number % 3 else "",
        )
    with django_assert_max_num_queries(20):
        page = admin_page.get(url_of("detail", api_client))
    log = page.context["log"]
    assert len(log) == 20, "the latest 20"
    assert b"500: Answered with an error" in page.content
    assert b"A breach was recorded" in page.content
    assert str(case.pk).encode() not in page.content, "the log names no case"
