"""Reads over stored files: records whose file is missing, and files that no longer match."""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.files.storage import Storage, default_storage

from orderwatch.confidential.files import encrypted_file_problem
from orderwatch.confidential.stored_files import STORED_FILES, StoredFileKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileProblem:
    """What is wrong with one record's file; `record` is its id, never anything personal."""

    label: str
    record: str
    problem: str

    def __str__(self) -> str:
        return f"{self.label} {self.record}: {self.problem}"


def stored_files_missing(
    *, kinds: Iterable[StoredFileKind] = STORED_FILES, storage: Storage | None = None
) -> list[FileProblem]:
    """Return every record whose file is not in storage, logging each as an error (by id)."""
    storage = storage or default_storage
    missing = []
    for kind in kinds:
        rows = kind.rows().order_by("pk").values_list("pk", kind.name_field)
        for pk, name in rows.iterator():
            if not storage.exists(name):
                missing.append(FileProblem(kind.label, str(pk), "the file is missing"))
                logger.error("Stored file missing: %s %s", kind.label, pk)
    return missing


def stored_file_problems(
    *, kinds: Iterable[StoredFileKind] = STORED_FILES, storage: Storage | None = None
) -> Iterator[FileProblem]:
    """Re-read, decrypt and hash every record's file, streamed; yield each one that is missing,
    altered or does not match the SHA-256 recorded for it."""
    for kind in kinds:
        rows = kind.rows().order_by("created_at", "pk")
        for pk, name, sha256 in rows.values_list(
            "pk", kind.name_field, kind.sha256_field
        ).iterator():
            problem = encrypted_file_problem(name=name, sha256=sha256, storage=storage)
            if problem is not None:
                yield FileProblem(kind.label, str(pk), problem)
