"""Request bodies refused over their page's limit before any of them is read, and files taken
only by the pages that ask for them (ADR 0018).

Under WSGI, Django reads no more of a body than its Content-Length says, so checking that
length before anything reads the body keeps an oversized request off the disk entirely, signed
in or not. A page that takes files says so with `accepts_files`; every other page takes at most
`DATA_UPLOAD_MAX_MEMORY_SIZE` and no file at all.
"""

import logging

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from orderwatch.confidential.uploads import EncryptedUploadHandler

logger = logging.getLogger(__name__)
API_PATH = "/api/"  # config/urls.py
# Django's own default for a body's fields, when the setting is switched off.
_FIELDS_DEFAULT = 2_621_440


def accepts_files(setting: str):
    """Mark a view that takes uploaded files of up to the setting `setting` bytes together."""

    def decorate(view):
        view.upload_max_bytes_setting = setting
        return view

    return decorate


def request_max_bytes(view) -> int:
    """Return how large a request body `view` takes: its files (if any) and its other answers."""
    fields = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or _FIELDS_DEFAULT
    setting = getattr(view, "upload_max_bytes_setting", None)
    return fields + (getattr(settings, setting) if setting else 0)


class RequestSizeLimitMiddleware:
    """Answer 413 to a body over its page's limit before it is read; remove files left unstored.

    Placed before CsrfViewMiddleware, whose check is the first thing to read a POST's body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            # An upload never stored (the form was refused, the disk filled, the page failed)
            # leaves nothing behind; a stored file is already under its own name. (Django makes
            # `_upload_handlers` only once something asks for them: read it, never make them.)
            for handler in getattr(request, "_upload_handlers", ()):
                if isinstance(handler, EncryptedUploadHandler):
                    handler.discard_unstored()

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.accepts_files = hasattr(view_func, "upload_max_bytes_setting")
        limit = request_max_bytes(view_func)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length it cannot tell
        if length <= limit:
            return None
        logger.warning("Request body refused before reading: %d bytes, limit %d", length, limit)
        return request_too_large(request, limit)


def request_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """Return the 413 page (a short JSON answer for the API); nothing has been read or saved."""
    if request.path.startswith(API_PATH):
        return JsonResponse(
            {"detail": f"The request body is larger than this endpoint takes ({limit} bytes)."},
            status=413,
        )
    return render(request, "413.html", {"limit": limit}, status=413)


class FilesOnlyWhereAccepted(FileUploadHandler):
    """Skip every file sent to a page that takes none, before any of it is written.

    First of `FILE_UPLOAD_HANDLERS`; a page that takes files sets its own handlers, or has
    `EncryptedUploadHandler` after this one, so no upload is ever written in plain text.
    """

    def new_file(self, *args, **kwargs) -> None:
        if not getattr(self.request, "accepts_files", False):
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
