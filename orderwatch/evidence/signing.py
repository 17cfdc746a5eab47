"""The server's Ed25519 key that signs evidence bundles, read from settings when used."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from orderwatch.core.signing_keys import private_key_from_setting
from orderwatch.evidence.bundle_check import key_fingerprint


def _private_key() -> Ed25519PrivateKey:
    return private_key_from_setting("ORDERWATCH_EVIDENCE_SIGNING_KEY", "evidence signing key")


def sign(data: bytes) -> bytes:
    """Return the raw 64-byte Ed25519 signature of `data` by the server's key."""
    return _private_key().sign(data)


def public_key_pem() -> bytes:
    """Return the public half of the signing key, to publish and to check bundles with."""
    return _private_key().public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def public_key_fingerprint() -> str:
    """Return the signing key's fingerprint, for people to compare by eye or over the phone."""
    return key_fingerprint(public_key_pem())
