"""Uploads encrypted straight into storage as they arrive, never held in memory or written in
plain text, and stopped as soon as one file is over its page's size limit."""

from typing import TypeVar

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, UnreadablePostError

from orderwatch.confidential.files import EncryptedUpload

F = TypeVar("F", bound=forms.Form)
TOO_LARGE = "The selected file is too large, so nothing was saved"
UNFINISHED = "The upload did not finish, so nothing was saved. Select the files and try again"
# Bigger than Django's 64 KiB: fewer, larger pieces through the multipart parser, still small.
UPLOAD_CHUNK_SIZE = 256 * 1024


class SizeLimit(FileUploadHandler):
    """Count each file's bytes as they arrive; note a file over `max_bytes` or left unfinished.

    Placed before EncryptedUploadHandler, which writes the bytes to storage. Over the limit,
    the upload stops without reading the rest. A file whose upload ended before its last byte
    (the client went away, the body was cut short) never reaches `file_complete`.
    """

    chunk_size = UPLOAD_CHUNK_SIZE

    def __init__(self, request: HttpRequest | None = None, *, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
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


class EncryptedUploadHandler(FileUploadHandler):
    """Encrypt each uploaded file straight into storage as it arrives (`EncryptedUpload`).

    Its size, SHA-256 and type are worked out on the way, so storing it is a rename, not
    another copy. Plaintext never reaches the disk. A write that fails (a full disk) removes
    what the file had written and raises, so the page says nothing was saved.
    """

    chunk_size = UPLOAD_CHUNK_SIZE

    def __init__(self, request: HttpRequest | None = None):
        super().__init__(request)
        self.files: list[EncryptedUpload] = []

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.file = EncryptedUpload(
            self.file_name, self.content_type, self.charset, self.content_type_extra
        )
        self.files.append(self.file)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        try:
            self.file.write_chunk(raw_data)
        except BaseException:
            self.file.close()
            raise

    def file_complete(self, file_size: int) -> EncryptedUpload:
        self.file.writer.finish()
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            self.file.close()

    def upload_complete(self) -> None:
        # A file cut short never completed, so it is not among the request's files.
        if hasattr(self, "file") and not self.file.writer.finished:
            self.file.close()

    def discard_unstored(self) -> None:
        """Remove every file of this upload not yet stored (safe once some are stored)."""
        for file in self.files:
            file.close()


def encrypted_upload_handlers(request: HttpRequest, *, max_bytes: int) -> SizeLimit:
    """Make `request` stream its files, encrypted, to storage, each under `max_bytes`; return
    the limit.

    Call before anything reads `request.POST` or `request.FILES`.
    """
    limit = SizeLimit(request, max_bytes=max_bytes)
    request.upload_handlers = [limit, EncryptedUploadHandler(request)]
    return limit


def uploaded_form(
    request: HttpRequest, form_class: type[F], limit: SizeLimit, *, field: str = "files"
) -> F:
    """Return `form_class` bound to the request's answers and files (unbound for a GET).

    An upload stopped over the limit, cut short or unreadable leaves the form invalid, with
    the reason on its `field` and the other answers that arrived kept.
    """
    if request.method != "POST":
        return form_class()
    try:
        form = form_class(request.POST, request.FILES)
    except UnreadablePostError:
        form, limit.unfinished = form_class({}), True
        for handler in request.upload_handlers:
            if isinstance(handler, EncryptedUploadHandler):
                handler.discard_unstored()
    if limit.too_large or limit.unfinished:
        form.is_valid()
        form.add_error(field, TOO_LARGE if limit.too_large else UNFINISHED)
    return form
