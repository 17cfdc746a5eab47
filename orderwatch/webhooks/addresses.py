"""Where a webhook may point (ADR 0045). No Django.

Only `https://` to a public address: a webhook must not become a way to make the service call
into its own network (its database, metadata endpoints, admin ports). The check is made when
the webhook is added and again, on every address the name resolves to, before each delivery.
For local testing, private and loopback addresses (and plain `http://` to loopback only) may be
allowed.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

MAX_URL_LENGTH = 500


class AddressRefused(ValueError):
    """The webhook's address is not one the service will send to. The message is for the form."""


def url_check(url: str, *, allow_private: bool) -> str:
    """Return the host of `url` if a webhook may point there; raise `AddressRefused` if not."""
    if len(url) > MAX_URL_LENGTH:
        raise AddressRefused(f"The address must be {MAX_URL_LENGTH} characters or fewer")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused("Enter a web address, like https://example.org/orderwatch") from None
    host = parts.hostname or ""
    if not host or parts.scheme not in ("https", "http") or any(c.isspace() for c in url):
        raise AddressRefused("Enter a web address, like https://example.org/orderwatch")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("Enter the address without a user name or password in it")
    if parts.fragment:
        raise AddressRefused("Enter the address without a # part")
    if port == 0:
        raise AddressRefused("Enter a web address, like https://example.org/orderwatch")
    literal = _ip(host)
    if parts.scheme == "http" and not (
        allow_private and (host == "localhost" or (literal is not None and literal.is_loopback))
    ):
        raise AddressRefused("The address must start with https://")
    named_local = host == "localhost" or host.endswith(".localhost")
    if not allow_private and (named_local or (literal is not None and not _public(literal))):
        raise AddressRefused("The address must be on the internet, not a private network")
    return host


def host_check(host: str, port: int, *, allow_private: bool) -> None:
    """Resolve `host` and raise `AddressRefused` if any of its addresses is not public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused("The address could not be found") from None
    if allow_private:
        return
    for *_, sockaddr in found:
        address = _ip(str(sockaddr[0]).split("%")[0])
        if address is None or not _public(address):
            raise AddressRefused("The address must be on the internet, not a private network")


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast
