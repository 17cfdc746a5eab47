"""Structured logs: every record, Django's and every library's alike, as one JSON object a
line with its time, level, logger, event and the request or task it belongs to (ADR 0033).

All logging goes through the standard library and is formatted here by structlog's
`ProcessorFormatter`. What a record says is cut down to what an operator needs and nothing a
person sent:
- a record about a request (`django.request`, `django.security.*`, the development server's)
  names its status, method and route, never the path it was given (a path can hold a secret
  link's token) nor the message built from it;
- an SQL statement (logged only with DEBUG) keeps its duration, not the statement, which holds
  the values; a template's failed lookup (DEBUG, never switched on) keeps its message's
  template, not the context it quotes;
- a traceback keeps the exception's type and frames, not its message, which can quote data.
"""

import http
import logging
import sys
import traceback
from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import Resolver404, resolve

FORMATS = ("json", "console")
UNMATCHED_ROUTE = "<unmatched>"
# The loggers whose records are about one request and quote its path.
_REQUEST_LOGGERS = ("django.request", "django.security", "django.server")
_SQL_LOGGER = "django.db.backends"
# Loggers whose arguments quote data: only the message's template is kept.
_TEMPLATE_ONLY_LOGGERS = ("django.template",)

SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
]


def route_of(request: HttpRequest | None = None, *, path: str | None = None) -> str:
    """Return the name of the route that answered `request` (or would answer `path`), never the
    path itself: `cases:detail`, or "<unmatched>" when no route matches."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(path if path is not None else request.path_info)
        except Resolver404:
            return UNMATCHED_ROUTE
    return match.view_name


def _is_from(record: logging.LogRecord, names: tuple[str, ...]) -> bool:
    return any(record.name == name or record.name.startswith(f"{name}.") for name in names)


def _without_request_data(logger, method_name, event_dict: dict) -> dict:
    """Say what happened to a request by its status, method and route, not by its path."""
    args = event_dict.pop("positional_args", None) or ()
    record = event_dict.get("_record")
    if record is None or not _is_from(record, _REQUEST_LOGGERS):
        return event_dict
    request = getattr(record, "request", None)
    status = getattr(record, "status_code", None)
    if isinstance(request, HttpRequest):
        event_dict["method"] = request.method
        event_dict["route"] = route_of(request)
    elif record.name == "django.server" and len(args) == 3:
        # The development server's access line: ("GET /path?query HTTP/1.1", "200", "1234").
        request_line = str(args[0]).split(" ")
        event_dict["method"] = request_line[0]
        if len(request_line) > 1:
            event_dict["route"] = route_of(path=request_line[1].split("?")[0])
    if status is not None:
        event_dict["status"] = status
        event_dict["event"] = _phrase(status)
    else:
        # The template only: its arguments (an address, a header) came from the client.
        event_dict["event"] = str(record.msg)
    return event_dict


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _without_quoted_data(logger, method_name, event_dict: dict) -> dict:
    """Keep an SQL statement's timing, not the statement (it holds the values it wrote), and
    only the template of a message that quotes data."""
    record = event_dict.get("_record")
    if record is None:
        return event_dict
    if _is_from(record, (_SQL_LOGGER,)):
        event_dict["event"] = "SQL statement"
        event_dict["duration"] = getattr(record, "duration", None)
        event_dict["alias"] = getattr(record, "alias", None)
    elif _is_from(record, _TEMPLATE_ONLY_LOGGERS):
        event_dict["event"] = str(record.msg)
    return event_dict


def exception_without_message(exc_info) -> str:
    """Return a traceback with every exception's type and frames but not its message.

    Chained exceptions (the cause, or the one being handled) come first, as Python prints them.
    """
    parts = []
    seen = set()
    error = exc_info[1] if isinstance(exc_info, tuple) else exc_info
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
        kind = type(error)
        name = (
            kind.__qualname__
            if kind.__module__ == "builtins"
            else f"{kind.__module__}.{kind.__qualname__}"
        )
        parts.append(f"Traceback (most recent call last):\n{frames}{name}")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "\n\nThe above led to:\n\n".join(reversed(parts))


def _exception(logger, method_name, event_dict: dict) -> dict:
    exc_info = event_dict.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    if exc_info and exc_info != (None, None, None):
        event_dict["exception"] = exception_without_message(exc_info)
    stack = event_dict.pop("stack_info", None)
    if stack:
        event_dict["stack"] = stack
    return event_dict


def formatter(output: str | None = None) -> structlog.stdlib.ProcessorFormatter:
    """Return the formatter for every handler: JSON lines, or readable lines for a developer
    (`ORDERWATCH_LOG_FORMAT=console`). Called by Django's LOGGING set-up."""
    output = output or settings.ORDERWATCH_LOG_FORMAT
    if output not in FORMATS:
        raise ImproperlyConfigured(f"ORDERWATCH_LOG_FORMAT must be one of {', '.join(FORMATS)}.")
    renderer: Any = (
        structlog.processors.JSONRenderer(default=str)
        if output == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*SHARED_PROCESSORS, _without_request_data, _without_quoted_data],
        # The arguments, for the development server's access line; removed, never written.
        pass_foreign_args=True,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _exception,
            renderer,
        ],
    )


def structlog_configure() -> None:
    """Send structlog's own loggers (`structlog.get_logger()`) through the same handlers, so
    they come out formatted like every other record."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
