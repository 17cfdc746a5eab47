"""Model fields encrypted at rest: `EncryptedTextField` withholds its value until explicitly
revealed; the sealed fields give it back in plain to whoever may read the row (ADR 0023)."""

import datetime as dt
import json

from django.core import checks, validators
from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.models.lookups import Exact

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


class SealedTextField(models.TextField):
    """Text encrypted at rest and read back as a plain `str`, for whoever may read the row.

    Unlike `EncryptedTextField` nothing is withheld: the page's access rule already decides who
    sees it. A Fernet token has a random IV, so the database cannot search, compare or sort the
    column: any lookup but `isnull` and `= ""` raises (an empty value stays empty, unencrypted,
    so constraints can still say "given or not"). `max_length` is checked by validation and
    forms, not by the column.
    """

    description = "Text encrypted at rest"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_not_ordered_by()]

    def _check_not_ordered_by(self) -> list[checks.Error]:
        ordering = getattr(self.model._meta, "ordering", None) or []
        names = {name.lstrip("-+") for name in ordering if isinstance(name, str)}
        if self.name in names:
            return [checks.Error(_unsearchable(self), obj=self, id="confidential.E001")]
        return []

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _EmptyOnly
        raise FieldError(_unsearchable(self, lookup_name))

    def get_transform(self, lookup_name):
        raise FieldError(_unsearchable(self, lookup_name))

    def encode(self, value) -> str:
        """Return the plaintext stored for `value` (a string here)."""
        return str(value)

    def decode(self, plaintext: str):
        """Return the value `plaintext` stands for (the string itself here)."""
        return plaintext

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if value == "":
            return self.get_default() if self.has_default() else self.to_python("")
        return self.decode(cipher.decrypt(value))

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        plaintext = self.encode(value)
        return cipher.encrypt(plaintext) if plaintext else ""

    def value_to_string(self, obj):
        # Serialisation (dumpdata) never carries the plaintext by accident; backups copy the
        # database itself, tokens and all (orderwatch/backup).
        return "[sealed]"


class SealedDateField(SealedTextField):
    """A date encrypted at rest (its ISO text is sealed); read back as a `datetime.date`."""

    description = "Date encrypted at rest"

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError as error:
            raise ValidationError("Enter a real date", code="invalid") from error

    def encode(self, value) -> str:
        return value.isoformat()

    def decode(self, plaintext: str):
        return dt.date.fromisoformat(plaintext)


class SealedJSONField(SealedTextField):
    """A JSON value (such as a list of names) encrypted at rest; read back as Python data."""

    description = "JSON encrypted at rest"

    def to_python(self, value):
        return value

    def encode(self, value) -> str:
        return json.dumps(value, ensure_ascii=False)

    def decode(self, plaintext: str):
        return json.loads(plaintext)


class _EmptyOnly(Exact):
    """`= ""` on a sealed column: whether a value was given is the one thing it can answer."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(_unsearchable(self.lhs.output_field, "exact"))
        return super().get_prep_lookup()


def _unsearchable(field, lookup_name: str = "") -> str:
    what = f"{field.model.__name__}.{field.name}" if hasattr(field, "model") else field.name
    used = f" (`{lookup_name}` was used)" if lookup_name else ""
    return (
        f"{what} is encrypted at rest, so the database cannot search, compare or order by it"
        f'{used}. Only `isnull` and `= ""` work: filter or sort the rows in Python instead.'
    )
