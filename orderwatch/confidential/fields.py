"""A model field whose value is encrypted at rest and withheld unless explicitly revealed."""

from django.db import models

from orderwatch.confidential import cipher


class Revealed(str):
    """Plaintext given out on purpose: renders as itself, but `repr()` withholds it.

    Debug logs (such as Django's template variable logging) and tracebacks use `repr()`, so a
    revealed address or secret does not reach them.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "[revealed, withheld]"


class Confidential:
    """A confidential value that prints as withheld; only `reveal()` gives the plaintext.

    Templates, logs, error pages and `repr()` therefore never show it by accident.
    """

    __slots__ = ("_token",)

    def __init__(self, token: str):
        self._token = token

    def __str__(self) -> str:
        return "[withheld]"

    __repr__ = __str__

    def __bool__(self) -> bool:
        return bool(self._token)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Confidential) and other._token == self._token

    def __hash__(self) -> int:
        return hash(self._token)

    @classmethod
    def from_plaintext(cls, plaintext: str) -> "Confidential":
        return cls(cipher.encrypt(plaintext) if plaintext else "")

    @property
    def token(self) -> str:
        return self._token

    def reveal(self) -> Revealed:
        """Return the plaintext. Callers audit the reveal."""
        return Revealed(cipher.decrypt(self._token) if self._token else "")


class EncryptedTextField(models.TextField):
    """Store a `Confidential` as a Fernet token; plain strings are encrypted on the way in."""

    def from_db_value(self, value, expression, connection):
        return Confidential(value or "")

    def to_python(self, value):
        if isinstance(value, Confidential):
            return value
        return Confidential.from_plaintext(value or "")

    def get_prep_value(self, value):
        if value is None:
            return ""
        if not isinstance(value, Confidential):
            value = Confidential.from_plaintext(str(value))
        return value.token

    def value_to_string(self, obj):
        return "[withheld]"
