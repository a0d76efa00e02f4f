"""The benchmark's data generator: right sizes, idempotent, and pages that work on what it makes."""

import pytest
from django.core.management import call_command
from taggit.models import Tag
from wagtail.search.backends import get_search_backend

from blog.comments.models import Comment
from blog.models import BlogPage

pytestmark = pytest.mark.django_db


def generate(**sizes):
    args = [f"--{name}={value}" for name, value in sizes.items()]
    call_command("generate_bench_data", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_generates_the_requested_sizes_and_is_idempotent(demo, client):
    generate(posts=40, comments=120, tags=10)
    bench = BlogPage.objects.filter(slug__startswith="bench-")
    counts = (
        bench.count(),
        Comment.objects.filter(post__in=bench).count(),
        Tag.objects.filter(slug__startswith="bench-").count(),
    )
    assert counts == (40, 120, 10)
    ids = set(bench.values_list("pk", flat=True))
    generate(posts=40, comments=120, tags=10)
    assert set(BlogPage.objects.filter(slug__startswith="bench-").values_list("pk", flat=True)) == ids
    generate(posts=20, comments=60, tags=5)
    assert BlogPage.objects.filter(slug__startswith="bench-").count() == 20
    assert BlogPage.objects.get(slug="bench-busy").comments.approved().count() == 50


def test_generated_posts_render_everywhere(demo, client):
    generate(posts=30, comments=60, tags=5)
    busy = client.get("/bench-busy/").content.decode()
    assert busy.count('<article class="comment ') == 50
    assert '<div class="highlight">' in busy
    for url in ["/", "/tag/bench-tag-001/", "/2008/", "/archive/", "/feed/", "/sitemap.xml"]:
        assert client.get(url).status_code == 200, url
    assert "Bench post" in client.get("/search/?q=django").content.decode()
    assert BlogPage.objects.filter(slug="bench-busy").first().get_parent().specific == demo


def test_the_demos_posts_are_searched_too(demo, client, settings):
    """Their own indexing is a task, which waits for a worker that `make bench` does not run before searching:
    its rare-word search (a word in one of the demo's posts) must find that post."""
    settings.PAGE_CACHE_ENABLED = False
    for post in BlogPage.objects.all():  # as if the demo's indexing tasks were still queued
        get_search_backend().delete(post)
    assert "0 posts found for “allspaw”" in client.get("/search/?q=allspaw").content.decode()
    generate(posts=10, comments=50, tags=3)
    assert "1 post found for “allspaw”" in client.get("/search/?q=allspaw").content.decode()
