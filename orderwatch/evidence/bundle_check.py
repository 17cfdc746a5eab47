"""Check an evidence bundle offline with a public key the checker chose. No Django here.

A bundle is a ZIP: `manifest.json` (what the bundle holds, with every file's SHA-256 and the
case's evidence chain), `manifest.sig` (the raw 64-byte Ed25519 signature over the exact bytes
of `manifest.json`), `index.pdf`, the original files under `files/`, and `public-key.pem`. That
last copy is a convenience only: the check never trusts it, because whoever altered a bundle
could have re-signed it with a key of their own.
"""

import datetime as dt
import hashlib
import json
import zipfile
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)

from orderwatch.evidence import chain

FORMAT = "orderwatch-evidence-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public-key.pem"
INDEX = "index.pdf"
FILES_DIR = "files/"
_READ_SIZE = 1024 * 1024


@dataclass(frozen=True)
class BundleReport:
    """What a check found: no problems means the bundle is exactly as exported and signed."""

    problems: list[str]
    file_count: int
    chain_length: int
    key_fingerprint: str


class _Unreadable(Exception):
    """The bundle cannot be checked any further; the message says why."""


def key_fingerprint(public_key_pem: bytes) -> str:
    """Return the SHA-256 of the raw public key in groups of four, to compare by reading aloud."""
    raw = _public_key(public_key_pem).public_bytes(Encoding.Raw, PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def _public_key(public_key_pem: bytes) -> Ed25519PublicKey:
    try:
        key = load_pem_public_key(public_key_pem)
    except ValueError as error:
        raise ValueError("The public key is not a PEM public key.") from error
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("The public key is not an Ed25519 key.")
    return key


def records_problems(items: list[Mapping[str, Any]], entries: list[Mapping[str, Any]]) -> list[str]:
    """Return what is wrong between the manifest's items, their files and the case's chain.

    Each item's hash is recomputed from the content it covers, which names its files' SHA-256,
    and the chain is checked as the service checks it (`orderwatch.evidence.chain`), so a file
    is tied to the entry made when it was added. A removed item's files may be left out.
    """
    problems = []
    item_hashes, removal_hashes = {}, {}
    for item in items:
        content = chain.ItemContent(**item["content"])
        item_hashes[item["id"]] = recomputed = chain.item_hash(content)
        if recomputed != item["item_hash"]:
            problems.append(f"Item {item['id']}: its recorded hash does not match its contents.")
        file_hashes = [file["sha256"] for file in item["files"]]
        withheld = item["removed"] is not None and not file_hashes
        if file_hashes != list(content.file_hashes) and not withheld:
            problems.append(f"Item {item['id']}: its files are not the ones its hash covers.")
        if item["removed"] is not None:
            removal_hashes[item["id"]] = chain.removal_hash(item["removed"]["reason"])
    broken = chain.first_inconsistency(
        [_entry(entry) for entry in entries], item_hashes, removal_hashes
    )
    if broken:
        problems.append(f"The evidence chain is broken: {broken}.")
    return problems


def chain_entry_manifest(entry: chain.Entry) -> dict[str, Any]:
    """Return a chain entry as the manifest lists it; `_entry` reads it back exactly."""
    return {
        **chain.body_of(entry),
        "previous_hash": entry.previous_hash,
        "entry_hash": entry.entry_hash,
    }


def _entry(listed: Mapping[str, Any]) -> chain.Entry:
    return chain.Entry(
        **{**listed, "recorded_at": dt.datetime.fromisoformat(listed["recorded_at"])}
    )


def bundle_problems(source: str | Path | IO[bytes], public_key_pem: bytes) -> list[str]:
    """Return every problem with the bundle at `source`, checked with `public_key_pem`."""
    return bundle_report(source, public_key_pem).problems


def bundle_report(source: str | Path | IO[bytes], public_key_pem: bytes) -> BundleReport:
    """Check the bundle at `source` with the given public key, streaming every file."""
    try:
        fingerprint = key_fingerprint(public_key_pem)
        key = _public_key(public_key_pem)
    except ValueError as error:
        return BundleReport([str(error)], 0, 0, "")
    try:
        with zipfile.ZipFile(source) as archive:
            return _check(archive, key, fingerprint)
    except (zipfile.BadZipFile, OSError) as error:
        return BundleReport([f"The bundle cannot be opened as a ZIP file ({error})."], 0, 0, "")
    except _Unreadable as error:
        return BundleReport([str(error)], 0, 0, fingerprint)


def _check(archive: zipfile.ZipFile, key: Ed25519PublicKey, fingerprint: str) -> BundleReport:
    problems = []
    names = archive.namelist()
    problems.extend(
        f"{name} is in the bundle more than once."
        for name, count in sorted(Counter(names).items())
        if count > 1
    )
    manifest_bytes = _read_small(archive, MANIFEST)
    try:
        key.verify(_read_small(archive, SIGNATURE), manifest_bytes)
    except InvalidSignature:
        problems.append(
            f"{MANIFEST}: the signature does not verify with this public key (the manifest was "
            "changed after export, or the bundle was not signed with this key)."
        )
    manifest = _parse(manifest_bytes)
    listed = _listed_files(manifest)
    for path, expected in listed.items():
        problems.extend(_file_problems(archive, path, expected))
    problems.extend(_bundled_key_problems(archive, manifest))
    known = {*listed, MANIFEST, SIGNATURE, PUBLIC_KEY}
    problems.extend(
        f"{name} is in the bundle but not in the manifest (it was added after export)."
        for name in sorted(set(names) - known)
        if not name.endswith("/")
    )
    try:
        entries = manifest["chain"]
        problems.extend(records_problems(manifest["items"], entries))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        entries = []
        problems.append(f"{MANIFEST}: the items or chain are not in the expected form ({error!r}).")
    evidence_files = sum(1 for path in listed if path.startswith(FILES_DIR))
    return BundleReport(problems, evidence_files, len(entries), fingerprint)


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError as error:
        raise _Unreadable(f"{name} is missing: this is not a complete evidence bundle.") from error
    except (zipfile.BadZipFile, zlib.error) as error:
        raise _Unreadable(f"{name} is damaged ({error}).") from error


def _parse(manifest_bytes: bytes) -> dict:
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise _Unreadable(f"{MANIFEST} is not valid JSON ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _Unreadable(f"{MANIFEST} is not an OrderWatch evidence bundle manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _Unreadable(
            f"{MANIFEST} is in format version {manifest.get('format_version')!r}; this checker "
            f"reads version {FORMAT_VERSION}."
        )
    return manifest


def _listed_files(manifest: dict) -> dict[str, tuple[str, int]]:
    """Return each listed path with its recorded SHA-256 and size."""
    try:
        entries = [manifest["index"]] + [f for item in manifest["items"] for f in item["files"]]
        return {entry["path"]: (entry["sha256"], entry["size"]) for entry in entries}
    except (KeyError, TypeError) as error:
        raise _Unreadable(f"{MANIFEST}: the file list is not in the expected form.") from error


def _bundled_key_problems(archive: zipfile.ZipFile, manifest: dict) -> list[str]:
    """Return a problem if the convenience copy of the key is not the one that signed."""
    try:
        fingerprint = key_fingerprint(_read_small(archive, PUBLIC_KEY))
    except (ValueError, _Unreadable):
        fingerprint = None
    if fingerprint == manifest.get("signing_key_fingerprint"):
        return []
    return [
        f"{PUBLIC_KEY} is not the key that signed the manifest: use the key the service "
        "publishes, never this copy alone."
    ]


def _file_problems(archive: zipfile.ZipFile, path: str, expected: tuple[str, int]) -> list[str]:
    sha256, size = expected
    digest = hashlib.sha256()
    length = 0
    try:
        with archive.open(path) as member:
            while chunk := member.read(_READ_SIZE):
                digest.update(chunk)
                length += len(chunk)
    except KeyError:
        return [f"{path} is listed in the manifest but missing from the bundle."]
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        return [f"{path} is damaged in the ZIP ({error}): the file was changed after export."]
    problems = []
    if digest.hexdigest() != sha256:
        problems.append(
            f"{path}: SHA-256 does not match the manifest (the file was changed after export)."
        )
    if length != size:
        problems.append(f"{path}: {length} bytes, but the manifest records {size}.")
    return problems
