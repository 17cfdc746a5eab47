"""Webhook deliveries (ADR 0045): each event on a case the client may see, signed, tried again
after a growing wait, never followed through a redirect, and stopped when the client's access
ends or it no longer works on the case."""

import datetime as dt
import hashlib
import hmac
import json
import logging
import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from orderwatch.cases.models import CaseTeamMembership
from orderwatch.clients.services import api_client_revoke
from orderwatch.clients.tests.tokens import client_registered
from orderwatch.core.tests import people
from orderwatch.events.models import CaseEventEntry
from orderwatch.events.table import CaseEvent
from orderwatch.webhooks.models import Webhook, WebhookDelivery
from orderwatch.webhooks.services import RETRY_AFTER, webhook_add
from orderwatch.webhooks.tests.receiver import port_unused

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status
Error = WebhookDelivery.Error


@pytest.fixture
def now(time_machine):
    """Time stands still unless a test moves it."""
    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    return start


@pytest.fixture
def our_case(practitioner):
    """A case with someone from the client's agency (IDVA service) on its team."""
    return people.case_led_by(practitioner)


@pytest.fixture
def their_case(police):
    """A case with no one from the client's agency on its team."""
    return people.case_led_by(people.outsider(police))


@pytest.fixture
def api_client(idva_service):
    client, _ = client_registered(idva_service)
    return client


def hooked(api_client, url):
    """Give the client a webhook at `url`; return it and its secret."""
    return webhook_add(actor=api_client.created_by, client_id=api_client.pk, url=url)


def event_on(case, kind=CaseEvent.BREACH_RECORDED):
    return CaseEventEntry.objects.create(case=case, kind=kind, subject_id=case.pk)


def later(time_machine, now, **delta):
    """Move the clock on by `delta` from `now` (frozen) and run the scheduled job."""
    moment = now + dt.timedelta(**delta)
    time_machine.move_to(moment, tick=False)
    call_command("send_webhooks", stdout=StringIO())
    return moment


def test_a_delivery_is_one_feed_event_signed_so_the_receiver_can_check_it(
    api_client, our_case, receiving, time_machine, now
):
    receiver = receiving(200)
    _, secret = hooked(api_client, receiver.url)
    entry = event_on(our_case)

    later(time_machine, now, seconds=5)
    assert receiver.received == [], "an entry is sent only once settled, as the feed gives it"
    later(time_machine, now, seconds=11)

    [request] = receiver.received
    assert json.loads(request.body) == {
        "id": str(entry.id),
        "case_id": str(our_case.pk),
        "kind": "breach_recorded",
        "subject_id": str(our_case.pk),
        "recorded_at": entry.recorded_at.isoformat().replace("+00:00", "Z"),
    }
    timestamp = request.headers["X-OrderWatch-Timestamp"]
    assert int(timestamp) == int((now + dt.timedelta(seconds=11)).timestamp())
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert request.headers["X-OrderWatch-Signature"] == f"sha256={expected}"
    delivery = WebhookDelivery.objects.get()
    assert request.headers["X-OrderWatch-Delivery"] == str(delivery.pk)
    assert request.headers["Content-Type"] == "application/json"
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        Status.DELIVERED,
        1,
        200,
    )

    later(time_machine, now, minutes=5)
    assert len(receiver.received) == 1, "a delivered event is not sent again"


def test_events_from_before_the_webhook_was_added_are_not_sent(
    api_client, our_case, receiving, time_machine, now
):
    event_on(our_case)
    receiver = receiving(200)
    hooked(api_client, receiver.url)
    later(time_machine, now, minutes=1)
    assert receiver.received == []


def test_a_failed_delivery_is_tried_again_a_minute_later_with_the_same_id(
    api_client, our_case, receiving, time_machine, now
):
    receiver = receiving(500, 200)
    hooked(api_client, receiver.url)
    event_on(our_case)

    first = later(time_machine, now, seconds=11)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 1)
    assert (delivery.last_status_code, delivery.last_error) == (500, Error.STATUS)
    assert delivery.next_attempt_at == first + dt.timedelta(minutes=1)

    later(time_machine, now, seconds=41)
    assert len(receiver.received) == 1, "not tried again before its time"

    later(time_machine, now, seconds=71)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        Status.DELIVERED,
        2,
        200,
    )
    assert delivery.last_error == ""
    ids = {request.headers["X-OrderWatch-Delivery"] for request in receiver.received}
    assert ids == {str(delivery.pk)}, "a receiver can drop the repeat by its id"


