"""Uploaded files encrypted at rest, streamed in and out in chunks through Django's storage API.

Format (see docs/adr/0003): a header (magic, version, the per-file data key wrapped with the
project's MultiFernet, a nonce prefix), then 64 KiB chunks each sealed with AES-256-GCM. The
nonce is the prefix and the chunk counter; the associated data marks the final chunk, so
tampering, truncation, reordering and appending all fail authentication (the STREAM
construction).
"""

import base64
import hashlib
import math
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
from django.core.files.storage import Storage, default_storage
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
_SPOOL_SIZE = 1024 * 1024  # ciphertext beyond this goes to a temporary file on disk


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
    reading the rest.
    """
    labels = _allowed_labels(allowed_types)
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive.")
    pieces = source.chunks(CHUNK_SIZE) if isinstance(source, File) else source
    data_key = AESGCM.generate_key(bit_length=256)
    aead, prefix = AESGCM(data_key), secrets.token_bytes(_NONCE_PREFIX_SIZE)
    digest, size, content_type, counter = hashlib.sha256(), 0, "", 0
    pending = bytearray()
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_SIZE) as sealed:
        sealed.write(_header(data_key=data_key, prefix=prefix))
        for piece in pieces:
            size += len(piece)
            if size > max_bytes:
                raise FileRejected(
                    _("The selected file must be smaller than %(size)s")
                    % {"size": _size_text(max_bytes)},
                    code="file_too_large",
                )
            digest.update(piece)
            pending += piece
            if not content_type and len(pending) >= _SNIFF_SIZE:
                content_type = _accepted_type(pending, labels)
            # Keep at least one byte back: the last chunk is sealed as final once the source ends.
            start = 0
            with memoryview(pending) as view:
                while len(pending) - start > CHUNK_SIZE:
                    _seal(sealed, aead, prefix, counter, view[start : start + CHUNK_SIZE])
                    start, counter = start + CHUNK_SIZE, counter + 1
            del pending[:start]
        if size == 0:
            raise FileRejected(_("The selected file is empty"), code="file_empty")
        content_type = content_type or _accepted_type(pending, labels)
        _seal(sealed, aead, prefix, counter, pending, final=True)
        sealed.seek(0)
        name = _storage(storage).save(_new_name(folder), File(sealed))
    return StoredFile(name=name, size=size, sha256=digest.hexdigest(), content_type=content_type)


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


def encrypted_file_rewrap(*, name: str, storage: Storage | None = None) -> StoredFile:
    """Copy `name` with its data key wrapped under the newest key; return the copy.

    The chunks are verified and copied unchanged, so a damaged file is never rewrapped. The
    original stays: record the new name, then delete the old file once that is committed.
    """
    storage = _storage(storage)
    digest, size, content_type = hashlib.sha256(), 0, ""
    with (
        storage.open(name, "rb") as handle,
        tempfile.SpooledTemporaryFile(max_size=_SPOOL_SIZE) as sealed,
    ):
        data_key, prefix = _read_header(handle)
        sealed.write(_header(data_key=data_key, prefix=prefix))
        for sealed_chunk, plaintext in _verified_chunks(handle, AESGCM(data_key), prefix):
            content_type = content_type or _sniff(plaintext) or "application/octet-stream"
            digest.update(plaintext)
            size += len(plaintext)
            sealed.write(sealed_chunk)
        sealed.seek(0)
        new_name = storage.save(_new_name(posixpath.dirname(name)), File(sealed))
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
