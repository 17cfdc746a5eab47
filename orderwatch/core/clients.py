"""Who is on the other end of a request: one answer for lockout, audit and throttles."""

import functools

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from orderwatch.core import forwarded


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple[forwarded.Network, ...]:
    try:
        return forwarded.trusted_networks(entries)
    except ValueError as error:
        raise ImproperlyConfigured(f"ORDERWATCH_TRUSTED_PROXIES: {error}.") from None


def request_client_address(request: HttpRequest) -> str | None:
    """Return the address of the client that sent `request`.

    `REMOTE_ADDR`, unless it is one of ORDERWATCH_TRUSTED_PROXIES: then `X-Forwarded-For`,
    believed only as far as those proxies wrote it (see `orderwatch.core.forwarded`).
    """
    networks = _networks(tuple(settings.ORDERWATCH_TRUSTED_PROXIES))
    header = request.META.get("HTTP_X_FORWARDED_FOR")
    return forwarded.client_address(
        request.META.get("REMOTE_ADDR"), [header] if header else [], networks
    )
