"""`Idempotency-Key` on every POST (ADR 0042): a client that sends a request again with the same
key, because the answer was lost, gets what the first one saved, and nothing is saved twice.

The key becomes the service's one-time submission key (`core.submissions`), claimed in the same
transaction as the record, so two sends at once still save once. What the first send carried is
remembered too, so the same key with a different request is refused (409), not answered with a
record the client did not ask for. (That memory is written just after the save: should the
process die between the two, a changed request with that key gets the first record back.)
"""

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import QueryDict
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

from orderwatch.api.models import IdempotentRequest
from orderwatch.core.submissions import submission_saved_url

HEADER = "Idempotency-Key"
LONGEST_KEY = 255
NAMESPACE = uuid.UUID("1b0f3f5e-7f8a-4d52-9a77-2f0c1f6a9e11")


class KeyReused(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        "This Idempotency-Key was sent before with a different request. Use a new key for a new "
        "request."
    )


@dataclass(frozen=True)
class IdempotencyKey:
    submission: uuid.UUID


def idempotency_key_read(request) -> IdempotencyKey:
    """Return the request's key, for the caller alone (two clients may pick the same words).
    Only the header is read: the body is read once the caller may write to the case."""
    sent = request.headers.get(HEADER, "").strip()
    if not sent:
        raise ValidationError({HEADER: ["Send an Idempotency-Key header (a new UUID) with it."]})
    if len(sent) > LONGEST_KEY:
        raise ValidationError({HEADER: [f"Use a key of {LONGEST_KEY} characters or fewer."]})
    return IdempotencyKey(submission=uuid.uuid5(NAMESPACE, f"{request.user.pk}:{sent}"))


def _described(value) -> str:
    if hasattr(value, "size") and hasattr(value, "name"):  # an uploaded file
        return f"{value.name}:{value.size}"
    return str(value)


def request_fingerprint(request) -> str:
    """What was sent, as read (the raw body may have been read for its form fields already);
    an uploaded file by its name and size."""
    data = request.data
    sent_data = dict(data.lists()) if isinstance(data, QueryDict) else data
    described = json.dumps(
        [request.method, request.path, sent_data], sort_keys=True, default=_described
    )
    return hashlib.sha256(described.encode()).hexdigest()


def idempotent_saved_url(request, key: IdempotencyKey) -> str | None:
    """Return where what this key saved is (the web page's address), or None if nothing was;
    raise KeyReused if it was sent with a different request."""
    url = submission_saved_url(key=key.submission, actor=request.user)
    if url is None:
        return None
    first = (
        IdempotentRequest.objects.filter(key=key.submission, user=request.user)
        .values_list("fingerprint", flat=True)
        .first()
    )
    if first is not None and first != request_fingerprint(request):
        raise KeyReused
    return url


def idempotent_request_remember(request, key: IdempotencyKey) -> None:
    """Remember what the key was first sent with (after its record was saved)."""
    try:
        with transaction.atomic():
            IdempotentRequest.objects.get_or_create(
                key=key.submission,
                defaults={"user": request.user, "fingerprint": request_fingerprint(request)},
            )
    except IntegrityError:
        pass  # remembered by the send that raced this one
