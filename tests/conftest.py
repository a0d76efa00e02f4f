import pytest
from django.core.management import call_command

from blog.models import BlogIndexPage

from .factories import BlogIndexFactory


@pytest.fixture
def blog(db):
    """An empty blog at the site root."""
    return BlogIndexFactory()


@pytest.fixture
def demo(db):
    """The seed's site, as ``make run`` shows it."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return BlogIndexPage.objects.get()


@pytest.fixture
def akismet_server(settings):
    """A running Akismet stand-in, with the site configured to use it."""
    from blog import spam

    from .akismet_standin import AkismetStandIn

    server = AkismetStandIn().start()
    settings.AKISMET_API_KEY = "test-key-123"
    settings.AKISMET_BLOG_URL = "http://testserver"
    settings.AKISMET_API_URL = server.url
    settings.AKISMET_TIMEOUT = 1.0
    spam.client.cache_clear()
    yield server
    server.stop()
    spam.client.cache_clear()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits and cached pages must not leak from one test into the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()
