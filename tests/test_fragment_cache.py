"""Fragments are kept in each process in front of the shared cache (machinery/fragment_cache.py)."""

import pytest
from django.core.cache import caches

from machinery import fragment_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def now(monkeypatch):
    """The process's clock, moved by the test."""
    clock = [1000.0]
    monkeypatch.setattr(fragment_cache.time, "monotonic", lambda: clock[0])
    return clock


def test_a_fragment_read_once_is_then_read_from_the_process_for_a_while(now):
    fragments, pages = caches["fragments"], caches["pages"]
    pages.set("sidebar:v1", "<aside>")  # as another process stored it
    assert fragments.get("sidebar:v1") == "<aside>"
    pages.delete("sidebar:v1")
    assert fragments.get("sidebar:v1") == "<aside>"  # no round trip to the shared cache
    now[0] += fragment_cache.KEEP_READ_SECONDS + 1
    assert fragments.get("sidebar:v1") is None


def test_a_fragment_stored_is_shared_and_kept_no_longer_than_its_timeout(now):
    fragments, pages = caches["fragments"], caches["pages"]
    fragments.set("post:v1", "<article>", 30)
    assert pages.get("post:v1") == "<article>"
    pages.delete("post:v1")
    now[0] += 29
    assert fragments.get("post:v1") == "<article>"
    now[0] += 2
    assert fragments.get("post:v1") is None


def test_a_previews_fragment_is_never_kept():
    caches["fragments"].set("post:preview", "<article>", 0)
    assert caches["fragments"].get("post:preview") is None


def test_at_most_so_many_are_kept_and_clearing_empties_both(settings):
    fragments = caches["fragments"]
    for n in range(fragments._max_entries + 1):
        fragments.set(f"listing:{n}", n)
    assert len(fragments.kept) <= fragments._max_entries
    fragments.clear()
    assert fragments.kept == {} and caches["pages"].get("listing:0") is None
