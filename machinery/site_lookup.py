"""Wagtail's Site for a request, looked up once per process and host, not on every request.

``Site.find_for_request`` asks the database on every request, the first thing Wagtail's routing
does (2.1 ms of a 22 ms post page). Sites and their root pages change about never, and each
change bumps the page cache's version (signal_handlers.py), so the Site found for a host is kept
in the process under that version, with its root page as its own class, and handed to each
request as copies of both: no request sees what another set on them. Wagtail reads it from
``request._wagtail_site``, where it keeps its own.
"""

import copy

from wagtail.models import Site

from .page_cache import KeptPerVersion

sites = KeptPerVersion(100)  # (host, port) → its Site


def find_site(request):
    site = Site.find_for_request(request)
    if site is not None:  # as its own class, which Wagtail's routing would otherwise ask for on every request
        site.root_page = site.root_page.specific
    return site


class SiteLookupMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = (request._get_raw_host(), request.get_port())  # as Wagtail reads them (Site._find_for_request)
        request._wagtail_site = site = copy.copy(sites.get(key, lambda: find_site(request)))
        if site is not None:
            site.root_page = copy.copy(site.root_page)
        return self.get_response(request)
