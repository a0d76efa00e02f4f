"""Pages are built with a small, fixed number of queries, however many posts, tags and comments there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import BlogPageFactory, CommentFactory

pytestmark = pytest.mark.django_db

BUDGET = 12
PAGES = ["/", "/tag/common/", "/busy-post/", "/search/?q=post", "/about/", "/archive/", "/2015/", "/2015/01/", "/feed/",
         "/feed/atom/", "/tag/common/feed/", "/sitemap.xml"]  # fmt: skip


def queries_for(client, url):
    client.get(url)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(blog, first, count):
    for n in range(first, first + count):
        post = BlogPageFactory(parent=blog, title=f"Post {n}", tags=["common", f"tag-{n}", f"other-{n}"])
        CommentFactory.create_batch(3, post=post, status="approved")


def test_query_budgets_hold_as_the_blog_grows(client, demo, settings):
    settings.PAGE_CACHE_ENABLED = False  # budgets are for building pages, not serving them from the cache
    busy = BlogPageFactory(parent=demo, slug="busy-post", tags=["common"], date=datetime.date(2015, 1, 15))
    CommentFactory.create_batch(50, post=busy, status="approved")
    grow(demo, 0, 2)
    small = {url: queries_for(client, url) for url in PAGES}
    grow(demo, 2, 20)
    large = {url: queries_for(client, url) for url in PAGES}
    assert large == small
    assert max(small.values()) <= BUDGET, small
