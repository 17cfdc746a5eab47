"""A request id on every log line written while a request is answered (ADR 0033).

nginx gives each request an id (`X-Request-ID: $request_id`, 32 hex digits) and logs it, so a
line in its log and the application's lines for the same request can be found together. The
id is taken from the header only when it is hexadecimal digits (and dashes, for a UUID), 16 to
64 of them, so it can carry no name, address or other words; otherwise (a client's own header,
straight to the application) a fresh one is made. It goes back to the
client in `X-Request-ID`, and is forgotten once the response has been sent.
"""

import re
import uuid

import structlog
from django.http import HttpRequest

HEADER = "X-Request-ID"
_SAFE = re.compile(r"[0-9A-Fa-f-]{16,64}")


def request_id_for(header: str | None) -> str:
    """Return `header` when it is a safe request id, else a new random one (32 hex digits)."""
    if header and _SAFE.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Bind the request's id to every log line written while answering it, and return it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.request_id = request_id_for(request.headers.get(HEADER))
        # Bound until the response is finished (`request_id_forget`), not just until this
        # returns: Django logs a 4xx or 5xx response after every middleware has run.
        structlog.contextvars.bind_contextvars(request_id=request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


def request_id_forget(**kwargs) -> None:
    """Forget the request's id once its response is finished (`request_finished`)."""
    structlog.contextvars.unbind_contextvars("request_id")
