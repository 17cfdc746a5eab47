import errno
import hashlib
import os
import random
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from orderwatch.confidential.files import (
    CHUNK_SIZE,
    EncryptedFileWriter,
    FileIntegrityError,
    FileRejected,
    encrypted_file_chunks,
    encrypted_file_delete,
    encrypted_file_rewrap,
    encrypted_file_store,
    encrypted_file_verified_chunks,
)
from orderwatch.confidential.tests.full_disk import disk_fills_after

DOCUMENTS = {"application/pdf", "image/jpeg", "image/png"}
MARKER = b"Order made at Hidden Town Family Court on behalf of the applicant. "
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + MARKER + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + MARKER
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + MARKER + b"\xff\xd9"
)
SEALED_CHUNK = CHUNK_SIZE + 16


@pytest.fixture
def storage(tmp_path: Path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path / "media")


def _store(storage, source, *, allowed=DOCUMENTS, max_bytes=20 * 1024 * 1024):
    return encrypted_file_store(
        source=source, folder="orders", allowed_types=allowed, max_bytes=max_bytes, storage=storage
    )


def _read(storage, name: str) -> bytes:
    return b"".join(encrypted_file_chunks(name=name, storage=storage))


def _raw(storage, name: str) -> bytes:
    return Path(storage.path(name)).read_bytes()


def _overwrite(storage, name: str, data: bytes) -> None:
    Path(storage.path(name)).write_bytes(data)


def _stored_names(storage) -> list[str]:
    return storage.listdir("orders")[1] if storage.exists("orders") else []


