"""What every write endpoint shares (ADR 0042): an `Idempotency-Key` on each POST, the case's
version as the `ETag` of what it answers with, and `If-Match` checked under the case's lock.

A write is one service call, as on the pages; the endpoint answers with the record it saved
(201), or, for a key sent before, with what the first send saved (201 and
`Idempotent-Replayed: true`).
"""

import re

from django.urls import resolve
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from orderwatch.access.policy import access_case_for_change
from orderwatch.api.idempotency import (
    idempotency_key_read,
    idempotent_request_remember,
    idempotent_saved_url,
)
from orderwatch.cases.models import Case
from orderwatch.core.submissions import SubmittedAlready

REPLAYED = "Idempotent-Replayed"
_TAG = re.compile(r'^(?:W/)?"(\d+)"$')


def etag(version: int) -> str:
    return f'"{version}"'


def case_version(case_id) -> int:
    return Case.objects.values_list("version", flat=True).get(pk=case_id)


def if_match_version(request) -> int | None:
    """Return the case version `If-Match` names; None without one (or `*`). A tag this service
    never gave matches no version, so the write is refused."""
    sent = request.headers.get("If-Match", "").strip()
    if not sent or sent == "*":
        return None
    found = _TAG.match(sent)
    return int(found.group(1)) if found else -1


class RecordResponse(Response):
    """A record, with its case's version as the ETag a later `If-Match` sends back."""

    def __init__(self, data, *, case_id, **kwargs):
        super().__init__(data, **kwargs)
        self["ETag"] = etag(case_version(case_id))


class WriteApi(GenericAPIView):
    """A POST (or PUT) that saves through one service and answers with the record saved."""

    write_scope = ""
    request_serializer = None

    def save(self, request, data, *, submission_key, expected_version, **kwargs) -> str:
        """Save through the service; return the page address of what was saved (its ids)."""
        raise NotImplementedError

    def present(self, request, **ids) -> Response:
        """Answer with the record the ids name."""
        raise NotImplementedError

    def authorise(self, request, **ids) -> None:
        """Refuse a case the caller may not see (404) or change (403, or 409 if it is closed)
        before reading what was sent about it. The service checks again under the lock."""
        if "case_id" in ids:
            access_case_for_change(request.user, ids["case_id"])

    def _validated(self, request) -> dict:
        serializer = self.request_serializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def post(self, request, **kwargs):
        self.authorise(request, **kwargs)  # before anything sent is read
        key = idempotency_key_read(request)
        url = idempotent_saved_url(request, key)
        replayed = url is not None
        if not replayed:
            data = self._validated(request)
            try:
                url = self.save(
                    request,
                    data,
                    submission_key=key.submission,
                    expected_version=if_match_version(request),
                    **kwargs,
                )
            except SubmittedAlready as already:  # sent twice at once: the other saved it
                url, replayed = idempotent_saved_url(request, key) or already.url, True
            else:
                idempotent_request_remember(request, key)
        response = self.present(request, **resolve(url).kwargs)
        response.status_code = status.HTTP_201_CREATED
        if replayed:
            response[REPLAYED] = "true"
        return response
