"""Serializer fields as strict as the schema says: text must be sent as text (DRF would turn
`0` into "0"), and a time of day is the local time it is, without an offset."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class _Strict:
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Text(_Strict, serializers.CharField):
    pass


class Email(_Strict, serializers.EmailField):
    pass


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$",
        "description": "The local time in the UK (HH:MM), as a clock there showed it.",
        "example": "21:00",
    }
)
class LocalTime(serializers.TimeField):
    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)