def _multi_chunk_pdf() -> bytes:
    return (PDF + MARKER * (3 * CHUNK_SIZE // len(MARKER) + 20))[: 3 * CHUNK_SIZE + 1000]


def _split(raw: bytes) -> tuple[bytes, list[bytes]]:
    header_size = 7 + int.from_bytes(raw[5:7], "big") + 8
    body = raw[header_size:]
    return raw[:header_size], [
        body[i : i + SEALED_CHUNK] for i in range(0, len(body), SEALED_CHUNK)
    ]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_each_allowed_type_round_trips_with_its_size_and_sha256(storage, content, content_type):
    stored = _store(storage, [content[:10], content[10:]])
    assert stored.content_type == content_type
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert _read(storage, stored.name) == content


def test_stored_bytes_do_not_contain_the_plaintext(storage):
    content = _multi_chunk_pdf()
    stored = _store(storage, [content])
    raw = _raw(storage, stored.name)
    assert MARKER not in raw
    assert content[:16] not in raw
    assert len(raw) > len(content)


def test_type_is_sniffed_and_name_is_random_whatever_the_client_claims(storage):
    upload = SimpleUploadedFile("Jane Doe order.png", PDF, content_type="image/png")
    stored = _store(storage, upload)
    assert stored.content_type == "application/pdf"
    folder, file_name = stored.name.split("/")
    assert folder == "orders"
    assert len(file_name) == 32
    assert "Jane" not in stored.name
    assert "png" not in stored.name


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("order.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + MARKER, "application/pdf"),
        SimpleUploadedFile("order.pdf", b"<!DOCTYPE html><html>" + MARKER, "application/pdf"),
        SimpleUploadedFile("order.pdf", b"%PD", "application/pdf"),
    ],
    ids=["windows-executable", "html-named-pdf", "shorter-than-a-signature"],
)
def test_a_file_of_another_type_is_refused_with_the_types_allowed(storage, upload):
    with pytest.raises(FileRejected) as refused:
        _store(storage, upload)
    assert refused.value.message == "The selected file must be a PDF, JPG or PNG"
    assert refused.value.code == "file_type"
    assert _stored_names(storage) == []


def test_the_message_uses_the_labels_given(storage):
    with pytest.raises(FileRejected) as refused:
        _store(storage, [PNG], allowed={"application/pdf": "PDF"})
    assert refused.value.message == "The selected file must be a PDF"


@pytest.mark.parametrize(
    "source", [[], [b"", b""], SimpleUploadedFile("order.pdf", b"", "application/pdf")]
)
def test_an_empty_file_is_refused(storage, source):
    with pytest.raises(FileRejected) as refused:
        _store(storage, source)
    assert refused.value.message == "The selected file is empty"
    assert _stored_names(storage) == []


def test_a_file_over_the_limit_is_refused_without_reading_the_rest(storage):
    read = []

    def pieces() -> Iterator[bytes]:
        for number in range(1000):
            read.append(number)
            yield (PDF + bytes(1024))[:1024]

    with pytest.raises(FileRejected) as refused:
        _store(storage, pieces(), max_bytes=20 * 1024 * 1024 // 1000)
    assert refused.value.message == "The selected file must be smaller than 20.4 KB"
    assert refused.value.code == "file_too_large"
    assert len(read) == 21
    assert _stored_names(storage) == []


def test_the_size_limit_reads_in_whole_units(storage):
    with pytest.raises(FileRejected) as refused:
        _store(storage, [PDF, *[bytes(1024 * 1024)] * 20])
    assert refused.value.message == "The selected file must be smaller than 20 MB"


def test_a_file_exactly_at_the_limit_is_accepted(storage):
    stored = _store(storage, [PDF], max_bytes=len(PDF))
    assert _read(storage, stored.name) == PDF


def test_an_allowed_type_without_a_signature_is_a_programming_error(storage):
    with pytest.raises(ValueError, match="text/plain"):
        _store(storage, [PDF], allowed={"application/pdf", "text/plain"})


def test_flipping_any_byte_of_a_small_file_is_detected(storage):
    stored = _store(storage, [PDF])
    raw = _raw(storage, stored.name)
    for position in range(len(raw)):
        tampered = bytearray(raw)
        tampered[position] ^= 0x01
        _overwrite(storage, stored.name, bytes(tampered))
        with pytest.raises(FileIntegrityError):
            _read(storage, stored.name)


def test_flipping_a_byte_in_any_chunk_of_a_large_file_is_detected(storage):
    stored = _store(storage, [_multi_chunk_pdf()])
    raw = _raw(storage, stored.name)
    header, chunks = _split(raw)
    assert len(chunks) == 4
    for number in range(len(chunks)):
        start = len(header) + number * SEALED_CHUNK
        for position in (start, start + 1000, start + len(chunks[number]) - 1):
            tampered = bytearray(raw)
            tampered[position] ^= 0x80
            _overwrite(storage, stored.name, bytes(tampered))
            with pytest.raises(FileIntegrityError):
                _read(storage, stored.name)


def _rearranged(header: bytes, chunks: list[bytes]) -> dict[str, bytes]:
    first, second, third, last = chunks
    return {
        "last-chunk-cut-short": header + first + second + third + last[:-1],
        "last-chunk-dropped": header + first + second + third,
        "middle-chunk-dropped": header + first + third + last,
        "two-chunks-swapped": header + second + first + third + last,
        "chunk-appended": header + first + second + third + last + last,
        "header-only": header,
        "header-cut-short": header[:-1],
    }


@pytest.mark.parametrize(
    "case",
    [
        "last-chunk-cut-short",
        "last-chunk-dropped",
        "middle-chunk-dropped",
        "two-chunks-swapped",
        "chunk-appended",
        "header-only",
        "header-cut-short",
    ],
)
def test_truncated_reordered_or_extended_files_are_detected(storage, case):
    stored = _store(storage, [_multi_chunk_pdf()])
    header, chunks = _split(_raw(storage, stored.name))
    _overwrite(storage, stored.name, _rearranged(header, chunks)[case])
    with pytest.raises(FileIntegrityError):
        _read(storage, stored.name)


def test_chunks_from_another_file_are_detected(storage):
    content = _multi_chunk_pdf()
    one, other = _store(storage, [content]), _store(storage, [content])
    header, _ = _split(_raw(storage, one.name))
    _, other_chunks = _split(_raw(storage, other.name))
    _overwrite(storage, one.name, header + b"".join(other_chunks))
    with pytest.raises(FileIntegrityError):
        _read(storage, one.name)


def test_a_file_not_in_this_format_is_refused(storage):
    storage.save("orders/plain.pdf", SimpleUploadedFile("plain.pdf", PDF))
    with pytest.raises(FileIntegrityError):
        encrypted_file_chunks(name="orders/plain.pdf", storage=storage)


def test_an_unknown_key_is_refused_before_any_chunk_is_read(storage, settings):
    stored = _store(storage, [PDF])
    settings.ORDERWATCH_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(FileIntegrityError):
        encrypted_file_chunks(name=stored.name, storage=storage)


def test_old_key_still_reads_and_rewrap_moves_the_file_to_the_new_key(storage, settings):
    content = _multi_chunk_pdf()
    old_key, new_key = settings.ORDERWATCH_FIELD_KEYS[0], Fernet.generate_key().decode()
    stored = _store(storage, [content])

    settings.ORDERWATCH_FIELD_KEYS = [new_key, old_key]
    assert _read(storage, stored.name) == content
    rewrapped = encrypted_file_rewrap(name=stored.name, storage=storage)
    assert rewrapped.name != stored.name
    assert rewrapped.name.startswith("orders/")
    assert (rewrapped.size, rewrapped.sha256, rewrapped.content_type) == (
        stored.size,
        stored.sha256,
        stored.content_type,
    )

    settings.ORDERWATCH_FIELD_KEYS = [new_key]
    assert _read(storage, rewrapped.name) == content
    with pytest.raises(FileIntegrityError):
        _read(storage, stored.name)


def test_rewrap_refuses_a_damaged_file_and_stores_nothing(storage):
    stored = _store(storage, [_multi_chunk_pdf()])
    raw = bytearray(_raw(storage, stored.name))
    raw[-1] ^= 0x01
    _overwrite(storage, stored.name, bytes(raw))
    with pytest.raises(FileIntegrityError):
        encrypted_file_rewrap(name=stored.name, storage=storage)
    assert _stored_names(storage) == [stored.name.split("/")[1]]


def test_delete_removes_the_stored_file(storage):
    stored = _store(storage, [PDF])
    encrypted_file_delete(name=stored.name, storage=storage)
    assert not storage.exists(stored.name)


def test_default_storage_is_used_when_none_is_given(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    stored = encrypted_file_store(
        source=[PDF], folder="orders", allowed_types=DOCUMENTS, max_bytes=len(PDF)
    )
    assert (tmp_path / stored.name).is_file()
    assert b"".join(encrypted_file_chunks(name=stored.name)) == PDF
    encrypted_file_delete(name=stored.name)
    assert not (tmp_path / stored.name).exists()


def test_chunks_stream_through_a_django_response(storage):
    content = _multi_chunk_pdf()
    stored = _store(storage, [content])
    response = StreamingHttpResponse(
        encrypted_file_chunks(name=stored.name, storage=storage), content_type="application/pdf"
    )
    assert b"".join(response.streaming_content) == content


def test_storing_and_streaming_64_mb_keeps_memory_bounded(storage):
    block = bytes(range(256)) * (CHUNK_SIZE // 256)
    total = 64 * 1024 * 1024

    def pieces() -> Iterator[bytes]:
        yield PDF
        for _ in range((total - len(PDF)) // CHUNK_SIZE):
            yield block
        yield block[: (total - len(PDF)) % CHUNK_SIZE]

    tracemalloc.start()
    try:
        stored = _store(storage, pieces(), max_bytes=total)
        digest, size = hashlib.sha256(), 0
        for chunk in encrypted_file_chunks(name=stored.name, storage=storage):
            digest.update(chunk)
            size += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.size == size == total
    assert digest.hexdigest() == stored.sha256
    assert peak < 8 * 1024 * 1024


_AROUND_CHUNK_BOUNDARIES = st.builds(
    lambda chunks, offset: max(len(PDF), chunks * CHUNK_SIZE + offset),
    st.integers(0, 3),
    st.integers(-2, 2),
) | st.integers(len(PDF), 3 * CHUNK_SIZE)


# The storage fixture is shared by the examples on purpose: each stores under a new name.
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    length=_AROUND_CHUNK_BOUNDARIES,
    piece_size=st.integers(1, 2 * CHUNK_SIZE + 1),
    seed=st.integers(0, 2**32),
)
def test_any_length_split_any_way_round_trips(storage, length, piece_size, seed):
    content = (PDF + random.Random(seed).randbytes(length))[:length]  # noqa: S311
    pieces = [content[i : i + piece_size] for i in range(0, length, piece_size)]
    stored = _store(storage, pieces)
    assert stored.size == length
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert _read(storage, stored.name) == content
    _, chunks = _split(_raw(storage, stored.name))
    assert len(chunks) == max(1, -(-length // CHUNK_SIZE))


EVIDENCE_TYPES = {
    "image/gif",
    "image/webp",
    "image/heic",
    "audio/mpeg",
    "audio/mp4",
    "audio/wav",
    "audio/ogg",
    "video/quicktime",
    "video/mp4",
    "video/webm",
}


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"GIF87a\x01\x00\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "image/heic"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00", "image/heic"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
        (b"\xff\xfb\x90\x64\x00\x00\x00\x00", "audio/mpeg"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "audio/mp4"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"OggS\x00\x02\x00\x00\x00\x00", "audio/ogg"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "video/quicktime"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "video/mp4"),
        (b"\x00\x00\x00\x1cftypmp42\x00\x00\x00\x00", "video/mp4"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42", "video/webm"),
    ],
)
def test_evidence_types_are_recognised_by_their_first_bytes(storage, head, content_type):
    stored = _store(storage, [head + MARKER], allowed=EVIDENCE_TYPES)
    assert stored.content_type == content_type


@pytest.mark.parametrize(
    "head",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00",  # Windows executable
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00",  # Linux executable
        b"RIFF\x24\x00\x00\x00AVI LIST",  # RIFF, but neither WebP nor WAV
        b"\xff\xd9\x00\x00\x00\x00\x00\x00",  # not an MP3 frame header
        b"PK\x03\x04\x14\x00\x00\x00\x00\x00",  # a zip archive
    ],
    ids=["exe", "elf", "avi", "not-mp3", "zip"],
)
def test_other_files_are_refused_as_evidence(storage, head):
    with pytest.raises(FileRejected, match="must be a GIF, WebP, HEIC, MP3"):
        _store(storage, [head + MARKER], allowed=EVIDENCE_TYPES)
    assert _stored_names(storage) == []


def test_order_copies_still_accept_only_pdf_jpg_and_png(storage):
    with pytest.raises(FileRejected, match="must be a PDF, JPG or PNG"):
        _store(storage, [b"\x00\x00\x00\x20ftypisom" + MARKER])


def test_a_file_swapped_for_another_is_never_handed_over_whole(storage):
    original = PDF + bytes(3 * CHUNK_SIZE)
    other = PDF + b"\x01" * (3 * CHUNK_SIZE)
    kept, swapped_in = _store(storage, [original]), _store(storage, [other])
    # Both are sealed properly, so each decrypts; only the recorded SHA-256 tells them apart.
    _overwrite(storage, kept.name, _raw(storage, swapped_in.name))
    given_out = []
    with pytest.raises(FileIntegrityError):
        given_out.extend(
            encrypted_file_verified_chunks(name=kept.name, sha256=kept.sha256, storage=storage)
        )
    assert len(b"".join(given_out)) < len(other)
    intact = _store(storage, [original])
    assert (
        b"".join(
            encrypted_file_verified_chunks(name=intact.name, sha256=intact.sha256, storage=storage)
        )
        == original
    )


def _all_files(storage) -> list[Path]:
    return sorted(p for p in Path(storage.location).rglob("*") if p.is_file())


def test_a_source_that_fails_part_way_leaves_nothing_in_storage(storage):
    def pieces() -> Iterator[bytes]:
        yield _multi_chunk_pdf()
        raise OSError("the client went away")

    with pytest.raises(OSError, match="went away"):
        _store(storage, pieces())
    assert _all_files(storage) == []


def test_a_failure_while_moving_into_place_leaves_nothing(storage, monkeypatch):
    def full_disk(*args):
        raise OSError("No space left on device")

    monkeypatch.setattr("orderwatch.confidential.files.os.replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        _store(storage, [_multi_chunk_pdf()])
    assert _all_files(storage) == []


def test_the_file_is_written_once_then_renamed_into_place(storage, monkeypatch):
    renamed = []
    real_replace = os.replace
    monkeypatch.setattr(
        "orderwatch.confidential.files.os.replace",
        lambda source, target: renamed.append((source, target)) or real_replace(source, target),
    )
    stored = _store(storage, [_multi_chunk_pdf()])
    ((source, target),) = renamed
    assert Path(source).parent.name == ".partial"
    assert target == storage.path(stored.name)
    assert _all_files(storage) == [Path(storage.path(stored.name))]


def test_a_file_abandoned_part_way_cannot_be_decrypted(storage):
    writer = EncryptedFileWriter(storage=storage)
    writer.write(_multi_chunk_pdf())
    writer.finish()  # then the process dies: neither committed nor discarded
    (partial,) = _all_files(storage)
    assert _stored_names(storage) == []
    with pytest.raises(FileIntegrityError, match="not an encrypted file"):
        _read(storage, str(partial.relative_to(storage.location)))
    writer.discard()


class _BrokenObjectStorage(InMemoryStorage):
    """Storage that cannot rename, whose upload fails after writing part of the file."""

    def _save(self, name, content):
        super()._save(name, ContentFile(content.read(1000)))
        raise OSError("connection reset")


def test_storage_that_cannot_rename_keeps_the_file_whole_or_not_at_all():
    storage = InMemoryStorage()
    content = _multi_chunk_pdf()
    stored = _store(storage, [content])
    assert _read(storage, stored.name) == content
    assert storage.listdir("orders")[1] == [stored.name.split("/")[1]]

    broken = _BrokenObjectStorage()
    with pytest.raises(OSError, match="connection reset"):
        _store(broken, [content])
    assert not broken.exists("orders") or broken.listdir("orders") == ([], [])


def test_a_full_disk_part_way_raises_and_leaves_nothing(storage, monkeypatch):
    disk_fills_after(monkeypatch, 2 * SEALED_CHUNK)
    with pytest.raises(OSError, match="No space left on device") as full:
        _store(storage, [_multi_chunk_pdf()])
    assert full.value.errno == errno.ENOSPC
    assert [p for p in Path(storage.location).rglob("*") if p.is_file()] == []


def test_a_full_disk_when_syncing_raises_and_leaves_nothing(storage, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left on device"):
        _store(storage, [_multi_chunk_pdf()])
    assert [p for p in Path(storage.location).rglob("*") if p.is_file()] == []
