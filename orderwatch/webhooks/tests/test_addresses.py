"""Where a webhook may point (ADR 0045): https:// to the internet only, unless private networks
are allowed for testing. No database."""

import socket

import pytest

from orderwatch.webhooks.addresses import AddressRefused, host_check, url_check


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.org/orderwatch",
        "https://hooks.example.org:8443/orderwatch?agency=1",
        "https://8.8.8.8/in",
    ],
)
def test_an_https_address_on_the_internet_is_accepted(url):
    assert url_check(url, allow_private=False)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.org/orderwatch", "https://"),
        ("ftp://hooks.example.org/orderwatch", "Enter a web address"),
        ("hooks.example.org/orderwatch", "Enter a web address"),
        ("https:///orderwatch", "Enter a web address"),
        ("https://hooks.example.org:99999/", "Enter a web address"),
        ("https://hooks.example .org/", "Enter a web address"),
        ("https://user:pass@hooks.example.org/", "user name or password"),
        ("https://hooks.example.org/#part", "# part"),
        ("https://10.1.2.3/in", "private network"),
        ("https://127.0.0.1/in", "private network"),
        ("https://169.254.169.254/latest/meta-data", "private network"),
        ("https://[::1]/in", "private network"),
        ("https://[fd00::1]/in", "private network"),
        ("https://[::ffff:10.0.0.1]/in", "private network"),
        ("https://224.0.0.1/in", "private network"),
        ("https://localhost/in", "private network"),
        ("https://admin.localhost/in", "private network"),
        ("https://hooks.example.org/" + "a" * 500, "500 characters"),
    ],
)
def test_any_other_address_is_refused_with_a_reason(url, message):
    with pytest.raises(AddressRefused, match=message):
        url_check(url, allow_private=False)


def test_allowing_private_networks_allows_them_and_plain_http_to_loopback_only():
    assert url_check("https://10.1.2.3/in", allow_private=True) == "10.1.2.3"
    assert url_check("http://127.0.0.1:18300/in", allow_private=True) == "127.0.0.1"
    assert url_check("http://localhost:18300/in", allow_private=True) == "localhost"
    with pytest.raises(AddressRefused, match="https://"):
        url_check("http://10.1.2.3/in", allow_private=True)
    with pytest.raises(AddressRefused, match="https://"):
        url_check("http://hooks.example.org/in", allow_private=True)


def _resolving_to(monkeypatch, *addresses):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_that_resolves_to_any_private_address_is_refused(monkeypatch):
    _resolving_to(monkeypatch, "93.184.216.34", "10.0.0.5")
    with pytest.raises(AddressRefused, match="private network"):
        host_check("hooks.example.org", 443, allow_private=False)
    host_check("hooks.example.org", 443, allow_private=True)


def test_a_name_that_resolves_to_public_addresses_only_is_accepted(monkeypatch):
    _resolving_to(monkeypatch, "93.184.216.34")
    host_check("hooks.example.org", 443, allow_private=False)


def test_a_name_that_cannot_be_found_is_refused(monkeypatch):
    def getaddrinfo(*args, **kwargs):
        raise socket.gaierror("not found")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(AddressRefused, match="could not be found"):
        host_check("nowhere.example.org", 443, allow_private=True)
