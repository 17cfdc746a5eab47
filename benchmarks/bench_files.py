"""Time an evidence upload against `sha256sum`, and an evidence bundle against `zip -6`, on the
same files; a benchmark, not a test.

Run with `python -m benchmarks.bench_files [--upload-mib 256] [--photos 200]`. The upload goes
through the real request parsing (Django's multipart parser with the evidence upload handlers)
and into encrypted storage in a temporary folder; the bundle is built as the export builds it
(index PDF, ZIP of the decrypted originals, the signed manifest, then the self-check). The aims:
the upload at 0.7x or more of `sha256sum`'s throughput with flat memory, the bundle within 2x of
`zip -6`.
"""

import argparse
import dataclasses
import hashlib
import io
import logging
import os
import resource
import secrets
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

MIB = 1024 * 1024
REPEATS = 3
BOUNDARY = "----OrderWatchBenchBoundary"
PDF_HEAD = b"%PDF-1.7\n"  # sniffed as a PDF, an allowed evidence type
JPEG_HEAD = b"\xff\xd8\xff\xe0"
EXPORTED_AT = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)


def _setup_django(media: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django
    from django.conf import settings

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress, page by page
    settings.MEDIA_ROOT = media
    settings.ORDERWATCH_EVIDENCE_MAX_BYTES = 64 * 1024 * MIB


def _say(line: str) -> None:
    print(line, flush=True)  # noqa: T201 (the benchmark's output)


def _random_file(path: Path, size: int, head: bytes) -> None:
    with path.open("wb") as out:
        out.write(head)
        left = size - len(head)
        while left > 0:
            block = secrets.token_bytes(min(4 * MIB, left))
            out.write(block)
            left -= len(block)


def _best(work, repeats: int = REPEATS) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


class _Body(io.RawIOBase):
    """A multipart request body read from `path` as a server would pass it on: form fields,
    then the file, never held in memory whole."""

    def __init__(self, path: Path):
        super().__init__()
        head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="files"; filename="video.pdf"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(head) + path.stat().st_size + len(tail)
        self._parts = [io.BytesIO(head), path.open("rb"), io.BytesIO(tail)]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._parts:
            read = self._parts[0].readinto(buffer)
            if read:
                return read
            self._parts.pop(0).close()
        return 0


def _upload(path: Path) -> None:
    """Post `path` through the evidence upload path and store it, as `evidence_item_add` does."""
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIRequest

    from orderwatch.confidential.files import encrypted_file_delete, encrypted_file_store
    from orderwatch.evidence.services import EVIDENCE_TYPES, FOLDER
    from orderwatch.evidence.uploads import evidence_upload_handlers

    body = _Body(path)
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "wsgi.input": body,
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(body.length),
        }
    )
    limit = evidence_upload_handlers(request)
    upload = request.FILES["files"]
    assert not limit.too_large  # noqa: S101
    assert not limit.unfinished  # noqa: S101
    stored = encrypted_file_store(
        source=upload,
        folder=FOLDER,
        allowed_types=EVIDENCE_TYPES,
        max_bytes=settings.ORDERWATCH_EVIDENCE_MAX_BYTES,
    )
    request.close()
    encrypted_file_delete(name=stored.name)


def _hashlib_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(MIB):
            digest.update(block)
    return digest.hexdigest()


def bench_upload(work: Path, size: int) -> None:
    path = work / "upload.pdf"
    _random_file(path, size, PDF_HEAD)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    _upload(path)  # first, so the process's peak RSS is not already set by an earlier run
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    sha = _best(lambda: subprocess.run(["sha256sum", str(path)], check=True, capture_output=True))  # noqa: S603, S607
    hashlib_sha = _best(lambda: _hashlib_sha256(path))
    upload = _best(lambda: _upload(path))
    mib = size / MIB
    _say(f"Upload of {mib:g} MiB (best of {REPEATS}):")
    _say(f"  sha256sum       {sha:7.2f} s  {mib / sha:8.0f} MiB/s")
    _say(f"  hashlib.sha256  {hashlib_sha:7.2f} s  {mib / hashlib_sha:8.0f} MiB/s  (for reference)")
    _say(f"  evidence upload {upload:7.2f} s  {mib / upload:8.0f} MiB/s")
    _say(f"  upload throughput is {sha / upload:.2f}x sha256sum's (aim: 0.7x or more)")
    _say(f"  peak Python memory {peak / MIB:.1f} MiB; peak RSS grew {rss_growth / 1024:.1f} MiB")
    path.unlink()


def _case():
    from orderwatch.evidence.bundle import BundleCase

    return BundleCase(
        reference="OW-2026-0042", exported_at=EXPORTED_AT, exported_by_display="Pat Lead"
    )


def _index_pdf(items: list, chain_entries: list, chronology: list) -> bytes:
    from orderwatch.evidence.bundle_index import bundle_index_pdf

    return bundle_index_pdf(
        case=_case(), items=items, chain_entries=chain_entries, chronology=chronology
    )


