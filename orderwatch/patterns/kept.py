"""A small store of what was last worked out, in this process's memory (pure: no Django)."""

import threading
from collections import OrderedDict
from collections.abc import Hashable


class Kept:
    """Keep the `size` values last put, by key, dropping the least recently used; safe to share
    between threads. Values are shared, not copied: put only what is never changed."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self._size:
                self._values.popitem(last=False)
