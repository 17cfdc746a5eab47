"""Ed25519 private keys held in settings as URL-safe base64, read when used."""

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_SEED_SIZE = 32


def private_key_from_setting(name: str, label: str) -> Ed25519PrivateKey:
    """Return the key in setting `name`, or refuse, saying how to set one (`label` names it)."""
    value = getattr(settings, name)
    help_text = (
        f"Set {name} to the URL-safe base64 of 32 random bytes, e.g. "
        'python -c "import base64, secrets; '
        'print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"'
    )
    if not value:
        raise ImproperlyConfigured(f"No {label} is set. {help_text}")
    try:
        seed = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured(f"The {label} is not URL-safe base64. {help_text}") from error
    if len(seed) != _SEED_SIZE:
        raise ImproperlyConfigured(
            f"The {label} is {len(seed)} bytes, not {_SEED_SIZE}. {help_text}"
        )
    return Ed25519PrivateKey.from_private_bytes(seed)
