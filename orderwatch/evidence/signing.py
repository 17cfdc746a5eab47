"""The server's Ed25519 key that signs evidence bundles, read from settings when used."""

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from orderwatch.evidence.bundle_check import key_fingerprint

_SEED_SIZE = 32


def _private_key() -> Ed25519PrivateKey:
    value = settings.ORDERWATCH_EVIDENCE_SIGNING_KEY
    help_text = (
        "Set ORDERWATCH_EVIDENCE_SIGNING_KEY to the URL-safe base64 of 32 random bytes, e.g. "
        'python -c "import base64, secrets; '
        'print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"'
    )
    if not value:
        raise ImproperlyConfigured(f"No evidence signing key is set. {help_text}")
    try:
        seed = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured(
            f"The evidence signing key is not URL-safe base64. {help_text}"
        ) from error
    if len(seed) != _SEED_SIZE:
        raise ImproperlyConfigured(
            f"The evidence signing key is {len(seed)} bytes, not {_SEED_SIZE}. {help_text}"
        )
    return Ed25519PrivateKey.from_private_bytes(seed)


def sign(data: bytes) -> bytes:
    """Return the raw 64-byte Ed25519 signature of `data` by the server's key."""
    return _private_key().sign(data)


def public_key_pem() -> bytes:
    """Return the public half of the signing key, to publish and to check bundles with."""
    return _private_key().public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def public_key_fingerprint() -> str:
    """Return the signing key's fingerprint, for people to compare by eye or over the phone."""
    return key_fingerprint(public_key_pem())
