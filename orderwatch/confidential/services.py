"""The orphan sweep: stored files no record names, and files left part-written, removed once
they are a day old; records whose file is missing reported."""

import datetime as dt
import logging
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from orderwatch.confidential.files import PARTIAL_FOLDER
from orderwatch.confidential.selectors import FileProblem, stored_files_missing
from orderwatch.confidential.stored_files import STORED_FILES

logger = logging.getLogger(__name__)
# A file is stored before its record's transaction commits, and a slow upload can take a while
# to be recorded: nothing younger than this is ever swept.
ORPHAN_AGE = dt.timedelta(days=1)
_BATCH = 500


@dataclass
class SweepReport:
    """What the sweep found: names removed (random, never personal), files kept because they
    are younger than a day, and records whose file is missing."""

    removed: list[str] = field(default_factory=list)
    young: int = 0
    missing: list[FileProblem] = field(default_factory=list)


def stored_files_sweep(
    *, storage: Storage | None = None, now: dt.datetime | None = None, remove: bool = True
) -> SweepReport:
    """Remove stored files older than a day that no record names (and part-written files), then
    report every record whose file is missing; with `remove=False`, only report.

    Safe to re-run, or to run twice at once. A file is kept if any row names it, and only rows
    whose bytes should still exist count (a removed evidence file's bytes are due to go).
    """
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - ORPHAN_AGE
    report = SweepReport()
    for kind in STORED_FILES:
        old = _old_files(storage, kind.folder, cutoff, report)
        for batch in (old[start : start + _BATCH] for start in range(0, len(old), _BATCH)):
            named = set(
                kind.rows()
                .filter(**{f"{kind.name_field}__in": batch})
                .values_list(kind.name_field, flat=True)
            )
            report.removed += [name for name in batch if name not in named]
    report.removed += _old_files(storage, PARTIAL_FOLDER, cutoff, report)
    if remove:
        for name in report.removed:
            storage.delete(name)
    logger.info(
        "Stored files sweep: %d orphaned or part-written file(s) %s, %d younger than a day kept",
        len(report.removed),
        "removed" if remove else "found",
        report.young,
    )
    report.missing = stored_files_missing(storage=storage)
    return report


def _old_files(
    storage: Storage, folder: str, cutoff: dt.datetime, report: SweepReport
) -> list[str]:
    """Return the files under `folder` last written before `cutoff`; count the younger ones."""
    old = []
    for name in _files_under(storage, folder):
        try:
            written = storage.get_modified_time(name)
        except FileNotFoundError:
            continue  # removed meanwhile (another sweep, a removal, a rename into place)
        if written < cutoff:
            old.append(name)
        else:
            report.young += 1
    return old


def _files_under(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return  # nothing stored there yet (object storage lists an empty folder instead)
    for name in files:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from _files_under(storage, posixpath.join(folder, sub))
