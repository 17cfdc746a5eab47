"""Two-factor secrets in the raw database (issue 17, item 1; ADR 0024): after setting up an
authenticator through the real pages, using a recovery code and replacing the authenticator,
neither app's secret (as hex or as the base32 a person types) nor any recovery code is in the
SQLite image or the `pg_dump`. Uses the confidentiality canary's raw-bytes reader."""

import base64
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from test_confidentiality_canary import sessions_containing

from orderwatch.accounts.models import AuthenticatorApp, RecoveryCode
from orderwatch.accounts.tests.factories import TEST_PASSWORD, UserFactory
from tests.security.raw_database import contains, raw_database_bytes

SET_UP = reverse("accounts:mfa-setup")


def _set_up_key(page) -> str:
    return re.search(r'data-testid="setup-key">([A-Z2-7 ]+)<', page.text).group(1)


def _code(setup_key: str) -> str:
    secret = setup_key.replace(" ", "")
    return f"{TOTP(base64.b32decode(secret + '=' * (-len(secret) % 8))).token():06d}"


def _recovery_codes(page) -> list[str]:
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.text)
    assert len(codes) == 10
    return codes


def _secrets(setup_key: str) -> list[str]:
    """The secret as a person types it (base32, with and without spaces) and as hex."""
    base32 = setup_key.replace(" ", "")
    raw = base64.b32decode(base32 + "=" * (-len(base32) % 8))
    return [setup_key, base32, raw.hex()]


# Transactional, so another connection (pg_dump) sees the rows; serialized rollback keeps the
# rows data migrations made for the tests that run after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_raw_database_holds_no_authenticator_secret_or_recovery_code(idva_service):
    user = UserFactory(agency=idva_service, authenticator=False)
    browser = Client()
    browser.post(reverse("accounts:sign-in"), {"username": user.email, "password": TEST_PASSWORD})
    first_key = _set_up_key(browser.get(SET_UP))
    first_codes = _recovery_codes(browser.post(SET_UP, {"code": _code(first_key)}))
    browser.post(reverse("accounts:sign-out"))

    # Lost the phone: sign in with a recovery code, then replace the app with another.
    browser.post(reverse("accounts:sign-in"), {"username": user.email, "password": TEST_PASSWORD})
    browser.post(reverse("accounts:mfa-verify"), {"code": first_codes[0]})
    browser.post(SET_UP, {"current_code": first_codes[1]})
    second_key = _set_up_key(browser.get(SET_UP))
    second_codes = _recovery_codes(browser.post(SET_UP, {"code": _code(second_key)}))
    assert browser.get(reverse("cases:list")).status_code == 200

    raw = raw_database_bytes()

    # The check can fail: the rows that hold them, encrypted or hashed, are in what was read.
    device = AuthenticatorApp.objects.get(user=user)
    assert device.key.token.encode() in raw
    assert RecoveryCode.objects.filter(code_set__user=user).first().digest.encode() in raw
    for secret in _secrets(first_key) + _secrets(second_key):
        assert not contains(raw, secret), f"A secret is in the {connection.vendor} data"
        assert sessions_containing(secret) == []
    for code in first_codes + second_codes:
        assert not contains(raw, code), f"A recovery code is in the {connection.vendor} data"
        assert sessions_containing(code) == []
