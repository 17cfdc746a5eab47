"""The backup's manifest: every stored file and the database dump, each with its size and
SHA-256, and the check of a backup folder against it. No Django, so a backup can be checked
anywhere (`python -m orderwatch.backup.manifest <folder>`).

Layout of a backup folder: `manifest.json`, the dump (`database.pgdump` or
`database.sqlite3`), and `files/<storage name>` for each stored file, copied as stored
(encrypted).
"""

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

FORMAT = "orderwatch-backup"
VERSION = 1
MANIFEST_NAME = "manifest.json"
FILES_FOLDER = "files"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK_SIZE = 1024 * 1024
# Storage names are made by the service (folder/uuid hex); nothing else is ever restored.
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class ManifestError(Exception):
    """The manifest is missing, unreadable or not one this version writes."""


@dataclass(frozen=True)
class Entry:
    """One file of the backup: its name (a storage name, or the dump's), size and SHA-256."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    made_at: str
    engine: str
    dump: Entry
    files: tuple[Entry, ...]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "made_at": self.made_at,
                "database": {"engine": self.engine, **_entry_dict(self.dump)},
                "files": [_entry_dict(entry) for entry in self.files],
            },
            indent=2,
        )


def _entry_dict(entry: Entry) -> dict:
    return {"name": entry.name, "size": entry.size, "sha256": entry.sha256}


def manifest_read(folder: Path) -> Manifest:
    """Return the manifest of the backup in `folder`; raise ManifestError if it is not sound."""
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ManifestError(f"{MANIFEST_NAME} is not an OrderWatch backup manifest (v1).")
        database = data["database"]
        engine = database["engine"]
        if database["name"] != DUMP_NAMES.get(engine):
            raise ManifestError(f"{MANIFEST_NAME} names an unknown database dump.")
        files = tuple(_entry(item) for item in data["files"])
        manifest = Manifest(
            made_at=str(data["made_at"]), engine=engine, dump=_entry(database), files=files
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ManifestError(f"Cannot read {MANIFEST_NAME}: {error}") from error
    if len({entry.name for entry in files}) != len(files):
        raise ManifestError(f"{MANIFEST_NAME} lists a file twice.")
    return manifest


def safe_name(name: object) -> bool:
    """Whether `name` is a storage name the service could have made (no way out of a folder)."""
    return isinstance(name, str) and bool(_SAFE_NAME.fullmatch(name)) and ".." not in name


def _entry(data: dict) -> Entry:
    name, size, sha256 = data["name"], data["size"], data["sha256"]
    if not safe_name(name):
        raise ValueError(f"unsafe file name {name!r}")
    if not isinstance(size, int) or size < 0 or not _SHA256.fullmatch(str(sha256)):
        raise ValueError(f"bad size or SHA-256 for {name!r}")
    return Entry(name=name, size=size, sha256=sha256)


def stored_file_path(folder: Path, name: str) -> Path:
    """Return where the backup in `folder` keeps the stored file `name`."""
    return folder / FILES_FOLDER / name


def backup_problems(folder: Path, manifest: Manifest) -> list[str]:
    """Return what does not match the manifest: a file missing, or of another size or hash."""
    expected = [(folder / manifest.dump.name, manifest.dump)]
    expected += [(stored_file_path(folder, e.name), e) for e in manifest.files]
    problems = []
    for path, entry in expected:
        try:
            found = file_entry(path, name=entry.name)
        except FileNotFoundError:
            problems.append(f"{entry.name}: missing")
            continue
        if found != entry:
            problems.append(f"{entry.name}: does not match its size and SHA-256 in the manifest")
    return problems


def file_entry(path: Path, *, name: str) -> Entry:
    """Return the entry for the file at `path`, reading it in chunks."""
    with path.open("rb") as handle:
        return chunks_entry(iter(partial(handle.read, CHUNK_SIZE), b""), name=name)


def chunks_entry(chunks: Iterable[bytes], *, name: str) -> Entry:
    """Return the entry for a file read as `chunks`."""
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return Entry(name=name, size=size, sha256=digest.hexdigest())


def copy_with_entry(chunks: Iterable[bytes], path: Path, *, name: str) -> Entry:
    """Write `chunks` to a new file at `path`, synced to disk; return its entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with path.open("xb") as handle:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    return Entry(name=name, size=size, sha256=digest.hexdigest())


def main(argv: list[str]) -> int:
    """Check the backup folder named in `argv` against its manifest; 0 when it matches."""
    if len(argv) != 1:
        sys.stderr.write("usage: python -m orderwatch.backup.manifest <backup folder>\n")
        return 2
    folder = Path(argv[0])
    try:
        problems = backup_problems(folder, manifest_read(folder))
    except ManifestError as error:
        problems = [str(error)]
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if not problems:
        sys.stdout.write("The backup matches its manifest.\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
