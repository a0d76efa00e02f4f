"""Wagtail's redirects from addresses with a query string: WordPress's /?p=123.

Wagtail's own RedirectMiddleware looks for a redirect only when a page answers 404, and
/?p=123 is the front page, answered 200, and from the page cache, which ignores parameters
a page does not read. So before the page cache, a GET naming a parameter that some redirect's
old address has (known once per page-cache version, which a saved redirect bumps) is looked
up among the redirects: the Site and the redirect, never for /?page=2, ?q= or ?utm_source=.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django import http
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from .page_cache import per_version


@per_version
def redirected_parameters():
    """The query parameters some redirect's old address has ({"p"} after a WordPress import)."""
    addresses = Redirect.objects.filter(old_path__contains="?").values_list("old_path", flat=True)
    return {name for address in addresses for name, _ in parse_qsl(urlsplit(address).query, True)}


class QueryRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.GET and request.method in ("GET", "HEAD") and set(request.GET) & redirected_parameters():
            # Empty parameters left out: nginx passes /?p=123 on as /?page=&p=123 (deploy/nginx.conf).
            query = urlencode([(name, value) for name, value in request.GET.items() if value])
            path = Redirect.normalise_path(f"{request.path}?{query}", decode_unicode=False)
            redirect = get_redirect(request, path)
            if redirect is not None and redirect.link:
                answer = http.HttpResponsePermanentRedirect if redirect.is_permanent else http.HttpResponseRedirect
                return answer(redirect.link)
        return self.get_response(request)
