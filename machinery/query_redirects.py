"""Wagtail's redirects from addresses whose query string the page there does not read: WordPress's /?p=123.

Wagtail's own RedirectMiddleware looks for a redirect only when a page answers 404, and
/?p=123 is the front page, answered 200, and from the page cache, which ignores parameters
a page does not read. So before the page cache, a GET whose query names a parameter the
path does not read (page_cache.key_parameters) is looked up among the redirects first: one
indexed query, never made for /?page=2 or /search/?q=… .
"""

from django import http
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from .page_cache import key_parameters


class QueryRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and set(request.GET) - set(key_parameters(request.path)):
            path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
            redirect = get_redirect(request, path)
            if redirect is not None and redirect.link:
                answer = http.HttpResponsePermanentRedirect if redirect.is_permanent else http.HttpResponseRedirect
                return answer(redirect.link)
        return self.get_response(request)