def test_a_receiver_that_keeps_failing_is_tried_after_1_5_30_120_720_minutes_then_given_up(
    api_client, our_case, receiving, time_machine, now, caplog
):
    receiver = receiving(503)
    hooked(api_client, receiver.url)
    event_on(our_case)

    moment = later(time_machine, now, seconds=11)
    waits = []
    delivery = WebhookDelivery.objects.get()
    while delivery.status == Status.PENDING:
        waits.append(delivery.next_attempt_at - moment)
        time_machine.move_to(delivery.next_attempt_at, tick=False)
        moment = delivery.next_attempt_at
        call_command("send_webhooks", stdout=StringIO())
        delivery.refresh_from_db()

    assert waits == list(RETRY_AFTER)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        Status.FAILED,
        6,
        None,
    )
    assert len(receiver.received) == 6
    assert f"Webhook delivery {delivery.pk} failed 6 times (status)" in caplog.text
    later(time_machine, now, days=2)
    assert len(receiver.received) == 6, "a failed delivery is not tried again"


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    api_client, our_case, receiving, time_machine, now
):
    receiver = receiving(302)
    receiver.location = receiver.url + "/elsewhere"
    hooked(api_client, receiver.url)
    event_on(our_case)
    later(time_machine, now, seconds=11)
    assert len(receiver.received) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.last_status_code, delivery.last_error) == (302, Error.REDIRECT)


def test_a_receiver_that_cannot_be_reached_is_recorded_as_such(
    api_client, our_case, receiving, time_machine, now
):
    receiving()  # allows loopback
    hooked(api_client, f"http://127.0.0.1:{port_unused()}/orderwatch")
    event_on(our_case)
    later(time_machine, now, seconds=11)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code, delivery.last_error) == (
        Status.PENDING,
        None,
        Error.CONNECTION,
    )


def test_a_name_that_now_resolves_to_a_private_address_is_not_sent_to(
    api_client, our_case, time_machine, now, monkeypatch
):
    hooked(api_client, "https://hooks.example.org/orderwatch")

    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    event_on(our_case)
    later(time_machine, now, seconds=11)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        Status.PENDING,
        1,
        Error.ADDRESS,
    )


def test_no_delivery_is_made_for_a_case_the_client_cannot_see(
    api_client, our_case, their_case, receiving, time_machine, now
):
    receiver = receiving(200)
    webhook, _ = hooked(api_client, receiver.url)
    ours = event_on(our_case)
    theirs = event_on(their_case)
    later(time_machine, now, seconds=11)
    assert [json.loads(r.body)["id"] for r in receiver.received] == [str(ours.id)]
    assert not WebhookDelivery.objects.filter(entry=theirs).exists()
    webhook.refresh_from_db()
    assert webhook.after == theirs.id, "the cursor passes entries the client cannot see"


def test_a_client_no_longer_on_the_case_is_not_sent_what_was_waiting(
    api_client, our_case, practitioner, receiving, time_machine, now
):
    receiver = receiving(500)
    hooked(api_client, receiver.url)
    event_on(our_case)
    later(time_machine, now, seconds=11)
    CaseTeamMembership.objects.filter(case=our_case, user=practitioner).delete()
    later(time_machine, now, minutes=2)
    assert len(receiver.received) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_error, delivery.next_attempt_at) == (
        Status.STOPPED,
        Error.CASE_NOT_SEEN,
        None,
    )


def test_a_revoked_client_is_sent_nothing_more(api_client, our_case, receiving, time_machine, now):
    receiver = receiving(500)
    hooked(api_client, receiver.url)
    event_on(our_case)
    later(time_machine, now, seconds=11)
    assert len(receiver.received) == 1

    api_client_revoke(actor=api_client.created_by, client_id=api_client.pk)
    event_on(our_case)
    later(time_machine, now, minutes=2)
    later(time_machine, now, hours=20)

    assert len(receiver.received) == 1
    assert list(WebhookDelivery.objects.values_list("status", "last_error")) == [
        (Status.STOPPED, Error.ACCESS_ENDED)
    ]


def test_the_secret_is_sealed_at_rest_and_never_logged(
    api_client, our_case, receiving, time_machine, now, caplog
):
    caplog.set_level(logging.DEBUG)
    receiver = receiving(500)
    _, secret = hooked(api_client, receiver.url)
    event_on(our_case)
    later(time_machine, now, seconds=11)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_webhook")
        [(stored,)] = cursor.fetchall()
    assert secret not in stored
    assert Webhook.objects.get().secret.reveal() == secret
    assert secret not in caplog.text
    assert receiver.url not in caplog.text, "a receiver's address may hold a token of its own"
