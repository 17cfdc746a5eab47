"""Backing up the database and the stored files so that they agree, and restoring a backup
into an empty database and storage (ADR 0020)."""

import os
import shutil
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from orderwatch.backup.database import (
    BackupError,
    database_dump,
    database_engine,
    database_file_names,
    database_is_empty,
    database_load,
)
from orderwatch.backup.manifest import (
    CHUNK_SIZE,
    DUMP_NAMES,
    FILES_FOLDER,
    MANIFEST_NAME,
    Entry,
    Manifest,
    ManifestError,
    backup_problems,
    chunks_entry,
    copy_with_entry,
    file_entry,
    manifest_read,
    safe_name,
    stored_file_path,
)

# A stored file deleted between the dump's snapshot and its copy (an expired document, a
# removed evidence item, a key rotation's old copy) makes the whole backup start again.
ATTEMPTS = 3


@dataclass(frozen=True)
class BackupMade:
    manifest: Manifest
    manifest_sha256: str


def backup_make(*, destination: Path, storage: Storage | None = None) -> BackupMade:
    """Write a backup into `destination` (new, or an empty folder): a dump of the database
    taken in one snapshot, every stored file that snapshot refers to, and the manifest.

    The files are copied after the snapshot. Stored files are written once under new random
    names, so each one the dump names is still there, unless it was deleted since; then the
    backup starts again. No key is read or written: the files are copied still encrypted.
    """
    storage = default_storage if storage is None else storage
    engine = database_engine()
    _destination_prepare(destination)
    try:
        return _backup_write(destination, engine=engine, storage=storage)
    except BaseException:
        _destination_clear(destination)  # no half backup (the dump holds personal data) is left
        raise


def _backup_write(destination: Path, *, engine: str, storage: Storage) -> BackupMade:
    dump_path = destination / DUMP_NAMES[engine]
    for _attempt in range(ATTEMPTS):
        made_at = timezone.now().isoformat()
        names = database_dump(dump_path)
        unsafe = sorted(name for name in names if not safe_name(name))
        if unsafe:
            raise BackupError(f"The database names stored files it could not have made: {unsafe}")
        copied, missing = _files_copy(names, destination=destination, storage=storage)
        if not missing:
            manifest = Manifest(
                made_at=made_at,
                engine=engine,
                dump=file_entry(dump_path, name=dump_path.name),
                files=tuple(copied),
            )
            return BackupMade(
                manifest=manifest, manifest_sha256=_manifest_write(destination, manifest)
            )
        lost = missing & database_file_names()
        if lost:
            raise BackupError(
                f"{len(lost)} stored file(s) the database refers to are not in storage, so no "
                f"backup was made: {', '.join(sorted(lost))}"
            )
        _destination_clear(destination)
    raise BackupError(
        f"Stored files were deleted during each of {ATTEMPTS} attempts, so no backup was made; "
        "run it again."
    )


def backup_restore(*, folder: Path, storage: Storage | None = None) -> Manifest:
    """Restore the backup in `folder` into this empty database and empty storage.

    Every file is checked against the manifest first; a backup that does not match, or a
    database or storage that is not empty, is refused before anything changes. Restored
    files are read back and checked again; if anything fails, the files put into storage are
    removed (PostgreSQL loads the dump in one transaction, so nothing of it stays).
    """
    storage = default_storage if storage is None else storage
    try:
        manifest = manifest_read(folder)
    except ManifestError as error:
        raise BackupError(f"{error} Nothing was restored.") from error
    engine = database_engine()
    if manifest.engine != engine:
        raise BackupError(
            f"This backup is of a {manifest.engine} database, and this service uses {engine}. "
            "Nothing was restored."
        )
    problems = backup_problems(folder, manifest)
    if problems:
        raise BackupError(
            "The backup does not match its manifest, so nothing was restored:\n  "
            + "\n  ".join(problems)
        )
    if not database_is_empty():
        raise BackupError(
            "The database is not empty (it has tables), so nothing was restored. Restore into "
            "a new, empty database: do not run migrate on it first."
        )
    if not _storage_is_empty(storage):
        raise BackupError(
            "The file storage is not empty, so nothing was restored. Restore into new, empty "
            "storage (an empty MEDIA_ROOT or bucket)."
        )
    restored: list[str] = []
    try:
        for entry in manifest.files:
            _file_restore(folder, entry, storage=storage, restored=restored)
        dump_path = folder / manifest.dump.name
        if file_entry(dump_path, name=manifest.dump.name) != manifest.dump:
            raise BackupError("The database dump changed while restoring; nothing was restored.")
        database_load(dump_path)
    except BaseException:
        for name in restored:
            storage.delete(name)
        raise
    return manifest


def _destination_prepare(destination: Path) -> None:
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupError(f"{destination} is not an empty folder: choose a new one.")
    destination.mkdir(mode=0o700, parents=True, exist_ok=True)
    destination.chmod(0o700)


def _destination_clear(destination: Path) -> None:
    """Remove what the backup wrote into `destination` (it was empty before)."""
    for name in (*DUMP_NAMES.values(), f"{MANIFEST_NAME}.partial", MANIFEST_NAME):
        (destination / name).unlink(missing_ok=True)
    shutil.rmtree(destination / FILES_FOLDER, ignore_errors=True)


def _files_copy(
    names: set[str], *, destination: Path, storage: Storage
) -> tuple[list[Entry], set[str]]:
    """Copy each stored file into the backup as stored; return the copies and the missing."""
    copied, missing = [], set()
    for name in sorted(names):
        try:
            with storage.open(name, "rb") as handle:
                chunks = iter(partial(handle.read, CHUNK_SIZE), b"")
                path = stored_file_path(destination, name)
                copied.append(copy_with_entry(chunks, path, name=name))
        except FileNotFoundError:
            missing.add(name)
    return copied, missing


def _manifest_write(destination: Path, manifest: Manifest) -> str:
    """Write the manifest last, under a temporary name renamed into place: a folder with a
    manifest holds a whole backup. Return the manifest's SHA-256."""
    pending = destination / f"{MANIFEST_NAME}.partial"
    entry = copy_with_entry([manifest.to_json().encode()], pending, name=MANIFEST_NAME)
    os.replace(pending, destination / MANIFEST_NAME)
    return entry.sha256


def _storage_is_empty(storage: Storage) -> bool:
    try:
        folders, files = storage.listdir("")
    except FileNotFoundError:
        return True
    return not folders and not files


def _file_restore(folder: Path, entry: Entry, *, storage: Storage, restored: list[str]) -> None:
    """Put a file of the backup into storage under its own name, and check it there."""
    with stored_file_path(folder, entry.name).open("rb") as handle:
        saved = storage.save(entry.name, File(handle, name=entry.name))
    restored.append(saved)
    if saved != entry.name:
        raise BackupError(f"Storage kept {entry.name} under another name; nothing was restored.")
    with storage.open(saved, "rb") as handle:
        found = chunks_entry(iter(partial(handle.read, CHUNK_SIZE), b""), name=saved)
    if found != entry:
        raise BackupError(f"{entry.name} did not read back as saved; nothing was restored.")
