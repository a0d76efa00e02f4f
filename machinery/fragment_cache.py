"""Fragments kept in each process as well as in the shared cache: the "fragments" cache.

What is kept under the page-cache version (the sidebar, a post, a listing, a feed: machinery/page_cache.py)
is named by that version, so a copy of it never goes stale: a change makes new names. Read from the shared
cache ("pages", on disk or on Redis), each costs a file read or a network round trip, four to six a page
(0.5 to 0.8 ms of a 3.5 ms post page on Redis). So each process keeps what it read or wrote, at most
MAX_ENTRIES of them (past that it starts again), for no longer than the shared cache would, nor longer than
KEEP_READ_SECONDS for what it read, whose remaining time it does not know. The shared cache still holds every
fragment, so a fragment is built once per version for all processes, not once in each.
"""

import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

KEEP_READ_SECONDS = 60
MISSING = object()


class FragmentCache(BaseCache):
    """LOCATION names the shared cache alias (settings.CACHES) that holds every fragment."""

    def __init__(self, shared, params):
        super().__init__(params)
        self.shared_alias, self.kept = shared, {}

    @property
    def shared(self):
        return caches[self.shared_alias]

    def keep(self, key, value, seconds):
        if len(self.kept) >= self._max_entries:
            self.kept.clear()
        self.kept[key] = (time.monotonic() + seconds, value)

    def get(self, key, default=None, version=None):
        expires, value = self.kept.get(key, (0, None))
        if expires > time.monotonic():
            return value
        value = self.shared.get(key, MISSING, version=version)
        if value is MISSING:
            return default
        self.keep(key, value, KEEP_READ_SECONDS)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.shared.set(key, value, timeout, version=version)
        seconds = self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout
        if seconds is None or seconds > 0:  # a preview's fragments (0 seconds) are never kept
            self.keep(key, value, KEEP_READ_SECONDS if seconds is None else seconds)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.shared.add(key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.shared.touch(key, timeout, version=version)

    def delete(self, key, version=None):
        self.kept.pop(key, None)
        return self.shared.delete(key, version=version)

    def clear(self):
        self.kept.clear()
        self.shared.clear()
