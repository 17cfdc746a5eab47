"""Optional error reports to Sentry (or a Sentry-compatible service), only when
ORDERWATCH_SENTRY_DSN is set (ADR 0033).

A report says where the code failed, never what a person sent or who they are: no request
body, cookies, query string or headers beyond a few harmless ones, no user, no local
variables, no breadcrumbs (they would carry log messages and SQL), and no exception message
(it can quote data): the same rule as the logs.
"""

from typing import Any

import sentry_sdk
from django.conf import settings

# The only request headers a report keeps: they say what was sent, not by whom.
KEPT_HEADERS = frozenset({"accept", "content-length", "content-type"})
_REMOVED = "[removed]"


def error_report_scrubbed(event: dict[str, Any], hint: dict | None = None) -> dict[str, Any]:
    """Return `event` with everything that could be personal data taken out (`before_send`)."""
    request = event.get("request")
    if request is not None:
        headers = request.get("headers") or {}
        event["request"] = {
            "method": request.get("method"),
            "headers": {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS},
        }
    for key in ("user", "extra", "breadcrumbs", "message"):
        event.pop(key, None)
    logentry = event.get("logentry")
    if logentry is not None:
        # The template stays ("Internal Server Error: %s"), not what filled it in.
        event["logentry"] = {"message": logentry.get("message"), "params": []}
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = _REMOVED
        _drop_frame_variables(exception.get("stacktrace"))
    for thread in (event.get("threads") or {}).get("values") or []:
        _drop_frame_variables(thread.get("stacktrace"))
    return event


def _drop_frame_variables(stacktrace: dict | None) -> None:
    for frame in (stacktrace or {}).get("frames") or []:
        frame.pop("vars", None)


def error_reports_start() -> bool:
    """Start sending error reports if ORDERWATCH_SENTRY_DSN is set; return whether it is."""
    if not settings.ORDERWATCH_SENTRY_DSN:
        return False
    sentry_sdk.init(
        dsn=settings.ORDERWATCH_SENTRY_DSN,
        environment=settings.ORDERWATCH_SENTRY_ENVIRONMENT,
        release=settings.ORDERWATCH_RELEASE or None,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        max_breadcrumbs=0,
        before_send=error_report_scrubbed,
    )
    return True
