"""A disk that fills part way through a stored file: writes past `room` bytes fail with ENOSPC,
as the operating system reports a full disk."""

import errno
import os

from orderwatch.confidential import files


class _FullDiskHandle:
    def __init__(self, handle, room: int):
        self._handle, self._room = handle, room

    def write(self, data) -> int:
        self._room -= len(data)
        if self._room < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)


def disk_fills_after(monkeypatch, room: int) -> None:
    """Make every file stored from now on fail with ENOSPC once `room` bytes are written."""
    real = files._destination

    def destination(storage):
        made = real(storage)
        made.handle = _FullDiskHandle(made.handle, room)
        return made

    monkeypatch.setattr(files, "_destination", destination)
