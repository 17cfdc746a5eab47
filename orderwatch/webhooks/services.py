"""Adding and removing an API client's webhook, and delivering case events to it (ADR 0045).

A scheduled job (`send_webhooks`, every minute) reads each usable webhook's new, settled event
entries after its cursor, as the feed does, makes a delivery of each one on a case the client
may see, and queues every delivery that is due. A task tries it once: claimed first, sent
outside any transaction, its outcome recorded, a failure tried again after a growing wait. The
job finds again anything a lost task left, so nothing depends on a queued task surviving.
"""

import datetime as dt
import json
import logging
import uuid
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from orderwatch.access.policy import visible_cases
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.clients.models import ApiClient
from orderwatch.clients.services import access_api_client
from orderwatch.events.api import EventSerializer
from orderwatch.events.models import CaseEventEntry
from orderwatch.events.selectors import SETTLED_AFTER, case_events_after
from orderwatch.webhooks.addresses import AddressRefused, host_check, url_check
from orderwatch.webhooks.models import Webhook, WebhookDelivery
from orderwatch.webhooks.signing import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    secret_generate,
    signature,
)

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
Error = WebhookDelivery.Error

# How long to wait after each failed attempt; after the last, the delivery has failed.
RETRY_AFTER = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
# Short: a receiver that is slow to answer is tried again later, not waited on.
CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 10
# An attempt with no outcome after this long is taken to have died and is tried again. Longer
# than an attempt can take (the name's lookup, connecting, and reading the answer).
ATTEMPT_LEASE = dt.timedelta(minutes=2)
# Per webhook per pass, and deliveries queued per pass: the next pass, a minute later, goes on.
ENTRIES_PER_PASS = 500
QUEUED_PER_PASS = 1000


def _webhook_problems(*, client: ApiClient, url: str) -> dict[str, str]:
    if client.is_revoked:
        return {"url": "This system's access has been revoked, so it cannot have a webhook"}
    if Webhook.objects.filter(client=client).exists():
        return {"url": "This system already has a webhook. Remove it before adding another"}
    if not url:
        return {"url": "Enter the web address"}
    try:
        url_check(url, allow_private=settings.ORDERWATCH_WEBHOOK_ALLOW_PRIVATE)
    except AddressRefused as refused:
        return {"url": str(refused)}
    return {}


@transaction.atomic(durable=True)
def webhook_add(*, actor: User, client_id: uuid.UUID, url: str) -> tuple[Webhook, str]:
    """Give one of the administrator's agency's clients a webhook; return it and its signing
    secret, which is shown this once (it is kept sealed, to sign with).

    It is sent the events recorded from now on, not those before.
    """
    client = access_api_client(actor, client_id)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    url = url.strip()
    if problems := _webhook_problems(client=client, url=url):
        raise ValidationError(problems)
    secret = secret_generate()
    latest = CaseEventEntry.objects.aggregate(latest=Max("id"))["latest"] or 0
    webhook = Webhook.objects.create(
        client=client, url=url, secret=secret, after=latest, created_by=actor
    )
    audit_record(
        actor=actor,
        verb=Verb.WEBHOOK_ADDED,
        target=client,
        payload={"host": urlsplit(url).hostname},
    )
    return webhook, secret


@transaction.atomic(durable=True)
def webhook_remove(*, actor: User, client_id: uuid.UUID) -> None:
    """Remove a client's webhook and its delivery log: nothing more is sent to it."""
    client = access_api_client(actor, client_id)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    webhook = Webhook.objects.filter(client=client).first()
    if webhook is None:
        return
    host = urlsplit(webhook.url).hostname
    webhook.delete()
    audit_record(actor=actor, verb=Verb.WEBHOOK_REMOVED, target=client, payload={"host": host})


def webhook_deliveries_queue() -> int:
    """Make a delivery of each new event every usable webhook may see, then queue each delivery
    that is due (new, to be tried again, or left by a lost attempt); return how many queued.

    Safe to run as often as you like: a delivery is made once per event, and an attempt is
    claimed before it is made, so a delivery queued twice is tried once.
    """
    from orderwatch.webhooks.tasks import webhook_delivery_send as send_task

    today = timezone.localdate()
    usable = Webhook.objects.filter(
        client__revoked_at__isnull=True,
        client__expires_on__gte=today,
        client__account__is_active=True,
    )
    for webhook_id in usable.values_list("pk", flat=True):
        _webhook_entries_take(webhook_id=webhook_id)
    due = WebhookDelivery.objects.filter(
        status=Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at")
    queued = [str(pk) for pk in due.values_list("pk", flat=True)[:QUEUED_PER_PASS]]
    for delivery_id in queued:
        send_task.enqueue(delivery_id=delivery_id)
    return len(queued)


@transaction.atomic(durable=True)
def _webhook_entries_take(*, webhook_id: uuid.UUID) -> int:
    """Make deliveries of the webhook's new settled entries on cases its client may see, and
    move its cursor past every settled entry read; return how many were made."""
    webhook = (
        Webhook.objects.select_for_update(of=("self",))
        .select_related("client__account")
        .filter(pk=webhook_id)
        .first()
    )
    if webhook is None:  # removed since the pass began
        return 0
    now = timezone.now()
    # Every entry up to here has committed (see SETTLED_AFTER): the cursor may pass it, seen or
    # not, so entries on other agencies' cases are read once, not on every pass.
    settled = CaseEventEntry.objects.filter(
        id__gt=webhook.after, recorded_at__lte=now - SETTLED_AFTER
    ).aggregate(last=Max("id"))["last"]
    if settled is None:
        return 0
    entries = [
        entry
        for entry in case_events_after(
            user=webhook.client.account, after=webhook.after, limit=ENTRIES_PER_PASS
        )
        if entry.id <= settled
    ]
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(webhook=webhook, entry=entry, created_at=now, next_attempt_at=now)
            for entry in entries
        ],
        ignore_conflicts=True,
    )
    webhook.after = entries[-1].id if len(entries) == ENTRIES_PER_PASS else settled
    webhook.save(update_fields=["after", "modified_at"])
    return len(entries)


