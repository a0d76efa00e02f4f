from django.conf import settings

from .page_cache import current_version


def page_cache_version(request):
    """Lets templates cache fragments (the sidebar) until the next change a reader could see."""
    return {"page_cache_version": current_version, "page_cache_seconds": settings.PAGE_CACHE_SECONDS}
