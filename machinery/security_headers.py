"""Two response headers that neither Django nor django-csp sets.

``Permissions-Policy``: the blog uses none of the browser's powerful features (camera,
microphone, location, payment...), so it turns them all off (settings.PERMISSIONS_POLICY):
a script that slipped past the Content-Security-Policy, or a page that frames this one,
still cannot ask the reader for them. Django has no setting for this header.

``Cache-Control: private`` on every response to a logged-in user: such a page carries
Wagtail's user bar and may be a post behind a login, so no shared cache (a CDN, nginx, a
corporate proxy) may keep it and hand it to someone else. The page cache never stores
these responses (machinery/page_cache.py); this tells the caches beyond it. A response that
already says ``private`` or ``no-store`` is left as it is.

The middleware sits before PageCacheMiddleware in MIDDLEWARE, like django-csp's, so that
pages served whole from the page cache get the headers as configured now, not as they
were when the page was stored.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # request.user exists only if the request got as far as AuthenticationMiddleware;
        # one served from the page cache did not, and it had no session, so no user either.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            cache_control = response.get("Cache-Control", "")
            if "private" not in cache_control and "no-store" not in cache_control:
                patch_cache_control(response, private=True)
        return response
