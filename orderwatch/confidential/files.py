"""Uploaded files encrypted at rest, streamed in and out in chunks through Django's storage API.

Format (see docs/adr/0003): a header (magic, version, the per-file data key wrapped with the
project's MultiFernet, a nonce prefix), then 64 KiB chunks each sealed with AES-256-GCM. The
nonce is the prefix and the chunk counter; the associated data marks the final chunk, so
tampering, truncation, reordering and appending all fail authentication (the STREAM
construction).
"""

import base64
import contextlib
import hashlib
import math
import os
import posixpath
import secrets
import struct
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from orderwatch.confidential import cipher

CHUNK_SIZE = 64 * 1024
_TAG_SIZE = 16
_SEALED_CHUNK_SIZE = CHUNK_SIZE + _TAG_SIZE
_MAGIC = b"OWEF"
_VERSION = 1
_FIXED_HEADER = struct.Struct(">4sBH")  # magic, version, wrapped key length
_NONCE_PREFIX_SIZE = 8
_COUNTER = struct.Struct(">I")  # 8-byte prefix + 4-byte counter = the 96-bit GCM nonce
# Files being written, under temporary names, in storage that can rename (local disk).
PARTIAL_FOLDER = ".partial"


@dataclass(frozen=True)
class _Signature:
    label: str
    parts: tuple[tuple[int, bytes], ...]  # (offset, bytes) that must all match
    alternatives: tuple[tuple[tuple[int, bytes], ...], ...] = ()  # other parts that also match

    def matches(self, head: bytes) -> bool:
        return any(
            all(head[offset : offset + len(magic)] == magic for offset, magic in parts)
            for parts in (self.parts, *self.alternatives)
        )


def _iso_media(*brands: bytes) -> tuple[tuple[tuple[int, bytes], ...], ...]:
    """Return the parts of ISO media files (MP4 family) whose major brand is one of `brands`."""
    return tuple(((4, b"ftyp"), (8, brand)) for brand in brands)


# Types recognised by their first bytes, tried in this order. To accept a new type, add its
# signature here; a type needing several checks (WebP: b"RIFF" at 0 and b"WEBP" at 8) is one
# entry with two parts, and a type with several forms lists the others as alternatives.
_SIGNATURES: dict[str, _Signature] = {
    "application/pdf": _Signature("PDF", ((0, b"%PDF-"),)),
    "image/jpeg": _Signature("JPG", ((0, b"\xff\xd8\xff"),)),
    "image/png": _Signature("PNG", ((0, b"\x89PNG\r\n\x1a\n"),)),
    "image/gif": _Signature("GIF", ((0, b"GIF87a"),), (((0, b"GIF89a"),),)),
    "image/webp": _Signature("WebP", ((0, b"RIFF"), (8, b"WEBP"))),
    "image/heic": _Signature("HEIC", *_iso_media(b"heic"), _iso_media(b"heix", b"mif1")),
    "audio/mpeg": _Signature(
        "MP3",
        ((0, b"ID3"),),
        # Without a tag, an MPEG-1 or MPEG-2 layer III frame header, with or without a CRC.
        tuple(((0, sync),) for sync in (b"\xff\xfb", b"\xff\xfa", b"\xff\xf3", b"\xff\xf2")),
    ),
    "audio/mp4": _Signature("M4A", *_iso_media(b"M4A ")),
    "audio/wav": _Signature("WAV", ((0, b"RIFF"), (8, b"WAVE"))),
    "audio/ogg": _Signature("OGG", ((0, b"OggS"),)),
    "video/quicktime": _Signature("MOV", *_iso_media(b"qt  ")),
    # Any other ISO media brand (isom, mp41, mp42, avc1, 3gp4 and so on) is an MP4 video.
    "video/mp4": _Signature("MP4", ((4, b"ftyp"),)),
    "video/webm": _Signature("WebM", ((0, b"\x1a\x45\xdf\xa3"),)),  # WebM and Matroska
    # Evidence bundles made by the service itself; no upload allow-list names it.
    "application/zip": _Signature("ZIP", ((0, b"PK\x03\x04"),)),
    # Case records made by the service itself (exports/builders.py); no upload allows JSON.
    "application/json": _Signature("JSON", ((0, b'{\n  "format": "orderwatch-case-record/'),)),
}
_SNIFF_SIZE = max(
    o + len(m) for s in _SIGNATURES.values() for ps in (s.parts, *s.alternatives) for o, m in ps
)


