"""The client's address behind trusted proxies: believed only as far as they wrote it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from orderwatch.core.clients import request_client_address
from orderwatch.core.forwarded import client_address, trusted_networks

PROXIES = trusted_networks(["10.0.0.5", "10.1.0.0/16", "fd00::/8"])


@pytest.mark.parametrize(
    ("remote", "forwarded_for", "client"),
    [
        # No proxy in the way: the peer, whatever the header says.
        ("203.0.113.7", ["198.51.100.1"], "203.0.113.7"),
        # One trusted proxy: the address it appended.
        ("10.0.0.5", ["203.0.113.7"], "203.0.113.7"),
        # A client's own header to the left of what the proxy appended is never reached.
        ("10.0.0.5", ["1.2.3.4, 203.0.113.7"], "203.0.113.7"),
        # Two trusted proxies in a row (a load balancer, then nginx), header given twice.
        ("10.1.2.3", ["6.6.6.6, 203.0.113.7", "10.0.0.5"], "203.0.113.7"),
        # A trusted proxy that appended garbage: stop at the proxy, believe nothing further.
        ("10.0.0.5", ["203.0.113.7, not-an-address"], "10.0.0.5"),
        # A trusted proxy with no header: the proxy itself.
        ("10.0.0.5", [], "10.0.0.5"),
        # Every hop trusted: the left-most.
        ("10.0.0.5", ["10.1.0.9"], "10.1.0.9"),
        # IPv6, and an IPv4 client seen through an IPv6 socket.
        ("fd00::1", ["2001:db8::7"], "2001:db8::7"),
        ("::ffff:10.0.0.5", ["203.0.113.7"], "203.0.113.7"),
        ("", ["203.0.113.7"], None),
    ],
)
def test_the_client_is_the_first_address_not_from_a_trusted_proxy(remote, forwarded_for, client):
    assert client_address(remote, forwarded_for, PROXIES) == client


def test_with_no_trusted_proxies_the_header_is_ignored():
    assert client_address("10.0.0.5", ["203.0.113.7"], ()) == "10.0.0.5"


def test_an_entry_that_is_not_an_address_is_named():
    with pytest.raises(ValueError, match=r"'proxy\.internal' is not an IP address"):
        trusted_networks(["10.0.0.5", "proxy.internal"])


def test_the_setting_decides_whose_header_is_believed(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")
    settings.ORDERWATCH_TRUSTED_PROXIES = []
    assert request_client_address(request) == "10.0.0.5"
    settings.ORDERWATCH_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert request_client_address(request) == "203.0.113.7"
    settings.ORDERWATCH_TRUSTED_PROXIES = ["nginx"]
    with pytest.raises(ImproperlyConfigured, match="ORDERWATCH_TRUSTED_PROXIES"):
        request_client_address(request)