def _bundle(items: list, chain_entries: list, chronology: list, out: Path) -> None:
    """Build the bundle as `bundle_build` does: the index, the ZIP, then its own check."""
    from orderwatch.evidence.bundle import bundle_write
    from orderwatch.evidence.bundle_check import bundle_problems
    from orderwatch.evidence.signing import public_key_pem

    index_pdf = _index_pdf(items, chain_entries, chronology)
    with out.open("w+b") as handle:
        bundle_write(
            handle,
            case=_case(),
            items=items,
            chain_entries=chain_entries,
            chronology=chronology,
            index_pdf=index_pdf,
        )
        handle.seek(0)
        problems = bundle_problems(handle, public_key_pem())
    assert not problems, problems  # noqa: S101


def _bundle_records(folder: Path, count: int) -> tuple[list, list, list]:
    """Store `count` photos encrypted, as intake does; return the bundle's items, chain and
    chronology for them."""
    from orderwatch.confidential.files import encrypted_file_chunks, encrypted_file_store
    from orderwatch.evidence import chain
    from orderwatch.evidence.bundle import BundleFile, BundleItem, ChronologyEntry
    from orderwatch.evidence.services import EVIDENCE_TYPES

    items, entries, chronology, previous = [], [], [], chain.GENESIS_HASH
    start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    for n in range(1, count + 1):
        path = folder / f"IMG_{n:04d}.jpg"
        with path.open("rb") as handle:
            stored = encrypted_file_store(
                source=iter(partial(handle.read, MIB), b""),
                folder="evidence",
                allowed_types=EVIDENCE_TYPES,
                max_bytes=64 * MIB,
            )
        file = BundleFile(
            id=f"file-{n}",
            original_name=path.name,
            sha256=stored.sha256,
            size=stored.size,
            content_type=stored.content_type,
            chunks=partial(encrypted_file_chunks, name=stored.name),
        )
        at = start + timedelta(hours=n)
        content = chain.ItemContent(
            kind="photo",
            occurrence={"precision": "day", "on": at.date().isoformat(), "at": None, "until": None},
            description=f"Photo {n} of the car parked outside the school gates at pick-up time.",
            author_kind="practitioner",
            corrects=None,
            file_hashes=[stored.sha256],
        )
        item = BundleItem(
            id=f"00000000-0000-4000-8000-{n:012d}",
            kind_label="Photo",
            happened_label=f"{at:%-d %B %Y}",
            recorded_at=at,
            author_label="Pat Lead, Test IDVA Service",
            content=content,
            item_hash=chain.item_hash(content),
            files=(file,),
        )
        entry = chain.Entry(
            sequence=n,
            kind=chain.ADDED,
            item_id=item.id,
            item_hash=item.item_hash,
            removal_hash="",
            previous_hash=previous,
            recorded_at=at,
            author_id="7d1c9a30-5b2e-4f11-9c3a-000000000001",
            entry_hash="",
        )
        previous = chain.entry_hash(previous, chain.body_of(entry))
        entries.append(dataclasses.replace(entry, entry_hash=previous))
        items.append(item)
        chronology.append(ChronologyEntry(item.happened_label, f"Photo {n} added as evidence"))
    return items, entries, chronology


def bench_bundle(work: Path, count: int) -> None:
    folder = work / "photos"
    folder.mkdir()
    for n in range(1, count + 1):
        _random_file(folder / f"IMG_{n:04d}.jpg", MIB, JPEG_HEAD)
    items, entries, chronology = _bundle_records(folder, count)
    out = work / "bundle.zip"

    def zip_level(level: int) -> None:
        (work / "photos.zip").unlink(missing_ok=True)
        subprocess.run(  # noqa: S603
            ["zip", "-q", f"-{level}", "-r", str(work / "photos.zip"), "photos"],  # noqa: S607
            cwd=work,
            check=True,
        )

    zip6, zip0 = _best(lambda: zip_level(6)), _best(lambda: zip_level(0))
    index = _best(lambda: _index_pdf(items, entries, chronology))
    bundle = _best(lambda: _bundle(items, entries, chronology, out))
    _say(f"Bundle of {count} x 1 MiB photos (best of {REPEATS}):")
    _say(f"  zip -0          {zip0:7.2f} s")
    _say(f"  zip -6          {zip6:7.2f} s")
    _say(f"  evidence bundle {bundle:7.2f} s  (index PDF alone {index:.2f} s)")
    _say(f"  bundle time is {bundle / zip6:.2f}x zip -6's (aim: 2x or less)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upload-mib", type=int, default=256, help="size of the upload")
    parser.add_argument("--photos", type=int, default=200, help="1 MiB photos in the bundle")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="orderwatch-bench-files-"))
    try:
        _setup_django(work / "media")
        if arguments.upload_mib:
            bench_upload(work, arguments.upload_mib * MIB)
        if arguments.photos:
            bench_bundle(work, arguments.photos)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
