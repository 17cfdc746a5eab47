"""The Ed25519 key that signs audit checkpoints, read from settings when used.

ORDERWATCH_AUDIT_SIGNING_KEY when set, else the evidence signing key, so a deployment that
signs evidence bundles signs checkpoints with no further set-up.
"""

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

from orderwatch.core.signing_keys import private_key_from_setting
from orderwatch.evidence.bundle_check import key_fingerprint


def _private_key() -> Ed25519PrivateKey:
    if settings.ORDERWATCH_AUDIT_SIGNING_KEY:
        return private_key_from_setting("ORDERWATCH_AUDIT_SIGNING_KEY", "audit signing key")
    fallback = "audit signing key (ORDERWATCH_AUDIT_SIGNING_KEY is unset, so the evidence key)"
    return private_key_from_setting("ORDERWATCH_EVIDENCE_SIGNING_KEY", fallback)


def sign(data: bytes) -> bytes:
    """Return the raw 64-byte Ed25519 signature of `data` by the audit key."""
    return _private_key().sign(data)


def verifies(signature: bytes, data: bytes) -> bool:
    """Say whether `signature` over `data` was made by the configured key (never a stored one)."""
    try:
        _private_key().public_key().verify(signature, data)
    except InvalidSignature:
        return False
    return True


def public_key_fingerprint() -> str:
    """Return the audit key's fingerprint, in the same form as the evidence key's."""
    pem = _private_key().public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    return key_fingerprint(pem)
