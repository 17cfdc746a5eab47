"""The evidence signing key: read from settings when used, refused clearly when unusable."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.core.exceptions import ImproperlyConfigured

from orderwatch.evidence import signing

SEED = bytes(range(32))


@pytest.fixture
def known_key(settings):
    settings.ORDERWATCH_EVIDENCE_SIGNING_KEY = base64.urlsafe_b64encode(SEED).decode()
    return Ed25519PrivateKey.from_private_bytes(SEED)


def test_signature_verifies_with_the_published_public_key(known_key):
    signature = signing.sign(b"manifest bytes")

    load_pem_public_key(signing.public_key_pem()).verify(signature, b"manifest bytes")
    assert len(signature) == 64


def test_public_key_is_the_settings_keys(known_key):
    expected = known_key.public_key().public_bytes_raw()

    assert load_pem_public_key(signing.public_key_pem()).public_bytes_raw() == expected


def test_key_without_padding_is_read_too(settings, known_key):
    settings.ORDERWATCH_EVIDENCE_SIGNING_KEY = base64.urlsafe_b64encode(SEED).decode().rstrip("=")

    assert signing.public_key_pem().startswith(b"-----BEGIN PUBLIC KEY-----")


def test_key_is_read_when_used_so_a_new_setting_takes_effect(settings, known_key):
    before = signing.public_key_fingerprint()
    settings.ORDERWATCH_EVIDENCE_SIGNING_KEY = base64.urlsafe_b64encode(b"\x01" * 32).decode()

    assert signing.public_key_fingerprint() != before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "No evidence signing key is set"),
        ("not*base64!", "not URL-safe base64"),
        (base64.urlsafe_b64encode(b"short").decode(), "is 5 bytes, not 32"),
    ],
)
def test_missing_or_unusable_key_says_how_to_set_one(settings, value, message):
    settings.ORDERWATCH_EVIDENCE_SIGNING_KEY = value

    with pytest.raises(ImproperlyConfigured, match=message) as raised:
        signing.sign(b"anything")
    assert "ORDERWATCH_EVIDENCE_SIGNING_KEY" in str(raised.value)