@dataclass(frozen=True)
class StoredFile:
    """What was stored: the storage name, and the plaintext's size, SHA-256 and sniffed type."""

    name: str
    size: int
    sha256: str
    content_type: str


class FileRejected(Exception):
    """An upload refused for its type, size or emptiness; `message` is for the user."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class FileIntegrityError(Exception):
    """The stored file was altered, truncated, is not in this format, or no key opens it."""


def encrypted_file_store(
    *,
    source: Iterable[bytes] | File,
    folder: str,
    allowed_types: Mapping[str, str] | Set[str],
    max_bytes: int,
    storage: Storage | None = None,
) -> StoredFile:
    """Encrypt `source` chunk by chunk into storage under a random name in `folder`.

    The type is sniffed from the content, never the client's claim or the file name. Nothing
    is stored unless the whole file is accepted; a file over `max_bytes` is refused without
    reading the rest. An `EncryptedUpload` (already encrypted into storage as it arrived) is
    checked the same way and only renamed, not written again.
    """
    labels = _allowed_labels(allowed_types)
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive.")
    storage = _storage(storage)
    if isinstance(source, EncryptedUpload) and source.writer.storage is storage:
        return source.writer.commit(folder=folder, labels=labels, max_bytes=max_bytes)
    pieces = source.chunks(CHUNK_SIZE) if isinstance(source, File) else source
    writer, checked = EncryptedFileWriter(storage=storage), False
    try:
        for piece in pieces:
            if writer.size + len(piece) > max_bytes:
                raise _too_large(max_bytes)
            writer.write(piece)
            if not checked and writer.sniffed:
                _accepted_type(writer.head, labels)  # refuse another type without reading on
                checked = True
        return writer.commit(folder=folder, labels=labels, max_bytes=max_bytes)
    except BaseException:
        writer.discard()
        raise


class EncryptedFileWriter:
    """Encrypt a file's bytes as they are written, straight into storage under a temporary name.

    The size, SHA-256 and type are worked out on the way, so the ciphertext is written once:
    `commit` checks them against the caller's rules and gives the file its final name,
    `discard` leaves nothing. The header (with the wrapped data key) is written only at
    `commit`: a file abandoned part way, even by a crash, cannot be decrypted by anyone.
    """

    def __init__(self, *, storage: Storage | None = None):
        self.storage = _storage(storage)
        data_key = AESGCM.generate_key(bit_length=256)
        self._aead, self._prefix = AESGCM(data_key), secrets.token_bytes(_NONCE_PREFIX_SIZE)
        self._header = _header(data_key=data_key, prefix=self._prefix)
        self._digest, self._pending, self._counter = hashlib.sha256(), bytearray(), 0
        self.size, self.head, self.finished = 0, b"", False
        self._destination = _destination(self.storage)
        self._destination.handle.write(bytes(len(self._header)))  # the header's place

    @property
    def sniffed(self) -> bool:
        """Whether enough of the file has been written to tell its type."""
        return len(self.head) >= _SNIFF_SIZE

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self.finished:
            raise ValueError("The file is finished.")
        self.size += len(data)
        self._digest.update(data)
        if not self.sniffed:
            self.head += bytes(data[: _SNIFF_SIZE - len(self.head)])
        self._pending += data
        # Keep at least one byte back: the last chunk is sealed as final once the file ends.
        start, handle, aead, prefix = 0, self._destination.handle, self._aead, self._prefix
        with memoryview(self._pending) as view:
            while len(self._pending) - start > CHUNK_SIZE:
                _seal(handle, aead, prefix, self._counter, view[start : start + CHUNK_SIZE])
                start, self._counter = start + CHUNK_SIZE, self._counter + 1
        del self._pending[:start]

    def finish(self) -> None:
        """Seal the last chunk: nothing more can be written."""
        if not self.finished:
            handle = self._destination.handle
            _seal(handle, self._aead, self._prefix, self._counter, self._pending, final=True)
            self._pending, self.finished = bytearray(), True

    def commit(self, *, folder: str, labels: dict[str, str], max_bytes: int) -> StoredFile:
        """Check the whole file against `labels` and `max_bytes`, then store it under a random
        name in `folder`; a refused file is discarded."""
        try:
            self.finish()
            if self.size == 0:
                raise FileRejected(_("The selected file is empty"), code="file_empty")
            content_type = _accepted_type(self.head, labels)
            if self.size > max_bytes:
                raise _too_large(max_bytes)
            name = self._destination.commit(_new_name(folder), self._header)
        except BaseException:
            self.discard()
            raise
        return StoredFile(name=name, size=self.size, sha256=self.sha256, content_type=content_type)

    def discard(self) -> None:
        """Remove what was written; nothing is left in storage (safe to call more than once)."""
        self._destination.discard()

    def plaintext_chunks(self) -> Iterator[bytes]:
        """Yield the plaintext written so far, read back from storage (for a finished file)."""
        self.finish()
        with self._destination.reopen() as handle:
            handle.seek(len(self._header))
            for _sealed, plaintext in _verified_chunks(handle, self._aead, self._prefix):
                yield plaintext


class EncryptedUpload(UploadedFile):
    """An uploaded file encrypted into storage as it arrived, by an `EncryptedFileWriter`.

    `encrypted_file_store` checks and keeps it without writing it again; if it is never
    stored, closing it (Django closes a request's files when the response is done) removes it.
    """

    def __init__(self, name, content_type, charset, content_type_extra=None):
        super().__init__(None, name, content_type, 0, charset, content_type_extra)
        self.writer = EncryptedFileWriter()

    def write_chunk(self, data: bytes) -> None:
        self.writer.write(data)
        self.size = self.writer.size

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.writer.plaintext_chunks()

    def multiple_chunks(self, chunk_size: int | None = None) -> bool:
        return True

    def read(self, *args, **kwargs):
        raise NotImplementedError("Read an encrypted upload with chunks().")

    def close(self) -> None:
        self.writer.discard()


class _Destination:
    """Where a file's ciphertext is written until it is given its final name."""

    handle: IO[bytes]

    def commit(self, name: str, header: bytes) -> str:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError

    def reopen(self) -> IO[bytes]:
        raise NotImplementedError


class _RenamedDestination(_Destination):
    """A temporary name in the storage's own folder on disk, synced and renamed into place:
    after a crash there is either nothing under the final name, or the whole file."""

    def __init__(self, storage: Storage, root: str):
        self._storage = storage
        folder = os.path.join(root, PARTIAL_FOLDER)
        os.makedirs(folder, exist_ok=True)
        self._path = os.path.join(folder, uuid.uuid4().hex)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        self.handle = os.fdopen(os.open(self._path, flags, 0o600), "wb")
        self._done = False

    def commit(self, name: str, header: bytes) -> str:
        self.handle.seek(0)
        self.handle.write(header)
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        target = self._storage.path(name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        mode = getattr(self._storage, "file_permissions_mode", None)
        if mode is not None:
            os.chmod(self._path, mode)
        os.replace(self._path, target)
        self._done = True
        _fsync_folder(os.path.dirname(target))
        return name

    def discard(self) -> None:
        self.handle.close()
        if not self._done:
            self._done = True
            with contextlib.suppress(FileNotFoundError):
                os.remove(self._path)

    def reopen(self) -> IO[bytes]:
        self.handle.flush()
        return open(self._path, "rb")


class _UploadedDestination(_Destination):
    """For storage that cannot rename (object storage): the ciphertext waits in an unnamed
    temporary file and is saved whole under its final name, which appears only once complete."""

    def __init__(self, storage: Storage):
        self._storage = storage
        self.handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by commit or discard)

    def commit(self, name: str, header: bytes) -> str:
        self.handle.seek(0)
        self.handle.write(header)
        self.handle.seek(0)
        try:
            return self._storage.save(name, File(self.handle))
        except BaseException:
            with contextlib.suppress(Exception):
                self._storage.delete(name)
            raise
        finally:
            self.handle.close()

    def discard(self) -> None:
        self.handle.close()

    def reopen(self) -> IO[bytes]:
        self.handle.flush()
        return open(os.dup(self.handle.fileno()), "rb")


def _destination(storage: Storage) -> _Destination:
    if isinstance(storage, FileSystemStorage):
        return _RenamedDestination(storage, storage.path(""))
    return _UploadedDestination(storage)


def _fsync_folder(path: str) -> None:
    # The rename itself is durable only once the folder is synced (POSIX); Windows has no need.
    if os.name == "posix":
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _too_large(max_bytes: int) -> FileRejected:
    return FileRejected(
        _("The selected file must be smaller than %(size)s") % {"size": _size_text(max_bytes)},
        code="file_too_large",
    )


def encrypted_file_chunks(*, name: str, storage: Storage | None = None) -> Iterator[bytes]:
    """Return the decrypted chunks of `name`, for StreamingHttpResponse or FileResponse.

    The header and key are checked before returning, so a missing file or unknown key fails
    before a response starts; a later chunk that fails its check raises FileIntegrityError
    before any of its bytes are given out.
    """
    chunks = _plaintext_chunks(_storage(storage), name)
    next(chunks)  # open the file and check its header now
    return chunks


def encrypted_file_verified_chunks(
    *, name: str, sha256: str, storage: Storage | None = None
) -> Iterator[bytes]:
    """Return the decrypted chunks of `name`, holding the last one back until the whole file
    matches `sha256`: a file swapped for another (each sealed properly, so each decrypts) is
    never handed over complete. Raises FileIntegrityError instead of the last chunk."""
    return _matching(encrypted_file_chunks(name=name, storage=storage), sha256)


def _matching(chunks: Iterator[bytes], sha256: str) -> Iterator[bytes]:
    digest, held = hashlib.sha256(), None
    for chunk in chunks:
        digest.update(chunk)
        if held is not None:
            yield held
        held = chunk
    if digest.hexdigest() != sha256:
        raise FileIntegrityError("The file does not match the SHA-256 recorded for it.")
    if held is not None:
        yield held


def encrypted_file_problem(*, name: str, sha256: str, storage: Storage | None = None) -> str | None:
    """Re-read `name` chunk by chunk, decrypting it; return what is wrong with it, or None if
    it is whole and matches `sha256`. Never holds more than a chunk in memory."""
    try:
        for _chunk in encrypted_file_verified_chunks(name=name, sha256=sha256, storage=storage):
            pass
    except FileNotFoundError:
        return "the file is missing"
    except FileIntegrityError as error:
        return f"the file is altered or damaged ({str(error).rstrip('.')})"
    return None


def encrypted_file_rewrap(*, name: str, storage: Storage | None = None) -> StoredFile:
    """Copy `name` with its data key wrapped under the newest key; return the copy.

    The chunks are verified and copied unchanged, so a damaged file is never rewrapped. The
    original stays: record the new name, then delete the old file once that is committed.
    """
    storage = _storage(storage)
    digest, size, content_type = hashlib.sha256(), 0, ""
    destination = _destination(storage)
    try:
        with storage.open(name, "rb") as handle:
            data_key, prefix = _read_header(handle)
            header = _header(data_key=data_key, prefix=prefix)
            destination.handle.write(bytes(len(header)))
            for sealed, plaintext in _verified_chunks(handle, AESGCM(data_key), prefix):
                content_type = content_type or _sniff(plaintext) or "application/octet-stream"
                digest.update(plaintext)
                size += len(plaintext)
                destination.handle.write(sealed)
        new_name = destination.commit(_new_name(posixpath.dirname(name)), header)
    except BaseException:
        destination.discard()
        raise
    return StoredFile(
        name=new_name, size=size, sha256=digest.hexdigest(), content_type=content_type
    )


def stored_files_rewrap(
    *, queryset, name_field: str, sha256_field: str = "sha256", storage: Storage | None = None
) -> int:
    """Re-wrap the key of every file `queryset`'s rows name under the newest key; return how many.

    For key rotation (`rotate_field_keys`): each file is verified against its recorded SHA-256
    and copied to a new name, its row switched over, and only then the old copy deleted, so a
    failure at any point leaves every file readable.
    """
    count = 0
    for pk, name, sha256 in queryset.values_list("pk", name_field, sha256_field).iterator():
        copy = encrypted_file_rewrap(name=name, storage=storage)
        try:
            if copy.sha256 != sha256:
                raise FileIntegrityError(f"Stored file of {pk} does not match its SHA-256.")
            with transaction.atomic(durable=True):
                switched = queryset.filter(pk=pk, **{name_field: name}).update(
                    **{name_field: copy.name}
                )
        except BaseException:
            encrypted_file_delete(name=copy.name, storage=storage)
            raise
        encrypted_file_delete(name=name if switched else copy.name, storage=storage)
        count += switched
    return count


def encrypted_file_delete(*, name: str, storage: Storage | None = None) -> None:
    """Delete the stored file `name`; the calling service records the removal."""
    _storage(storage).delete(name)


def _storage(storage: Storage | None) -> Storage:
    """Return `storage`, or Django's default storage (STORAGES["default"])."""
    return default_storage if storage is None else storage


def _allowed_labels(allowed_types: Mapping[str, str] | Set[str]) -> dict[str, str]:
    if isinstance(allowed_types, Mapping):
        labels = dict(allowed_types)
    else:
        labels = {t: s.label for t, s in _SIGNATURES.items() if t in allowed_types}
    unknown = set(allowed_types) - _SIGNATURES.keys()
    if unknown or not labels:
        raise ValueError(f"No signature to recognise {sorted(unknown) or 'an empty set'}.")
    return labels


def _sniff(head: bytes | bytearray) -> str | None:
    return next((t for t, s in _SIGNATURES.items() if s.matches(bytes(head[:_SNIFF_SIZE]))), None)


def _accepted_type(head: bytes | bytearray, labels: dict[str, str]) -> str:
    content_type = _sniff(head)
    if content_type not in labels:
        types = get_text_list(list(labels.values()), _("or"))
        raise FileRejected(
            _("The selected file must be a %(types)s") % {"types": types}, code="file_type"
        )
    return content_type


def _size_text(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{math.floor(size / factor * 10) / 10:g} {unit}"
    return f"{size} bytes"


def _new_name(folder: str) -> str:
    # Random, with nothing from the uploaded file's name: names may be personal data.
    return posixpath.join(folder.strip("/"), uuid.uuid4().hex)


def _header(*, data_key: bytes, prefix: bytes) -> bytes:
    # The existing text API wraps the key (base64) under the newest key in ORDERWATCH_FIELD_KEYS.
    wrapped = cipher.encrypt(base64.urlsafe_b64encode(data_key).decode()).encode()
    return _FIXED_HEADER.pack(_MAGIC, _VERSION, len(wrapped)) + wrapped + prefix


def _read_header(handle: IO[bytes]) -> tuple[bytes, bytes]:
    fixed = _read_exactly(handle, _FIXED_HEADER.size)
    if len(fixed) < _FIXED_HEADER.size:
        raise FileIntegrityError("The file is too short to be an encrypted file.")
    magic, version, wrapped_size = _FIXED_HEADER.unpack(fixed)
    if magic != _MAGIC or version != _VERSION:
        raise FileIntegrityError("The file is not an encrypted file of a known version.")
    wrapped = _read_exactly(handle, wrapped_size)
    prefix = _read_exactly(handle, _NONCE_PREFIX_SIZE)
    if len(wrapped) < wrapped_size or len(prefix) < _NONCE_PREFIX_SIZE:
        raise FileIntegrityError("The file's header is truncated.")
    try:
        data_key = base64.urlsafe_b64decode(cipher.decrypt(wrapped.decode("ascii")))
    except (UnicodeDecodeError, cipher.ConfidentialValueUnreadable) as error:
        raise FileIntegrityError("No configured key opens the file's data key.") from error
    if len(data_key) != 32:
        raise FileIntegrityError("The file's data key has the wrong length.")
    return data_key, prefix


def _nonce(prefix: bytes, counter: int) -> bytes:
    return prefix + _COUNTER.pack(counter)


def _associated_data(*, final: bool) -> bytes:
    return _MAGIC + bytes((_VERSION, final))


def _seal(
    out: IO[bytes],
    aead: AESGCM,
    prefix: bytes,
    counter: int,
    chunk: bytes | bytearray | memoryview,
    *,
    final: bool = False,
) -> None:
    out.write(aead.encrypt(_nonce(prefix, counter), chunk, _associated_data(final=final)))


def _verified_chunks(
    handle: IO[bytes], aead: AESGCM, prefix: bytes
) -> Iterator[tuple[bytes, bytes]]:
    """Yield (sealed, plaintext) per chunk; a chunk is final when nothing follows it."""
    sealed = _read_exactly(handle, _SEALED_CHUNK_SIZE)
    for counter in range(2**32):
        following = _read_exactly(handle, _SEALED_CHUNK_SIZE)
        final = not following
        try:
            plaintext = aead.decrypt(_nonce(prefix, counter), sealed, _associated_data(final=final))
        except InvalidTag as error:
            raise FileIntegrityError(f"Chunk {counter} failed its integrity check.") from error
        yield sealed, plaintext
        if final:
            return
        sealed = following


def _plaintext_chunks(storage: Storage, name: str) -> Iterator[bytes]:
    with storage.open(name, "rb") as handle:
        data_key, prefix = _read_header(handle)
        yield b""  # header checked: encrypted_file_chunks() consumes this before returning
        for _sealed, plaintext in _verified_chunks(handle, AESGCM(data_key), prefix):
            yield plaintext


def _read_exactly(handle: IO[bytes], size: int) -> bytes:
    # Some storages' files return short reads before the end; keep reading until `size` or EOF.
    data = handle.read(size)
    while 0 < len(data) < size:
        more = handle.read(size - len(data))
        if not more:
            break
        data += more
    return data