def webhook_delivery_body(entry: CaseEventEntry) -> bytes:
    """Return the body sent for an entry: one event as the feed gives it, as compact JSON."""
    event = EventSerializer(
        {
            "id": str(entry.id),
            "case_id": entry.case_id,
            "kind": entry.kind,
            "subject_id": entry.subject_id,
            "recorded_at": entry.recorded_at,
        }
    ).data
    return json.dumps(event, separators=(",", ":")).encode()


def webhook_delivery_send(*, delivery_id: uuid.UUID | str) -> bool:
    """Try a delivery once, if it is due; return whether the receiver took it (a 2xx answer).

    Safe to run again, or twice at once: the attempt is claimed on the delivery first, so only
    one runs. Nothing is sent once the client's access has ended or it no longer works on the
    case; then the delivery is marked not sent.
    """
    now = timezone.now()
    with transaction.atomic(durable=True):
        delivery = (
            WebhookDelivery.objects.select_related("webhook__client__account", "entry")
            .filter(pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return False
        client = delivery.webhook.client
        claim = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=Status.PENDING, attempts=delivery.attempts
        )
        stopped = None
        if not client.is_usable:
            stopped = Error.ACCESS_ENDED
        elif not visible_cases(client.account).filter(pk=delivery.entry.case_id).exists():
            stopped = Error.CASE_NOT_SEEN
        if stopped is not None:
            claim.update(status=Status.STOPPED, next_attempt_at=None, last_error=stopped)
            return False
        if not claim.update(
            attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + ATTEMPT_LEASE
        ):
            return False
        attempt = delivery.attempts + 1
        url = delivery.webhook.url
        secret = delivery.webhook.secret.reveal()
    status_code, error = _post(
        url=url, secret=secret, delivery_id=delivery.pk, body=webhook_delivery_body(delivery.entry)
    )
    _attempt_record(delivery_id=delivery.pk, attempt=attempt, status_code=status_code, error=error)
    return not error


def _post(*, url: str, secret: str, delivery_id: uuid.UUID, body: bytes) -> tuple[int | None, str]:
    """Send `body` once, signed; return the answer's status code and the kind of error, if any.
    The answer's body is never read."""
    allow_private = settings.ORDERWATCH_WEBHOOK_ALLOW_PRIVATE
    try:
        host = url_check(url, allow_private=allow_private)
        parts = urlsplit(url)
        host_check(host, parts.port or 443, allow_private=allow_private)
    except AddressRefused:
        return None, Error.ADDRESS
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "OrderWatch-Webhooks/1",
        DELIVERY_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret=secret, timestamp=timestamp, body=body),
    }
    try:
        with requests.post(
            url,
            data=body,
            headers=headers,
            timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS),
            allow_redirects=False,
            stream=True,  # the answer's body is never downloaded
        ) as answer:
            code = answer.status_code
    except requests.exceptions.SSLError:
        return None, Error.TLS
    except requests.exceptions.Timeout:
        return None, Error.TIMEOUT
    except requests.exceptions.RequestException:
        return None, Error.CONNECTION
    if 200 <= code < 300:
        return code, ""
    return code, Error.REDIRECT if 300 <= code < 400 else Error.STATUS


def _attempt_record(
    *, delivery_id: uuid.UUID, attempt: int, status_code: int | None, error: str
) -> None:
    """Record how an attempt ended: delivered, to be tried again after a wait, or failed."""
    outcome = {"last_status_code": status_code, "last_error": error}
    if not error:
        outcome.update(status=Status.DELIVERED, next_attempt_at=None)
    elif attempt >= MAX_ATTEMPTS:
        outcome.update(status=Status.FAILED, next_attempt_at=None)
        logger.warning(
            "Webhook delivery %s failed %d times (%s); giving up.", delivery_id, attempt, error
        )
    else:
        outcome.update(next_attempt_at=timezone.now() + RETRY_AFTER[attempt - 1])
        logger.info(
            "Webhook delivery %s failed (attempt %d of %d: %s); trying again later.",
            delivery_id,
            attempt,
            MAX_ATTEMPTS,
            error,
        )
    WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING, attempts=attempt).update(
        **outcome
    )


def webhook_deliveries_purge() -> int:
    """Delete finished deliveries older than `ORDERWATCH_WEBHOOK_LOG_KEEP_DAYS`; return how
    many. Waiting ones stay until they finish."""
    keep = dt.timedelta(days=settings.ORDERWATCH_WEBHOOK_LOG_KEEP_DAYS)
    purged, _ = (
        WebhookDelivery.objects.exclude(status=Status.PENDING)
        .filter(created_at__lt=timezone.now() - keep)
        .delete()
    )
    return purged
