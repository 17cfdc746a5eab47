"""The import file, held in memory only while its page reads it (ADR 0043).

It is small (`ORDERWATCH_IMPORT_MAX_BYTES`, counted by `SizeLimit` as it arrives) and read
whole at once, so it is never written to disk, encrypted or not.
"""

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class InMemoryOnly(FileUploadHandler):
    """Keep an uploaded file in memory, whatever the request's size (after `SizeLimit`)."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
