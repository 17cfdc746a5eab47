"""Evidence bundles built from in-memory records (no database), for the bundle tests."""

import dataclasses
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from orderwatch.evidence import chain, signing
from orderwatch.evidence.bundle import (
    BundleCase,
    BundleFile,
    BundleItem,
    BundleRemoval,
    ChronologyEntry,
    bundle_write,
)

PLACEHOLDER_PDF = b"%PDF-1.7\n% stands in for the index where its content is not under test\n"
EXPORTED_AT = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
CHUNK = 64 * 1024
ITEM_IDS = (
    "4f0c6a55-7a7b-4d5e-9d55-0b3e7c1f2a01",
    "9b2d1e44-3c5a-4f6b-8e77-1a2b3c4d5e02",
    "c3e5f7a9-1b2d-4e6f-8a0c-2e4f6a8c0e03",
)


def file_from_bytes(data: bytes, *, file_id: str, name: str, content_type: str) -> BundleFile:
    """Return a file whose bytes are in memory, streamed in small chunks."""
    return BundleFile(
        id=file_id,
        original_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type=content_type,
        chunks=lambda: (data[i : i + 1000] for i in range(0, len(data), 1000)),
    )


def _generated_chunks(size: int) -> Iterator[bytes]:
    for start in range(0, size, CHUNK):
        seed = hashlib.sha256(start.to_bytes(8, "big")).digest()
        yield (seed * (CHUNK // len(seed)))[: min(CHUNK, size - start)]


def generated_file(size: int, *, file_id: str = "video-1") -> BundleFile:
    """Return a file of `size` bytes made on demand, never held in memory whole."""
    digest = hashlib.sha256()
    for chunk in _generated_chunks(size):
        digest.update(chunk)
    return BundleFile(
        id=file_id,
        original_name="Doorbell camera 2 March.mp4",
        sha256=digest.hexdigest(),
        size=size,
        content_type="video/mp4",
        chunks=lambda: _generated_chunks(size),
    )


def generated_bytes(size: int) -> bytes:
    return b"".join(_generated_chunks(size))


AUTHOR_ID = "7d1c9a30-5b2e-4f11-9c3a-000000000001"


def chain_for(items: list[BundleItem]) -> list[chain.Entry]:
    """Return a case's chain: an entry for each item added, then one for each removal."""
    records = [(chain.ADDED, item, "", item.recorded_at) for item in items]
    records += [
        (chain.REMOVED, item, chain.removal_hash(item.removed.reason), item.removed.at)
        for item in items
        if item.removed
    ]
    entries, previous = [], chain.GENESIS_HASH
    for sequence, (kind, item, removal_hash, at) in enumerate(records, start=1):
        entry = chain.Entry(
            sequence=sequence,
            kind=kind,
            item_id=item.id,
            item_hash=item.item_hash,
            removal_hash=removal_hash,
            previous_hash=previous,
            recorded_at=at,
            author_id=AUTHOR_ID,
            entry_hash="",
        )
        previous = chain.entry_hash(previous, chain.body_of(entry))
        entries.append(dataclasses.replace(entry, entry_hash=previous))
    return entries


def item(
    item_id: str,
    *,
    description: str,
    recorded_at: datetime,
    files: tuple[BundleFile, ...] = (),
    corrects: str | None = None,
    **labels,
) -> BundleItem:
    """Return an item whose hash covers its content, as on intake."""
    content = chain.ItemContent(
        kind="photo" if files else "note",
        occurrence={"precision": "day", "on": "2026-03-01", "at": None, "until": None},
        description=description,
        author_kind="practitioner",
        corrects=corrects,
        file_hashes=[file.sha256 for file in files],
    )
    return BundleItem(
        id=item_id,
        kind_label="Photo" if files else "Note",
        happened_label="1 March 2026",
        recorded_at=recorded_at,
        author_label="Pat Lead, Test IDVA Service",
        content=content,
        item_hash=chain.item_hash(content),
        files=files,
        **labels,
    )


def sample_items(*, large_size: int = 0) -> list[BundleItem]:
    """Return a photo item with a screenshot (and a video if asked), a removed note, and its
    correction."""
    photo = file_from_bytes(
        b"\xff\xd8\xff\xe0 photo of the car outside the school \xff\xd9",
        file_id="photo-1",
        name="IMG_0042.jpeg",
        content_type="image/jpeg",
    )
    screenshot = file_from_bytes(
        b"\x89PNG\r\n\x1a\n screenshot of the messages",
        file_id="shot-1",
        name="../../Screenshot: messages 1 March?.png",
        content_type="image/png",
    )
    files = (photo, screenshot)
    if large_size:
        files += (generated_file(large_size),)
    return [
        item(
            ITEM_IDS[0],
            description="Car parked outside the school gates at pick-up time.",
            recorded_at=datetime(2026, 3, 1, 16, 5, tzinfo=UTC),
            files=files,
            breaches=("Breach on 1 March 2026: condition 2, no contact direct or indirect",),
        ),
        item(
            ITEM_IDS[1],
            description="Phone call reported by the school office.",
            recorded_at=datetime(2026, 2, 28, 9, 0, tzinfo=UTC),
            removed=BundleRemoval(
                reason="Entered with the wrong date",
                at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
                by_label="Pat Lead, Test IDVA Service",
            ),
        ),
        item(
            ITEM_IDS[2],
            description="Phone call reported by the school office (date corrected).",
            recorded_at=datetime(2026, 3, 1, 9, 5, tzinfo=UTC),
            corrects=ITEM_IDS[1],
        ),
    ]


SAMPLE_CASE = BundleCase(
    reference="OW-2026-0042", exported_at=EXPORTED_AT, exported_by_display="Pat Lead"
)
SAMPLE_CHRONOLOGY = [
    ChronologyEntry("28 February 2026", "Phone call to the school office"),
    ChronologyEntry("1 March 2026, about 15:20", "Car outside the school gates"),
]


def write_bundle(
    items: list[BundleItem] | None = None,
    *,
    index_pdf: bytes | None = PLACEHOLDER_PDF,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Return the bytes of a bundle of `items` (the sample items if not given)."""
    items = sample_items() if items is None else items
    out = io.BytesIO()
    bundle_write(
        out,
        case=SAMPLE_CASE,
        items=items,
        chain_entries=chain_for(items),
        chronology=SAMPLE_CHRONOLOGY,
        index_pdf=index_pdf,
        progress=progress,
    )
    return out.getvalue()


def members(bundle: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_of(bundle: bytes) -> dict:
    return json.loads(members(bundle)["manifest.json"])


def rezipped(contents: dict[str, bytes]) -> bytes:
    """Return a ZIP holding exactly `contents`, in order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return out.getvalue()


def with_manifest(bundle: bytes, edit: Callable[[dict], None], *, resign: bool) -> bytes:
    """Return the bundle with its manifest edited; re-signed by the server key if `resign`."""
    contents = members(bundle)
    manifest = json.loads(contents["manifest.json"])
    edit(manifest)
    contents["manifest.json"] = json.dumps(manifest, indent=2).encode()
    if resign:
        contents["manifest.sig"] = signing.sign(contents["manifest.json"])
    return rezipped(contents)


def other_public_key_pem() -> bytes:
    return (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
