"""An upload encrypted straight into storage as it arrives, and kept only once stored."""

import random

import pytest
from django.core.files.storage import FileSystemStorage

from orderwatch.confidential.files import FileRejected, encrypted_file_chunks, encrypted_file_store
from orderwatch.confidential.uploads import EncryptedUploadHandler

MARKER = b"She said he was outside the school again this morning. "
PDF_HEAD = b"%PDF-1.7\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file())


def _receive(pieces: list[bytes]):
    handler = EncryptedUploadHandler()
    handler.new_file("files", "note.pdf", "application/pdf", 0)
    for number, piece in enumerate(pieces):
        handler.receive_data_chunk(piece, number)
    return handler.file_complete(sum(map(len, pieces)))


def _store(upload, allowed=frozenset({"application/pdf"}), max_bytes=1024 * 1024):
    return encrypted_file_store(
        source=upload, folder="evidence", allowed_types=allowed, max_bytes=max_bytes
    )


def test_the_upload_reads_back_as_sent():
    pieces = [PDF_HEAD, *(random.Random(n).randbytes(n * 30_000) for n in range(1, 6))]  # noqa: S311
    upload = _receive(pieces)
    assert upload.size == sum(map(len, pieces))
    assert b"".join(upload.chunks()) == b"".join(pieces)
    assert b"".join(upload.chunks()) == b"".join(pieces)  # readable again from the start


def test_what_is_written_while_uploading_holds_no_plaintext_and_no_key(media):
    upload = _receive([PDF_HEAD, MARKER * 100, MARKER * 100])
    (partial,) = _files(media)
    on_disk = partial.read_bytes()
    assert MARKER[:20] not in on_disk
    assert len(on_disk) > 200 * len(MARKER)
    assert not on_disk.startswith(b"OWEF")  # the header with the wrapped key comes only when kept
    upload.close()


def test_storing_the_upload_moves_it_into_place_without_writing_it_again(media):
    content = PDF_HEAD + MARKER * 5000
    upload = _receive([content[:100_000], content[100_000:]])
    (partial,) = _files(media)
    written = partial.stat().st_ino

    stored = _store(upload)

    assert _files(media) == [media / stored.name]
    assert (media / stored.name).stat().st_ino == written  # the same file, renamed
    assert stored.size == len(content)
    assert b"".join(encrypted_file_chunks(name=stored.name)) == content
    upload.close()  # as Django closes a request's files: the stored file stays
    assert _files(media) == [media / stored.name]


@pytest.mark.parametrize(
    ("pieces", "max_bytes", "code"),
    [
        ([b"MZ\x90\x00 not a document" * 10], 1024, "file_type"),
        ([PDF_HEAD, bytes(2000)], 1024, "file_too_large"),
        ([], 1024, "file_empty"),
    ],
)
def test_a_refused_upload_leaves_nothing(media, pieces, max_bytes, code):
    upload = _receive(pieces)
    with pytest.raises(FileRejected) as refused:
        _store(upload, max_bytes=max_bytes)
    assert refused.value.code == code
    assert _files(media) == []


def test_an_upload_never_stored_is_removed_when_the_request_closes_it(media):
    upload = _receive([PDF_HEAD, MARKER])
    upload.close()
    assert _files(media) == []


def test_an_upload_cut_short_is_removed_when_the_upload_completes(media):
    handler = EncryptedUploadHandler()
    handler.new_file("files", "note.pdf", "application/pdf", 0)
    handler.receive_data_chunk(PDF_HEAD + MARKER, 0)
    handler.upload_complete()  # the body ended before the file did
    assert _files(media) == []


def test_an_upload_stored_to_other_storage_is_encrypted_again_there(media, tmp_path):
    content = PDF_HEAD + MARKER * 3000
    upload = _receive([content])
    elsewhere = FileSystemStorage(location=tmp_path / "elsewhere")

    stored = encrypted_file_store(
        source=upload,
        folder="evidence",
        allowed_types={"application/pdf"},
        max_bytes=1024 * 1024,
        storage=elsewhere,
    )

    assert b"".join(encrypted_file_chunks(name=stored.name, storage=elsewhere)) == content
    upload.close()
    assert _files(media) == []
