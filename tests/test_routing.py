"""A page's children are found once per process and page-cache version (machinery/routing.py), and every change
a reader could see is routed afresh at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import BlogPage

from .factories import BlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.PAGE_CACHE_ENABLED = False  # routing as editors and a page's first reader after a change meet it


def page_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if '"wagtailcore_page"' in q["sql"]]


@pytest.mark.parametrize("path", ["post", "/about/"])
def test_a_second_request_asks_no_query_to_find_its_page(client, demo, path):
    path = demo.get_children().type(BlogPage).live().first().url if path == "post" else path
    page_queries(client, path)
    assert page_queries(client, path) == []


def test_a_renamed_page_is_found_at_its_new_address_and_an_unpublished_one_is_gone(client, post):
    client.get("/a-post/")
    post.slug = "a-renamed-post"
    post.save_revision().publish()
    assert "A post" in client.get("/a-renamed-post/").content.decode()
    assert client.get("/a-post/").status_code in (301, 302, 404)  # Wagtail's own redirect, if it made one
    post.unpublish()
    assert client.get("/a-renamed-post/").status_code == 404


def test_an_address_that_found_nothing_finds_the_post_published_there_later(client, blog):
    assert client.get("/not-yet/").status_code == 404
    BlogPageFactory(parent=blog, title="Now here", slug="not-yet")
    assert "Now here" in client.get("/not-yet/").content.decode()


def test_each_request_gets_its_own_copy_of_its_page(client, post):
    """Nothing one request sets on its page is seen by the next."""
    first = client.get("/a-post/").context["page"]
    first.title = "Changed by a request"
    second = client.get("/a-post/").context["page"]
    assert second is not first and second.title == "A post"
