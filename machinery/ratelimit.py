"""Per-IP limits in fixed windows, and the reader's IP behind trusted proxies.

Counters live in their own cache, "ratelimit", apart from the page cache and its
version, so that making room for pages never resets a limit. Its backends must add
and increment atomically: Redis does, and so does machinery/file_cache.py on one machine.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import caches


def parse_ip(text):
    """``text`` as a normalised IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def is_trusted_proxy(ip):
    address = ipaddress.ip_address(ip)
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request):
    """The reader's address: always an IP address, never a string a client made up.

    X-Forwarded-For is believed only when the request came from a trusted proxy
    (settings.TRUSTED_PROXIES, loopback by default), and read from the right: the
    first address that is not one of our proxies is the reader. Anything that does
    not parse as an IP address ends the walk there.
    """
    ip = parse_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104  (a unix socket has none)
    if not is_trusted_proxy(ip):
        return ip
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = parse_ip(hop)
        if hop is None:
            break
        ip = hop
        if not is_trusted_proxy(ip):
            break
    return ip


def allow(scope, key, limit, window):
    """Count one more attempt; False once more than ``limit`` were made in this ``window`` of seconds.

    The window is fixed (its number is part of the key), so retrying never pushes its end out.
    """
    counters = caches["ratelimit"]
    cache_key = f"ratelimit:{scope}:{key}:{int(time.time() // window)}"
    if counters.add(cache_key, 1, timeout=window):
        return True
    try:
        return counters.incr(cache_key) <= limit
    except ValueError:  # expired between add() and incr()
        return counters.add(cache_key, 1, timeout=window)
