"""The sealed temporary file an upload streams into before it is stored."""

import random

from orderwatch.evidence.uploads import SealedUploadHandler

MARKER = b"She said he was outside the school again this morning. "


def _receive(pieces: list[bytes]):
    handler = SealedUploadHandler()
    handler.new_file("files", "note.pdf", "application/pdf", 0)
    for number, piece in enumerate(pieces):
        handler.receive_data_chunk(piece, number)
    return handler.file_complete(sum(map(len, pieces)))


def test_the_upload_reads_back_as_sent_in_the_same_pieces():
    pieces = [random.Random(n).randbytes(n * 1000) for n in range(1, 6)]  # noqa: S311
    upload = _receive(pieces)
    assert upload.size == sum(map(len, pieces))
    assert list(upload.chunks()) == pieces
    assert b"".join(upload.chunks()) == b"".join(pieces)  # readable again from the start


def test_the_temporary_file_holds_no_plaintext():
    upload = _receive([MARKER * 100, MARKER * 100])
    upload.file.seek(0)
    on_disk = upload.file.read()
    assert MARKER[:20] not in on_disk
    assert len(on_disk) > 200 * len(MARKER)
