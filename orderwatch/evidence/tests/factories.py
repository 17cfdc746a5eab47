"""Evidence data for tests: small real files, items added through the service (chained), and
model factories for volume (query-count) tests that do not need the chain."""

import datetime as dt
import hashlib
import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.cases.tests.factories import CaseFactory
from orderwatch.evidence.models import (
    EvidenceBreachLink,
    EvidenceFile,
    EvidenceIncident,
    EvidenceItem,
)


def _png(width: int = 2, height: int = 2) -> bytes:
    """Return a real, tiny PNG (grey pixels), so browsers and image tools can open it."""

    def block(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + block(b"IHDR", header)
        + block(b"IDAT", zlib.compress(rows))
        + block(b"IEND", b"")
    )


PNG = _png()
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nScreenshot of messages.\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(64)


def png_upload(name: str = "IMG_0042.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def yesterday_evening() -> Occurrence:
    return Occurrence(
        Precision.APPROXIMATE, timezone.localdate() - dt.timedelta(days=1), dt.time(19, 0)
    )


def item_added(*, actor, case, uploads=None, **overrides) -> EvidenceItem:
    """Add a photo item through the service, so it is stored, chained and audited."""
    from orderwatch.evidence.services import evidence_item_add

    values = {
        "kind": EvidenceItem.Kind.PHOTO,
        "occurrence": yesterday_evening(),
        "description": "Photo of the car parked outside the house.",
        "uploads": [png_upload()] if uploads is None else uploads,
    }
    return evidence_item_add(actor=actor, case=case, **values | overrides)


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    """An item stored directly, with no file bytes and no chain entry (volume tests only)."""

    class Meta:
        model = EvidenceItem

    case = factory.SubFactory(CaseFactory)
    kind = EvidenceItem.Kind.NOTE
    happened_precision = Precision.DATE
    happened_on = factory.LazyFunction(timezone.localdate)
    description = "A note of a phone call."
    author_kind = EvidenceItem.AuthorKind.PRACTITIONER
    content_sha256 = "0" * 64


class EvidenceFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceFile

    item = factory.SubFactory(EvidenceItemFactory)
    position = factory.Sequence(lambda n: n + 1)
    stored_name = factory.Sequence(lambda n: f"evidence/not-stored-{n}")
    original_name = "photo.png"
    size = len(PNG)
    sha256 = sha256(PNG)
    content_type = "image/png"


class EvidenceBreachLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceBreachLink

    item = factory.SubFactory(EvidenceItemFactory)
    breach = factory.SubFactory(
        "orderwatch.breaches.tests.factories.BreachFactory",
        case=factory.SelfAttribute("..item.case"),
    )


class EvidenceIncidentFactory(factory.django.DjangoModelFactory):
    """An item marked as an incident directly, with no audit or pattern note (volume tests)."""

    class Meta:
        model = EvidenceIncident

    item = factory.SubFactory(EvidenceItemFactory)
    behaviours = factory.LazyFunction(lambda: ["threats"])
    severity = 2
