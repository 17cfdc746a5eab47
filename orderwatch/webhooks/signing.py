"""Signing a webhook's body so its receiver can tell it came from OrderWatch unaltered, and
recently (ADR 0045). No Django.

The signature is an HMAC-SHA256, under the webhook's secret, of the timestamp, a full stop and
the body exactly as sent: a receiver recomputes it and compares in constant time, and refuses a
timestamp more than a few minutes old so a captured request cannot be replayed later.
"""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-OrderWatch-Signature"
TIMESTAMP_HEADER = "X-OrderWatch-Timestamp"
DELIVERY_HEADER = "X-OrderWatch-Delivery"
# Marks the secret for what it is wherever it is pasted (and for secret scanners).
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


def secret_generate() -> str:
    """Return a new signing secret: 256 random bits, URL-safe."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header's value for `body` sent at `timestamp` (Unix seconds)."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_valid(*, secret: str, timestamp: int, body: bytes, header: str) -> bool:
    """Return whether `header` is the signature of `body` at `timestamp` (as a receiver checks)."""
    return hmac.compare_digest(signature(secret=secret, timestamp=timestamp, body=body), header)
