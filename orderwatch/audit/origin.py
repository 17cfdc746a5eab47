"""Where the current action comes from (web, API or command line, and the client address)."""

from contextvars import ContextVar
from dataclasses import dataclass

from orderwatch.audit.models import Origin


@dataclass(frozen=True)
class RequestOrigin:
    channel: str
    ip: str | None = None


COMMAND_LINE = RequestOrigin(Origin.COMMAND)
_current: ContextVar[RequestOrigin] = ContextVar("audit_origin", default=COMMAND_LINE)


def current_origin() -> RequestOrigin:
    return _current.get()


def set_origin(origin: RequestOrigin):
    """Set the origin for this request or task; returns a token for `reset_origin`."""
    return _current.set(origin)


def reset_origin(token) -> None:
    _current.reset(token)
