"""When the database or file storage is down or full: say that nothing has been saved yet, and
give back what the person typed, so a long account of a breach is never lost to an outage.

The page is made without the database (no session, user or menu), so it works when nothing
else does. A save either committed whole or not at all (one transaction per service), and a
create form's one-time key makes the retry safe even when the outage struck after the commit:
the retry is then shown what was saved.
"""

import errno
import logging
import re
import sys

from django import db
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

from orderwatch.api.problems import CONTENT_TYPE as PROBLEM_TYPE
from orderwatch.api.problems import problem_body

logger = logging.getLogger(__name__)

# Storage errors that mean "try again later", not a fault in OrderWatch.
UNAVAILABLE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS})
RETRY_AFTER_SECONDS = 120
API_DETAIL = "The service is unavailable. Nothing has been saved yet; try again in a few minutes."
# Sent back unseen, as they came: the form's own keys.
CARRIED = frozenset({"csrfmiddlewaretoken", "submission_key"})
# Never written into a page: asked for again instead.
NOT_SHOWN = re.compile(r"password|code|token|secret", re.IGNORECASE)
_ID = re.compile(r"_?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_outage(error: BaseException | None) -> bool:
    """Return whether `error` means the database or storage is unavailable or full."""
    if isinstance(error, db.OperationalError | db.InterfaceError):
        return True
    return isinstance(error, OSError) and error.errno in UNAVAILABLE_ERRNOS


class OutageMiddleware:
    """Answer a view's outage error with the outage page instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        logger.warning("Outage answered with 503: %s", type(exception).__name__)
        return outage_response(request)


def server_error(request):
    """Django's handler500: the outage page for an outage anywhere (a session read in a
    middleware, say), the plain error page for anything else."""
    if is_outage(sys.exc_info()[1]):
        return outage_response(request)
    return defaults.server_error(request)


def outage_response(request) -> HttpResponse:
    """Return the 503 page: for a post, with what was typed in a form that sends it again."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            problem_body(503, {"detail": API_DETAIL}), status=503, content_type=PROBLEM_TYPE
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    posted = request.method == "POST"
    answers, carried, files, kept = _answers(request) if posted else ([], [], [], True)
    template = "diary/outage.html" if request.path.startswith("/notes/") else "core/outage.html"
    page = render_to_string(
        template,
        {
            "posted": posted,
            "action": request.path,
            "answers": answers,
            "carried": carried,
            "files": files,
            "kept": kept,
        },
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    request.compress_response = False  # what was typed, beside the form's token: never compressed
    return response


def _answers(request) -> tuple[list[dict], list[tuple[str, str]], list[str], bool]:
    """Return the typed answers, the form's own keys, the names of file fields, and whether the
    answers could be read at all (an upload cut short by a full disk may leave none)."""
    try:
        data, uploads = request.POST, request.FILES
    except Exception:  # the body itself could not be read or stored: nothing to give back
        return [], [], [], False
    answers, carried = [], []
    for name in data:
        for value in data.getlist(name):
            if name in CARRIED:
                carried.append((name, value))
            else:
                answers.append(
                    {
                        "name": name,
                        "label": _label(name),
                        "value": value,
                        "secret": bool(NOT_SHOWN.search(name)),
                    }
                )
    return answers, carried, sorted(uploads), True


def _label(name: str) -> str:
    words = _ID.sub("", name).replace("_", " ").replace("-", ", ").strip()
    return words[:1].upper() + words[1:]
