"""Evidence uploads: streamed to a sealed temporary file on disk, never held in memory, and
stopped as soon as one file is over the size limit."""

import struct
import tempfile
from collections.abc import Iterator
from typing import TypeVar

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, UnreadablePostError

F = TypeVar("F", bound=forms.Form)
TOO_LARGE = "The selected file is too large, so nothing was saved"
UNFINISHED = "The upload did not finish, so nothing was saved. Select the files and try again"


class SizeLimit(FileUploadHandler):
    """Count each file's bytes as they arrive; note a file over the limit or left unfinished.

    Placed before SealedUploadHandler, which writes the bytes to disk. Over the limit,
    the upload stops without reading the rest. A file whose upload ended before its last byte
    (the client went away, the body was cut short) never reaches `file_complete`.
    """

    def __init__(self, request: HttpRequest | None = None):
        super().__init__(request)
        self.max_bytes = settings.ORDERWATCH_EVIDENCE_MAX_BYTES
        self.too_large = False
        self.unfinished = False
        self._received = 0
        self._receiving = False

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self._received, self._receiving = 0, True

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self._received += len(raw_data)
        if self._received > self.max_bytes:
            self.too_large, self._receiving = True, False
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        self._receiving = False

    def upload_complete(self) -> None:
        self.unfinished = self._receiving


_RECORD = struct.Struct(">I")  # the length of each sealed record


class SealedUpload(UploadedFile):
    """An upload kept in an unnamed temporary file, sealed with a key held only in memory.

    Evidence in transit to encrypted storage is never on disk as plaintext; the temporary file
    is unreadable once the request ends, even if it is not deleted. Read it with `chunks()`.
    """

    def __init__(self, name: str, content_type: str, charset: str | None, extra: dict | None):
        super().__init__(
            tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR),  # noqa: SIM115 (closed with the upload)
            name,
            content_type,
            0,
            charset,
            extra,
        )
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
        self._records = 0

    def _nonce(self, number: int) -> bytes:
        return number.to_bytes(12, "big")

    def write_chunk(self, data: bytes) -> None:
        sealed = self._aead.encrypt(self._nonce(self._records), data, None)
        self.file.write(_RECORD.pack(len(sealed)) + sealed)
        self._records += 1

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        self.file.seek(0)
        for number in range(self._records):
            (length,) = _RECORD.unpack(self.file.read(_RECORD.size))
            yield self._aead.decrypt(self._nonce(number), self.file.read(length), None)

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        return True

    def read(self, *args, **kwargs):
        raise NotImplementedError("Read a sealed upload with chunks().")


class SealedUploadHandler(FileUploadHandler):
    """Stream each uploaded file into a SealedUpload on disk."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.file = SealedUpload(
            self.file_name, self.content_type, self.charset, self.content_type_extra
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.file.write_chunk(raw_data)

    def file_complete(self, file_size: int) -> SealedUpload:
        self.file.size = file_size
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            self.file.close()


def evidence_upload_handlers(request: HttpRequest) -> SizeLimit:
    """Make `request` stream its files, sealed, to disk under the size limit; return the limit.

    Call before anything reads `request.POST` or `request.FILES`.
    """
    limit = SizeLimit(request)
    request.upload_handlers = [limit, SealedUploadHandler(request)]
    return limit


def uploaded_form(request: HttpRequest, form_class: type[F], limit: SizeLimit) -> F:
    """Return `form_class` bound to the request's answers and files (unbound for a GET).

    An upload stopped over the limit, cut short or unreadable leaves the form invalid, with
    the reason on its `files` field and the other answers that arrived kept.
    """
    if request.method != "POST":
        return form_class()
    try:
        form = form_class(request.POST, request.FILES)
    except UnreadablePostError:
        form, limit.unfinished = form_class({}), True
    if limit.too_large or limit.unfinished:
        form.is_valid()
        form.add_error("files", TOO_LARGE if limit.too_large else UNFINISHED)
    return form
