"""Django's file cache, checked for room now and then, and with ``add()`` and ``incr()`` exact.

Django's file cache lists its whole folder on every write to see whether it is full: with a
few thousand entries (a rate limit per reader, a token per comment, a page per address) that
cost milliseconds on every comment posted and every page cached. ``FileCache`` looks every
``CHECK_EVERY`` writes of a process instead (OPTIONS, 50 by default), so a folder may hold up to
that many entries per process past MAX_ENTRIES before a third of them are culled.

Django's versions read, then write: twenty concurrent comments from one address all
read the same count and got through, and ``incr()`` re-set the entry with the default
timeout, so every retry pushed a rate limit's window further out. And after a change, the
readers arriving in the same instant each won the page cache's rebuild claim (an ``add()``),
so three to six workers rebuilt the front page at once instead of one: at 10,000 posts,
half a second of both cores each time. Here both run under an exclusive lock on one file
in the cache's folder, and ``incr()`` keeps the entry's expiry. The lock is held for one
small read and write, and neither is called on a page served from the cache.
"""

import contextlib
import itertools
import os
import pickle
import time
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class FileCache(FileBasedCache):
    def __init__(self, directory, params):
        super().__init__(directory, params)
        self.check_every = params.get("OPTIONS", {}).get("CHECK_EVERY", 50)
        self.writes = itertools.count(1)  # next() on a count is atomic under the GIL

    def _cull(self):
        if next(self.writes) % self.check_every == 0:
            super()._cull()

    @contextlib.contextmanager
    def locked(self):
        os.makedirs(self._dir, exist_ok=True)
        with open(os.path.join(self._dir, "lock"), "a") as lock:
            locks.lock(lock, locks.LOCK_EX)  # released when the file closes
            yield

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self.locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self.locked():
            try:
                with open(self._key_to_file(key, version), "rb") as entry:
                    expiry = pickle.load(entry)  # noqa: S301  (our own files, as Django's get() reads them)
                    value = pickle.loads(zlib.decompress(entry.read()))  # noqa: S301
            except FileNotFoundError:
                raise ValueError(f"Key '{key}' not found") from None
            if expiry is not None and expiry < time.time():
                raise ValueError(f"Key '{key}' not found")
            value += delta
            self.set(key, value, timeout=None if expiry is None else max(expiry - time.time(), 0.001), version=version)
            return value
