"""Per-IP limits through Django's cache, and the reader's IP behind proxies."""

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The reader's address: REMOTE_ADDR, or counted from the right of X-Forwarded-For behind proxies."""
    if settings.NUM_PROXIES:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if ip.strip()]
        if len(forwarded) >= settings.NUM_PROXIES:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def allow(scope, key, limit, window):
    """Count one more attempt in a fixed window; False once more than ``limit`` were made in it."""
    cache_key = f"ratelimit:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=window)
        return True
