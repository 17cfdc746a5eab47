"""Write an evidence bundle for police and the CPS: the original files, an index, a signed manifest.

Inside the ZIP an original is named by its item and place (`files/<item-id>/<n>.<ext>`), never by
the name it was uploaded with: that name may hold personal data, path separators or characters
another system cannot open. The uploaded name is evidence too, so the signed manifest and the
index record it beside the file. The format is read back by `bundle_check`, without Django.
"""

import dataclasses
import hashlib
import json
import mimetypes
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO

from orderwatch.evidence import chain, signing
from orderwatch.evidence.bundle_check import (
    FORMAT,
    FORMAT_VERSION,
    INDEX,
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    chain_entry_manifest,
    records_problems,
)

_ITEM_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_SAFE_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")
_MIME_TYPES = mimetypes.MimeTypes()  # Python's own table only: the same names on every machine


class BundleRefused(Exception):
    """The evidence does not match what was recorded, so no bundle may be handed over."""


@dataclass(frozen=True)
class BundleCase:
    reference: str
    exported_at: datetime
    exported_by_display: str


@dataclass(frozen=True)
class BundleFile:
    """An evidence file as recorded on intake; `chunks` streams its decrypted bytes."""

    id: str
    original_name: str
    sha256: str
    size: int
    content_type: str
    chunks: Callable[[], Iterable[bytes]] = field(repr=False, compare=False)

    def extension(self) -> str:
        """Return a safe extension: from the checked content type, else the uploaded name."""
        guessed = _MIME_TYPES.guess_extension(self.content_type)
        if guessed:
            return guessed
        suffix = "." + self.original_name.rpartition(".")[2].lower()
        return suffix if "." in self.original_name and _SAFE_EXTENSION.fullmatch(suffix) else ".bin"


@dataclass(frozen=True)
class BundleRemoval:
    reason: str
    at: datetime
    by_label: str


@dataclass(frozen=True)
class BundleItem:
    """An evidence item: labels for people, and the content and hash recorded on intake."""

    id: str
    kind_label: str
    happened_label: str
    recorded_at: datetime
    author_label: str
    content: chain.ItemContent  # what `item_hash` covers, including the files' SHA-256
    item_hash: str
    files: tuple[BundleFile, ...] = ()  # empty for a removed item whose files are withheld
    breaches: tuple[str, ...] = ()  # linked breaches and the conditions they broke, as labels
    removed: BundleRemoval | None = None

    @property
    def archived_files(self) -> list[tuple[str, BundleFile]]:
        """Return each file with its path inside the bundle."""
        if not _ITEM_ID.fullmatch(self.id):
            raise ValueError(f"An item id must be letters, digits and hyphens, not {self.id!r}.")
        return [
            (f"files/{self.id}/{n}{file.extension()}", file)
            for n, file in enumerate(self.files, start=1)
        ]


@dataclass(frozen=True)
class ChronologyEntry:
    when_label: str
    text: str


def bundle_write(
    out: BinaryIO,
    *,
    case: BundleCase,
    items: Iterable[BundleItem],
    chain_entries: Iterable[chain.Entry],
    chronology: Iterable[ChronologyEntry],
    index_pdf: bytes | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the signed bundle ZIP to `out`, streaming each original and checking its SHA-256.

    Raises `BundleRefused` if a file or the chain does not match what was recorded; `out` then
    holds an incomplete, unsigned ZIP that must be thrown away. `progress(done, total)` is
    called with bytes of originals written, for a progress bar.
    """
    items = list(items)
    chain_entries = list(chain_entries)
    if len({item.id for item in items}) != len(items):
        raise ValueError("Each item may be in a bundle only once.")
    manifest_items = [_item_manifest(item) for item in items]
    entries = [chain_entry_manifest(entry) for entry in chain_entries]
    problems = records_problems(manifest_items, entries)
    if problems:
        raise BundleRefused("The evidence does not match its chain: " + " ".join(problems))
    if index_pdf is None:
        from orderwatch.evidence.bundle_index import bundle_index_pdf  # it renders these types

        index_pdf = bundle_index_pdf(
            case=case, items=items, chain_entries=chain_entries, chronology=chronology
        )
    stamp = _utc(case.exported_at).timetuple()[:6]
    total = sum(file.size for item in items for file in item.files)
    done = 0
    if progress:
        progress(done, total)
    # Stored, not compressed: each file's bytes are in the ZIP as they are, so a change to any
    # byte is a change to a file (and photos, audio and video are compressed already).
    with zipfile.ZipFile(out, "w") as archive:
        for item in items:
            for path, file in item.archived_files:
                for written in _write_original(archive, path, file, stamp):
                    done += written
                    if progress:
                        progress(done, total)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "case_reference": case.reference,
            "exported_at": _iso(case.exported_at),
            "exported_by": case.exported_by_display,
            "signature": {"algorithm": "Ed25519", "file": SIGNATURE, "signs": MANIFEST},
            "signing_key_fingerprint": signing.public_key_fingerprint(),
            "index": {
                "path": INDEX,
                "sha256": hashlib.sha256(index_pdf).hexdigest(),
                "size": len(index_pdf),
            },
            "items": manifest_items,
            "chain": entries,
        }
        manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n"
        for name, data in [
            (INDEX, index_pdf),
            (MANIFEST, manifest_bytes),
            (SIGNATURE, signing.sign(manifest_bytes)),
            (PUBLIC_KEY, signing.public_key_pem()),
        ]:
            archive.writestr(zipfile.ZipInfo(name, stamp), data)


def _write_original(
    archive: zipfile.ZipFile, path: str, file: BundleFile, stamp: tuple
) -> Iterable[int]:
    """Stream one original into the ZIP, yielding bytes written, then refuse it if it changed."""
    info = zipfile.ZipInfo(path, stamp)
    digest = hashlib.sha256()
    size = 0
    with archive.open(info, "w", force_zip64=True) as member:
        for chunk in file.chunks():
            member.write(chunk)
            digest.update(chunk)
            size += len(chunk)
            yield len(chunk)
    if digest.hexdigest() != file.sha256 or size != file.size:
        raise BundleRefused(
            f"{path} (uploaded as {file.original_name!r}) does not match the SHA-256 and size "
            "recorded when it was added: it has changed in storage. Nothing has been exported."
        )


def _item_manifest(item: BundleItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind_label,
        "happened": item.happened_label,
        "recorded_at": _iso(item.recorded_at),
        "recorded_by": item.author_label,
        "content": dataclasses.asdict(item.content),
        "item_hash": item.item_hash,
        "removed": item.removed and _removal_manifest(item.removed),
        "linked_breaches": list(item.breaches),
        "files": [
            {
                "id": file.id,
                "path": path,
                "original_name": file.original_name,
                "content_type": file.content_type,
                "size": file.size,
                "sha256": file.sha256,
            }
            for path, file in item.archived_files
        ],
    }


def _removal_manifest(removal: BundleRemoval) -> dict[str, str]:
    return {"reason": removal.reason, "at": _iso(removal.at), "by": removal.by_label}


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("Bundle times must be timezone-aware.")
    return moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return _utc(moment).isoformat().replace("+00:00", "Z")
