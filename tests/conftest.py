import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from blog.comments.models import MODERATORS_GROUP
from blog.models import BlogIndexPage

from .factories import BlogIndexFactory, BlogPageFactory


def pytest_configure(config):
    config.addinivalue_line("markers", "blog(**fields): the `blog` fixture's fields, for a test or a whole module")
    config.addinivalue_line("markers", "post(**fields): the `post` fixture's fields, for a test or a whole module")


def pytest_collection_modifyitems(config, items):
    """Tests of what only the site's defaults have skip, saying why, when the suite runs without them
    (make test-postgres): ``sqlite_only`` on another database, ``file_caches_only`` on Redis; and those of
    PostgreSQL alone (``postgres_only``) on SQLite."""
    from django.conf import settings
    from django.db import connection

    on_redis = any(cache["BACKEND"].endswith("RedisCache") for cache in settings.CACHES.values())
    elsewhere = {
        "sqlite_only": "SQLite only" if connection.vendor != "sqlite" else None,
        "postgres_only": "PostgreSQL only" if connection.vendor != "postgresql" else None,
        "file_caches_only": "File caches only" if on_redis else None,
    }
    for item in items:
        for name, label in elsewhere.items():
            marker = item.get_closest_marker(name)
            if marker and label:
                item.add_marker(pytest.mark.skip(reason=f"{label}: {marker.kwargs['reason']}"))


def marked_fields(request, name):
    """The fields asked for by the closest ``@pytest.mark.<name>(...)`` (the test's, else its module's)."""
    marker = request.node.get_closest_marker(name)
    return marker.kwargs if marker else {}


@pytest.fixture
def blog(db, request):
    """An empty blog at the site root, with the fields of a ``blog`` mark (``author_name=...``) if any."""
    return BlogIndexFactory(**marked_fields(request, "blog"))


@pytest.fixture
def post(blog, request):
    """A published post, "A post" at /a-post/ dated today (open for comments); a ``post`` mark sets other fields."""
    fields = {"title": "A post", "slug": "a-post", "date": datetime.date.today(), **marked_fields(request, "post")}
    return BlogPageFactory(parent=blog, **fields)


@pytest.fixture
def moderator(django_user_model):
    """A member of the Moderators group, as the admin makes one: mailed about new comments, shown only comments."""
    user = django_user_model.objects.create_user("mo", "mo@example.com", "pw")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


@pytest.fixture
def editor(django_user_model):
    """A member of the Editors group: writes and publishes posts, and answers comments as the author."""
    user = django_user_model.objects.create_user("ed", "ed@example.com", "pw", first_name="Paul", last_name="Bissex")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def demo(db):
    """The seed's site, as ``make run`` shows it."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return BlogIndexPage.objects.get()


@pytest.fixture
def akismet_server(settings):
    """A running Akismet stand-in, with the site configured to use it."""
    from blog.comments import spam

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
