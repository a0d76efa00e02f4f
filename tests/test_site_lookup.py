"""Wagtail's Site is looked up once per process and host, and a change to a Site is seen at once."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

pytestmark = pytest.mark.django_db


def site_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if "wagtailcore_site" in q["sql"]]


def test_a_second_request_for_the_same_host_asks_the_database_for_no_site(client, post, settings):
    settings.PAGE_CACHE_ENABLED = False
    site_queries(client, "/a-post/")
    assert site_queries(client, "/a-post/") == []


def test_page_links_are_made_without_asking_for_the_sites_again(client, post, settings):
    """Wagtail's root paths, from which every page URL is made, are kept in the process until a change."""
    settings.PAGE_CACHE_ENABLED = False
    client.get("/search/?q=post")
    cache.delete(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)  # Wagtail would ask the database
    assert site_queries(client, "/search/?q=post") == []
    assert '<a href="/a-post/">' in client.get("/search/?q=post").content.decode()


def test_a_changed_site_is_used_on_the_next_request(client, post, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/a-post/")
    site = Site.objects.get()
    site.site_name = "Renamed"
    site.hostname = "blog.example.com"
    site.save()
    settings.ALLOWED_HOSTS = ["blog.example.com", "testserver"]
    page = client.get("/a-post/", HTTP_HOST="blog.example.com").content.decode()
    assert 'href="http://blog.example.com/a-post/"' in page  # the canonical URL follows the Site at once
    site.port = 8080
    site.save()
    feed = client.get("/feed/", HTTP_HOST="blog.example.com:8080").content.decode()
    assert "<link>http://blog.example.com:8080/a-post/</link>" in feed  # and so do the links made from its root paths


def test_each_request_gets_its_own_copy(client, post, settings):
    """Nothing one request sets on its Site or root page is seen by the next."""
    settings.PAGE_CACHE_ENABLED = False
    first = client.get("/a-post/").wsgi_request._wagtail_site
    first.root_page.title = "Changed by a request"
    second = client.get("/a-post/").wsgi_request._wagtail_site
    assert second is not first and second.root_page.title != "Changed by a request"
