"""Whole-page caching for anonymous readers, invalidated exactly by a site-wide version bump.

Every public GET is stored in Django's cache under the current *version*; anything
that changes what a page shows (publishing, unpublishing, moving or deleting a page,
approving or removing a comment, a site setting, a tag: see machinery/signal_handlers.py) bumps
the version, so every page is fresh on its next request. A site-wide bump, rather
than tracking which pages show what, is deliberate: the sidebar (tag cloud, blurbs,
Stuff I Use) appears on every page, so nearly every change touches every page
anyway, and a blog changes a few times a day while being read thousands of times.

The sidebar, the same on every page, is also kept as a template fragment under
the same version (templates/base.html), whether or not whole pages are cached
(PAGE_CACHE=0 turns only the latter off). Pages and fragments live in the "pages"
cache, the version in "default", so that making room for pages never drops it; fragments
are read through the "fragments" cache, which keeps them in each process too
(machinery/fragment_cache.py).

Never cached: logged-in users and anyone with a session (previews live there too),
readers holding a one-time message, anything but GET/HEAD, responses that set
cookies or are private. The Spam Report's count is the one thing allowed to lag,
by at most PAGE_CACHE_SECONDS: counting a killed spam must not empty the cache, or
a spam run would defeat it.
"""

import functools
import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.urls import reverse
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date, urlencode

VERSION_KEY = "page-cache:version"


class RequestVersion(threading.local):
    """The version as a request read it first: the middleware, each cached fragment and each per-version
    lookup ask for it, five cache reads a page (1.6 ms of a post page on Redis). Kept from Django's
    request_started to request_finished (signal_handlers.py); a process outside a request reads it each time."""

    inside_request = False
    version = None


request_version = RequestVersion()


def begin_request(**kwargs):
    request_version.inside_request, request_version.version = True, None


def end_request(**kwargs):
    request_version.inside_request, request_version.version = False, None


def current_version():
    if request_version.version is not None:
        return request_version.version
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time()
        cache.add(VERSION_KEY, version, timeout=None)
    if request_version.inside_request:
        request_version.version = version
    return version


def per_version(function):
    """``function()``'s result, kept in this process until the version changes: for what only a change a
    reader could see alters (the Site for a host, whether any page is private, which redirects take a query)."""
    known = {"version": None, "value": None}

    @functools.wraps(function)
    def kept():
        version = current_version()
        if known["version"] != version:
            known.update(version=version, value=function())
        return known["value"]

    return kept


class KeptPerVersion:
    """Lookups by key (a host's Site, a URL's page, a tag's slug), each kept in this process until the version
    changes. At most ``size`` are kept; past that the process starts again, so a crawler asking for every key,
    or for keys that find nothing, costs memory for ``size`` of them, not for all."""

    MISSING = object()

    def __init__(self, size):
        self.size, self.known = size, per_version(dict)

    def get(self, key, find):
        """What ``find()`` returned for ``key`` under this version (None included), asking it only once."""
        known = self.known()
        value = known.get(key, self.MISSING)
        if value is self.MISSING:
            if len(known) >= self.size:
                known.clear()
            value = known[key] = find()
        return value


def kept_for_address(name, request, build, timeout):
    """What ``build()`` made for the request's address (host and path) under the current version, built once per
    version and kept in the "fragments" cache: a listing's count, a feed. ``build()`` must not return None."""
    address = f"{current_version()}:{request.get_host()}{request.path}"
    key = f"{name}:" + hashlib.sha256(address.encode()).hexdigest()
    fragments = caches["fragments"]
    value = fragments.get(key)
    if value is None:
        value = build()
        fragments.set(key, value, timeout=timeout)
    return value


def bump_version():
    version = time.time()
    cache.set(VERSION_KEY, version, timeout=None)
    if request_version.inside_request:  # the request that made the change sees it
        request_version.version = version


def invalidate():
    """Make every cached page stale, now and again once the change is committed.

    The second bump matters: a reader whose request falls between the first and the
    commit still sees the old rows, and would store the old page under the new version.
    """
    bump_version()
    transaction.on_commit(bump_version, robust=True)


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.path.startswith(settings.PAGE_CACHE_SKIPPED_PREFIXES)
    )


def is_cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def key_parameters(path):
    for name, parameters in settings.PAGE_CACHE_KEY_PARAMETERS.items():
        if path == reverse(name):
            return parameters
    return ("page",)


def cache_key(request):
    """The page's address with only the query parameters it reads, hashed (any length, any characters)."""
    query = urlencode([(name, request.GET[name]) for name in key_parameters(request.path) if name in request.GET])
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return hashlib.sha256(url.encode()).hexdigest()


class PageCacheMiddleware:
    """Serve anonymous readers from the cache; tell browsers and CDNs how long to keep pages.

    Each page is kept under its address with the version it was built for. After a change,
    the first request for a page rebuilds it while the others asking meanwhile are served
    the page as it was (as nginx's ``proxy_cache_use_stale updating`` does), so a change
    under a crowd costs one build per page instead of one per waiting reader. No page is
    served as it was for longer than that build, or REBUILD_SECONDS if its builder died;
    a page built for a version that changed meanwhile is served to its reader but not stored;
    and a page the rebuild finds gone, moved or private is no longer served at all.
    """

    REBUILD_SECONDS = 10

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.PAGE_CACHE_ENABLED and is_cacheable_request(request)):
            return self.get_response(request)
        pages, version = caches["pages"], current_version()
        key = f"page-cache:{cache_key(request)}"
        stored = pages.get(key)
        if stored is not None:
            built_for, response = stored
            is_current = built_for == version
            if is_current or not pages.add(f"page-rebuild:{version}:{key}", True, timeout=self.REBUILD_SECONDS):
                # Only for developers: on /search/ it would tell anyone what others searched for.
                if settings.DEBUG:
                    response["X-Cache"] = "hit" if is_current else "stale"
                return response
        response = self.get_response(request)
        if is_cacheable_response(response):
            # Browsers check back every time (a 304 from the cache is cheap); CDNs may keep a page a minute.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True, s_maxage=60)
            if not response.has_header("Last-Modified"):  # feeds know better: their newest post
                response["Last-Modified"] = http_date(version)
            if not response.has_header("ETag"):
                set_response_etag(response)
            # A change made while it was built (a transaction's two bumps are milliseconds apart) leaves this page
            # out of date, and another reader may have stored the newer one already: replacing it would serve
            # this one to everybody until REBUILD_SECONDS let someone rebuild.
            if cache.get(VERSION_KEY) == version:
                pages.set(key, (version, response), timeout=settings.PAGE_CACHE_SECONDS)
            if settings.DEBUG:
                response["X-Cache"] = "miss"
        elif stored is not None:
            pages.delete(key)
        return response


def page_cache_version(request):
    """Context processor: lets templates cache fragments (the sidebar, a post) until the next change a reader
    could see; ``fragment_seconds`` is 0 in a preview, whose fragments are never kept, and ``is_preview`` keys
    them apart. (``request.is_preview`` in a template costs a ``dir(request)`` wherever Wagtail has not set it.)"""
    is_preview = getattr(request, "is_preview", False)
    return {
        "page_cache_version": current_version,
        "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
        "fragment_seconds": 0 if is_preview else settings.PAGE_CACHE_SECONDS,
        "is_preview": is_preview,
    }
