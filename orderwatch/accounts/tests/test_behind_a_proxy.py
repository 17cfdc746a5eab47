"""Behind a trusted reverse proxy, lockout, audit origins and reset throttling see each client,
and nobody else's X-Forwarded-For is believed (ADR 0026)."""

import pytest
from django.urls import reverse

from orderwatch.accounts.tests.factories import TEST_PASSWORD
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.ORDERWATCH_TRUSTED_PROXIES = [PROXY]


def sign_in(client, email: str, password: str, *, forwarded_for: str, remote: str = PROXY):
    return client.post(
        reverse("accounts:sign-in"),
        {"username": email, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_the_proxy_two_clients_are_locked_out_separately(client, practitioner, behind_proxy):
    for _ in range(5):
        sign_in(client, practitioner.email, "wrong-password-123", forwarded_for="203.0.113.7")
    locked = sign_in(client, practitioner.email, TEST_PASSWORD, forwarded_for="203.0.113.7")
    assert locked.status_code == 429
    # Someone else behind the same proxy is not locked out of the account by that.
    other = sign_in(client, practitioner.email, TEST_PASSWORD, forwarded_for="198.51.100.9")
    assert other.status_code == 302


def test_a_client_cannot_escape_lockout_by_writing_its_own_header_behind_the_proxy(
    client, practitioner, behind_proxy
):
    for number in range(5):
        spoofed = f"192.0.2.{number}, 203.0.113.7"  # nginx appends the real address last
        sign_in(client, practitioner.email, "wrong-password-123", forwarded_for=spoofed)
    again = sign_in(client, practitioner.email, TEST_PASSWORD, forwarded_for="1.1.1.1, 203.0.113.7")
    assert again.status_code == 429


@pytest.mark.parametrize("proxies", [[], [PROXY]])
def test_an_untrusted_senders_header_is_ignored(client, practitioner, settings, proxies):
    settings.ORDERWATCH_TRUSTED_PROXIES = proxies
    for number in range(5):
        sign_in(
            client,
            practitioner.email,
            "wrong-password-123",
            forwarded_for=f"192.0.2.{number}",
            remote="203.0.113.50",
        )
    again = sign_in(
        client, practitioner.email, TEST_PASSWORD, forwarded_for="192.0.2.99", remote="203.0.113.50"
    )
    assert again.status_code == 429


def test_audit_origins_name_the_client_behind_the_proxy_and_only_then(
    client, practitioner, behind_proxy
):
    sign_in(client, practitioner.email, TEST_PASSWORD, forwarded_for="203.0.113.7")
    client.logout()
    sign_in(
        client,
        practitioner.email,
        TEST_PASSWORD,
        forwarded_for="203.0.113.8",
        remote="198.51.100.2",
    )
    origins = AuditEvent.objects.filter(verb=Verb.SIGNED_IN).order_by("sequence")
    assert list(origins.values_list("origin_ip", flat=True)) == ["203.0.113.7", "198.51.100.2"]


def test_password_reset_throttling_counts_each_client_behind_the_proxy(client, behind_proxy):
    def ask(number: int, forwarded_for: str):
        return client.post(
            reverse("accounts:password-reset"),
            {"email": f"someone{number}@agency.example"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for number in range(10):
        assert ask(number, "203.0.113.7").status_code == 302
    assert ask(10, "203.0.113.7").status_code == 429
    assert ask(11, "198.51.100.9").status_code == 302
