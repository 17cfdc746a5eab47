"""How sign-in throttling (django-axes) names the account being tried and the client trying.

Lockout records (axes' `AccessAttempt`) keep only what throttling needs: the email as typed
and a keyed hash of the client's address, never the address itself nor the browser, so a
victim-survivor's failed sign-ins say nothing about where they were or what they use. They are
deleted after ORDERWATCH_SIGN_IN_RECORDS_KEEP_DAYS (`manage.py purge_sign_in_records`).
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from orderwatch.core.clients import request_client_address

# Hashes are written as IPv6 addresses (axes keeps the client in an IP address column) in the
# documentation range, which no real client has.
_HASHED_PREFIX = ipaddress.IPv6Network("2001:db8::/32")


def username_from_request(request: HttpRequest, credentials: dict | None) -> str:
    """Return the email as typed, lower-cased: one lockout whatever the capitalisation."""
    source = credentials if credentials else getattr(request, "POST", {})
    return (source.get("username") or "").strip().lower()


def client_for_lockout(request: HttpRequest) -> str | None:
    """Return a keyed hash of the client's address (behind trusted proxies), as an address.

    The same client always gets the same value, so failures still add up per client, but the
    address cannot be read back from it without the service's secret key.
    """
    address = request_client_address(request)
    if address is None:
        return None
    digest = salted_hmac("orderwatch.accounts.lockout.client", address, algorithm="sha256")
    low_bits = int.from_bytes(digest.digest()[:12])
    return str(ipaddress.IPv6Address(int(_HASHED_PREFIX.network_address) | low_bits))


def client_for_logs(username, ip_address, user_agent, path_info, request) -> str:
    """Name the client in axes' log lines without the email, address or browser: a keyed hash
    of the email as typed, so repeated failures against one account can still be told apart."""
    digest = salted_hmac("orderwatch.accounts.lockout.logs", username or "", algorithm="sha256")
    return f"{{account: {digest.hexdigest()[:12]}}}"


class SignInFailureHandler(AxesDatabaseHandler):
    """Axes' database handler, recording no browser (User-Agent) with a failed sign-in."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None:
            request.axes_user_agent = ""
        return super().user_login_failed(sender, credentials, request, **kwargs)
