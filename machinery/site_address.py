"""The default Site record takes its address from configuration, so every absolute URL does.

Wagtail builds absolute URLs (feeds, sitemap, JSON-LD, the permalink sent to Akismet)
from the default Site record's hostname and port, which its first migration sets to
``localhost:80``; the admin's mails (password resets, moderation notices) use
WAGTAILADMIN_BASE_URL instead. Left apart, a production site linked to
``http://localhost/…`` and ``make run PORT=8001`` mailed links to port 8000.

So WAGTAILADMIN_BASE_URL is the one place the public address is configured (production:
``https://`` and the first of ALLOWED_HOSTS unless set; ``make run``: ``http://HOST:PORT``),
and after every ``migrate``, which every deploy and every ``make run`` runs, the default
Site is given its hostname and port.

A Site that an admin deliberately pointed at another public hostname (Settings → Sites)
is kept, with a warning: only a Site still on a loopback name (Wagtail's ``localhost``,
``127.0.0.1``, ``::1``) or already on the configured hostname follows configuration.
SITE_FOLLOWS_BASE_URL=1 makes configuration always win, SITE_FOLLOWS_BASE_URL=0 never.

Wagtail has no scheme on a Site: it says https for port 443 and http for any other, so
an https address on another port cannot be expressed (a warning says so).
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from wagtail.models import Site

logger = logging.getLogger("escribe.site")
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def configured_address():
    """(hostname, port) of WAGTAILADMIN_BASE_URL, or None if it is not an http(s) URL."""
    url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if url.scheme not in DEFAULT_PORTS or not url.hostname:
        logger.warning(
            "WAGTAILADMIN_BASE_URL %r is not an http(s) URL: the Site record is left as it is.",
            settings.WAGTAILADMIN_BASE_URL,
        )
        return None
    port = url.port or DEFAULT_PORTS[url.scheme]
    if (url.scheme == "https") != (port == 443):
        logger.warning(
            "Wagtail links to port %s over %s, not %s as WAGTAILADMIN_BASE_URL says.",
            port,
            "https" if port == 443 else "http",
            url.scheme,
        )
    hostname = f"[{url.hostname}]" if ":" in url.hostname else url.hostname  # an IPv6 address
    return hostname, port


def follow_configuration(using=DEFAULT_DB_ALIAS, **kwargs):
    """Give the default Site the configured hostname and port (receives post_migrate; callable alone)."""
    if Site._meta.db_table not in connections[using].introspection.table_names():
        return  # Wagtail's tables are not there (migrated back to zero)
    site = Site.objects.using(using).filter(is_default_site=True).first()
    address = configured_address()
    if site is None or address is None or (site.hostname, site.port) == address:
        return
    follows = settings.SITE_FOLLOWS_BASE_URL
    if follows is False:
        return
    if follows is None and site.hostname not in LOOPBACK and site.hostname != address[0]:
        logger.warning(
            "The default Site stays at %s, not %s from WAGTAILADMIN_BASE_URL: an admin chose it. "
            "Set SITE_FOLLOWS_BASE_URL=1 to follow configuration.",
            site.root_url,
            settings.WAGTAILADMIN_BASE_URL,
        )
        return
    if Site.objects.using(using).filter(hostname=address[0], port=address[1]).exclude(pk=site.pk).exists():
        logger.warning("Another Site already has the address %s:%s: the default Site is left as it is.", *address)
        return
    previous = site.root_url
    site.hostname, site.port = address
    site.save(using=using, update_fields=["hostname", "port"])  # Wagtail and the page cache see the change
    logger.info("The default Site moved from %s to %s (WAGTAILADMIN_BASE_URL).", previous, site.root_url)
