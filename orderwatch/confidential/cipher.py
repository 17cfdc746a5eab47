"""Authenticated encryption of confidential values with rotatable keys (Fernet / MultiFernet)."""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class ConfidentialValueUnreadable(Exception):
    """The stored value cannot be decrypted with any configured key."""


@cache
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("ORDERWATCH_FIELD_KEYS holds no encryption key.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _cipher() -> MultiFernet:
    return _multi_fernet(tuple(settings.ORDERWATCH_FIELD_KEYS))


def encrypt(plaintext: str) -> str:
    """Return a token for `plaintext` under the newest key."""
    return _cipher().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """Return the plaintext of `token`, trying every configured key."""
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ConfidentialValueUnreadable from error


def rotate(token: str) -> str:
    """Return `token` re-encrypted under the newest key."""
    try:
        return _cipher().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise ConfidentialValueUnreadable from error
