"""The client's address behind trusted reverse proxies, from `X-Forwarded-For` (no Django).

Each proxy appends the address it received the request from. Reading right to left, an
address is believed only while the hop that reported it is a trusted proxy; the first address
not from a trusted proxy is the client. Anything a client writes into the header itself sits
to the left of that and is never reached.
"""

import ipaddress
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Parse proxy addresses and CIDR networks ("10.0.0.5", "10.0.0.0/24", "::1").

    Raises ValueError naming the first entry that is neither.
    """
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{entry.strip()!r} is not an IP address or network") from None
    return tuple(networks)


def _parsed(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    # An IPv4 client reached over an IPv6 socket: compare and report it as IPv4.
    return getattr(parsed, "ipv4_mapped", None) or parsed


def _is_trusted(address, networks: Sequence[Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(
    remote_addr: str | None, forwarded_for: Sequence[str], networks: Sequence[Network]
) -> str | None:
    """Return the client's address, given the socket's peer (`REMOTE_ADDR`), the values of
    every `X-Forwarded-For` header in order, and the trusted proxies.

    With no trusted proxies, or a peer that is not one, the peer is the client and the
    header is ignored. A hop that is not an address ends the walk at the proxy that wrote it.
    """
    current = _parsed(remote_addr or "")
    if current is None:
        return None
    hops = [hop for value in forwarded_for for hop in value.split(",")]
    while hops and _is_trusted(current, networks):
        previous = _parsed(hops.pop())
        if previous is None:
            break
        current = previous
    return str(current)
