"""Anonymous readers are served from the cache, and every change they could see makes pages fresh at once."""

import concurrent.futures
import contextlib
import datetime
import fnmatch
import threading
import time
from io import StringIO
from site.settings import base

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Site

from blog.comments.models import Comment, CommentSettings
from blog.models import BlogPage
from home.models import SidebarSettings, StuffIUse
from machinery.page_cache import VERSION_KEY, bump_version, current_version

from .factories import BlogPageFactory, CommentFactory, comment_form_data, post_form

pytestmark = [pytest.mark.django_db, pytest.mark.post(title="Cached post", slug="cached-post", tags=["caching"])]


@pytest.fixture(autouse=True)
def debug(settings):
    """X-Cache, which these tests read, is sent only to developers."""
    settings.DEBUG = True


def html(client, url="/"):
    return client.get(url).content.decode()


def test_second_view_comes_from_the_cache_with_validators(client, post):
    first = client.get("/cached-post/")
    second = client.get("/cached-post/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert "s-maxage=60" in second["Cache-Control"] and "public" in second["Cache-Control"]
    assert second["ETag"] and second["Last-Modified"]


def test_conditional_gets_answer_304(client, post):
    response = client.get("/cached-post/")
    assert client.get("/cached-post/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get("/cached-post/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


def test_logged_in_users_never_see_or_fill_the_cache(client, post, admin_user):
    client.get("/cached-post/")
    client.force_login(admin_user)
    response = client.get("/cached-post/")
    assert "X-Cache" not in response
    assert "wagtail-userbar" in response.content.decode()
    client.logout()
    assert "wagtail-userbar" not in html(client, "/cached-post/")


def test_publishing_unpublishing_and_deleting_refresh_pages(client, blog, post):
    assert "Cached post" in html(client)
    new = BlogPageFactory(parent=blog, title="Fresh news")
    assert "Fresh news" in html(client)
    new.unpublish()
    assert "Fresh news" not in html(client)
    post.delete()
    assert "Cached post" not in html(client)


def test_editing_a_post_refreshes_it(client, post):
    assert "Cached post" in html(client, "/cached-post/")
    post.title = "Edited title"
    post.save_revision().publish()
    assert "Edited title" in html(client, "/cached-post/")


def test_moving_a_page_refreshes_pages(client, blog, post):
    from home.models import AboutPage

    about = AboutPage(title="About Me", slug="about", blurb="Hi")
    blog.add_child(instance=about)
    about.save_revision().publish()
    assert "/about/" in html(client)
    other_root = BlogPageFactory(parent=blog, title="Holder")
    about.move(other_root, pos="last-child")
    assert 'href="/about/"' not in html(client)


def test_approving_and_removing_comments_refresh_the_post(client, moderator, post, django_capture_on_commit_callbacks):
    comment = CommentFactory(post=post, text="A cached comment")
    assert "A cached comment" not in html(client, "/cached-post/")
    staff = Client()
    staff.force_login(moderator)
    staff.post(reverse("wagtail_bulk_action", args=("blog", "comment", "approve")) + f"?id={comment.pk}")
    assert Comment.objects.get().status == "approved"
    assert "A cached comment" in html(client, "/cached-post/")
    Comment.objects.get().delete()
    assert "A cached comment" not in html(client, "/cached-post/")


def test_settings_and_tags_refresh_every_page(client, post):
    assert ">caching</a>" in html(client)
    settings = SidebarSettings.for_site(Site.objects.get())
    settings.stuff_i_use = [StuffIUse(name="Caching")]
    settings.save()
    assert '<a href="/tag/caching/">Caching</a>' in html(client)
    tag = Tag.objects.get(name="caching")
    tag.name = "memoisation"
    tag.save()
    assert ">memoisation</a>" in html(client, "/cached-post/")


def test_the_comment_form_works_on_a_cached_page(post, django_capture_on_commit_callbacks):
    reader = Client(enforce_csrf_checks=True)
    reader.get("/cached-post/")
    page = reader.get("/cached-post/")
    assert page["X-Cache"] == "hit" and "csrfmiddlewaretoken" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(reader, f"/comments/post/{post.pk}/", comment_form_data(post))
    assert response.status_code == 302
    thanks = reader.get("/cached-post/")  # carries the one-time message: not from the cache
    assert "X-Cache" not in thanks or thanks["X-Cache"] == "miss"
    assert "once a moderator approves it" in thanks.content.decode()
    assert "once a moderator approves it" not in Client().get("/cached-post/").content.decode()


def test_a_full_page_cache_makes_room_without_dropping_the_version(client, post, settings, tmp_path):
    """A file cache culls a third of its entries at random when full; the version lives elsewhere,
    so a crawl of many pages never makes every page stale at once."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tmp_path,
            "OPTIONS": {"MAX_ENTRIES": 10},
        },
        "fragments": settings.CACHES["fragments"],
    }
    version = current_version()
    for n in range(40):
        assert client.get(f"/search/?q=crawler{n}")["X-Cache"] == "miss"
    assert current_version() == version
    assert len(list(tmp_path.iterdir())) <= 10


@pytest.mark.file_caches_only(reason="checks the file cache's own culling")
def test_a_file_cache_looks_for_room_every_so_many_writes_not_on_each(tmp_path, monkeypatch):
    """Listing a folder of thousands of entries on every write cost milliseconds per comment and per page."""
    from django.core.cache.backends.filebased import FileBasedCache

    from machinery.file_cache import FileCache

    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CHECK_EVERY": 5}})
    listings = []
    original = FileBasedCache._list_cache_files
    monkeypatch.setattr(FileBasedCache, "_list_cache_files", lambda self: listings.append(1) or original(self))
    for n in range(40):
        cache.set(f"page-{n}", "x")
    assert len(listings) == 8
    assert len(list(tmp_path.glob("*.djcache"))) <= 10 + 5


@pytest.mark.file_caches_only(reason="checks the file cache's own add()")
def test_of_readers_arriving_together_after_a_change_one_claims_the_rebuild(settings, tmp_path):
    """The claim is an add(): Django's file cache reads, then writes, and three to six workers each won it."""
    settings.CACHES = {**settings.CACHES, "pages": {**base.CACHES["pages"], "LOCATION": tmp_path}}
    for change in range(5):
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            claims = list(pool.map(lambda key: caches["pages"].add(key, True, 10), [f"page-rebuild:{change}"] * 20))
        assert claims.count(True) == 1


def stored_keys(cache, pattern):
    """The keys matching ``pattern`` (a glob) that ``cache`` holds, in memory or on Redis (make test-postgres)."""
    pattern = cache.make_key(pattern)
    if hasattr(cache._cache, "get_client"):  # Django's Redis client
        return cache._cache.get_client().keys(pattern)
    return fnmatch.filter(cache._cache, pattern)


def test_junk_query_strings_share_one_cached_page(client, post):
    """Cache busters and tracking parameters neither bypass the cache nor fill it."""
    statuses = [client.get(f"/cached-post/?utm_x={n}")["X-Cache"] for n in range(100)]
    assert statuses.count("miss") == 1 and statuses.count("hit") == 99
    assert len(stored_keys(caches["pages"], "page-cache:*")) == 1
    assert client.get("/cached-post/?page=2&utm_x=1")["X-Cache"] == "miss"  # what a page reads still counts
    assert client.get("/search/?q=cached")["X-Cache"] == "miss"
    assert client.get("/search/?q=cached&ref=x")["X-Cache"] == "hit"
    assert client.get("/search/?q=other")["X-Cache"] == "miss"


def test_nobody_learns_what_others_searched_for(client, post, settings):
    settings.DEBUG = False
    client.get("/search/?q=cached")
    response = client.get("/search/?q=cached")
    assert "X-Cache" not in response
    assert "X-Cache" not in client.get("/cached-post/")


def test_a_privacy_setting_empties_the_cache_at_once(client, post):
    """A post cached while public must not be served whole once it is behind a password, nor the reverse."""
    assert "Cached post" in html(client)
    client.get("/cached-post/")
    restriction = PageViewRestriction.objects.create(page=post, restriction_type="password", password="x")
    assert "Cached post" not in html(client)
    page = client.get("/cached-post/").content.decode()
    assert 'name="password"' in page and "Markdown" not in page
    restriction.delete()
    assert "Cached post" in html(client)


def test_scheduled_publishing_and_expiry_empty_the_cache(client, blog, post):
    """publish_scheduled, run hourly, puts scheduled posts live and takes expired ones down."""
    soon = BlogPageFactory(parent=blog, title="Coming soon", live=False)
    soon.go_live_at = timezone.now() + datetime.timedelta(seconds=1)
    soon.save_revision().publish()
    Page.objects.filter(pk=post.pk).update(expire_at=soon.go_live_at)  # an UPDATE: no signal, as time passing
    assert "Coming soon" not in html(client) and "Cached post" in html(client)
    time.sleep(1.1)
    assert "Coming soon" not in html(client) and "Cached post" in html(client)
    call_command("publish_scheduled", stdout=StringIO())
    assert "Coming soon" in html(client)
    assert "Cached post" not in html(client)


def test_a_site_change_empties_the_cache(client, post):
    assert "http://localhost/cached-post/" in html(client, "/feed/")
    site = Site.objects.get()
    site.hostname, site.port = "blog.example.com", 8001
    site.save()
    assert "http://blog.example.com:8001/cached-post/" in html(client, "/feed/")


def test_moving_the_blog_empties_the_cache(client, blog, post):
    html(client)
    shelter = Page.get_first_root_node().add_child(instance=Page(title="Shelter", slug="shelter"))
    assert client.get("/")["X-Cache"] == "hit"
    blog.move(shelter, pos="last-child")
    assert client.get("/")["X-Cache"] == "miss"


def test_the_comment_settings_empty_the_cache(client, blog, post, django_capture_on_commit_callbacks):
    """Closing comments after some days takes the form off posts older than that at once."""
    old = BlogPageFactory(parent=blog, slug="old-post", date=datetime.date.today() - datetime.timedelta(days=30))
    comment_settings = CommentSettings.for_site(Site.objects.get())  # created with the defaults pages show
    assert client.get(old.url)["X-Cache"] == "miss"
    cached = client.get(old.url)
    assert cached["X-Cache"] == "hit" and "Comments on this post are closed" not in cached.content.decode()
    version = current_version()
    comment_settings.close_after_days = 7
    with django_capture_on_commit_callbacks(execute=True):
        comment_settings.save()
    assert current_version() > version
    fresh = client.get(old.url)
    assert fresh["X-Cache"] == "miss"
    assert "Comments on this post are closed" in fresh.content.decode()


def test_migrate_alone_empties_the_cache(client, post, django_capture_on_commit_callbacks):
    """Every deploy runs migrate: pages rendered by the old code go, even when the Site stays as it is."""
    site = Site.objects.get()
    html(client, "/cached-post/")
    assert client.get("/cached-post/")["X-Cache"] == "hit"
    version = current_version()
    site_saves = []

    def count_site_save(**kwargs):
        site_saves.append(kwargs["instance"])

    post_save.connect(count_site_save, sender=Site)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("migrate", verbosity=0)
    finally:
        post_save.disconnect(count_site_save, sender=Site)
    assert site_saves == []  # not emptied by a Site change
    assert Site.objects.get().root_url == site.root_url
    assert current_version() > version
    assert client.get("/cached-post/")["X-Cache"] == "miss"


def test_a_posts_comments_and_neighbours_are_rebuilt_after_any_change_even_uncached(client, post, blog, settings):
    """They are kept as a fragment under the page-cache version (templates/blog/blog_page.html)."""
    settings.PAGE_CACHE_ENABLED = False
    comment = CommentFactory(post=post, status="pending", text="Fresh words")
    assert "Fresh words" not in client.get("/cached-post/").content.decode()
    comment.status = "approved"
    comment.save()
    assert "Fresh words" in client.get("/cached-post/").content.decode()
    BlogPageFactory(parent=blog, title="Written later", date=post.date + datetime.timedelta(days=1))
    assert "Written later →" in client.get("/cached-post/").content.decode()


def test_a_posts_head_is_rebuilt_after_any_change_even_uncached(client, post, settings):
    """Its tags and structured data are kept under the page-cache version (templates/blog/blog_page.html)."""
    settings.PAGE_CACHE_ENABLED = False
    assert '"headline": "Cached post"' in client.get("/cached-post/").content.decode()
    post.title = "Cached post, retitled"
    post.tags.add("retitling")
    post.save_revision().publish()
    page = client.get("/cached-post/").content.decode()
    assert '"headline": "Cached post, retitled"' in page and '<meta property="article:tag" content="retitling">' in page


def test_about_book_and_colophon_are_rebuilt_after_any_change_even_uncached(client, demo, settings):
    """Their Markdown is rendered once per page-cache version (templates/home/sidebar_page.html)."""
    settings.PAGE_CACHE_ENABLED = False
    about = Page.objects.get(slug="about").specific
    assert "Written afresh" not in client.get("/about/").content.decode()
    about.body = "Written *afresh*."
    about.save_revision().publish()
    assert "Written <em>afresh</em>." in client.get("/about/").content.decode()


@pytest.mark.parametrize("url", ["/", "/tag/news/", "/2015/", "/2015/03/", "/feed/", "/feed/atom/", "/tag/news/feed/"])
def test_listings_and_feeds_are_rebuilt_after_any_change_even_uncached(client, blog, settings, url):
    """Their posts are kept under the page-cache version (the listing templates, blog/feeds.py)."""
    settings.PAGE_CACHE_ENABLED = False
    first = BlogPageFactory(parent=blog, title="First words", date=datetime.date(2015, 3, 1), tags=["news"])
    assert "First words" in client.get(url).content.decode()
    BlogPageFactory(parent=blog, title="Later words", date=datetime.date(2015, 3, 2), tags=["news"])
    first.title = "First words, corrected"
    first.save_revision().publish()
    page = client.get(url).content.decode()
    assert "Later words" in page and "First words, corrected" in page


@contextlib.contextmanager
def a_reader_building(monkeypatch):
    """A reader asking for /cached-post/ in another thread, the first build of it held until the block ends. Yields
    the title each build saw and, once the block is over, that reader's response."""
    building, release, builds, responses = threading.Event(), threading.Event(), [], []
    get_context = BlogPage.get_context

    def first_held(page, request, *args, **kwargs):
        builds.append(page.title)
        if not building.is_set():
            building.set()
            release.wait(10)
        return get_context(page, request, *args, **kwargs)

    monkeypatch.setattr(BlogPage, "get_context", first_held)
    reader = threading.Thread(target=lambda: responses.append(Client().get("/cached-post/")))
    reader.start()
    try:
        assert building.wait(10)
        yield builds, responses
    finally:
        release.set()
        reader.join()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_change_one_reader_rebuilds_a_page_while_the_others_get_it_as_it_was(post, monkeypatch):
    """The thundering herd: a change under a crowd costs one build of each page, not one per reader waiting."""
    Client().get("/cached-post/")
    post.title = "Cached post, corrected"
    post.save_revision().publish()
    with a_reader_building(monkeypatch) as (builds, rebuilt):
        meanwhile = Client().get("/cached-post/")
    assert meanwhile["X-Cache"] == "stale" and "Cached post, corrected" not in meanwhile.content.decode()
    assert rebuilt[0]["X-Cache"] == "miss" and "Cached post, corrected" in rebuilt[0].content.decode()
    assert builds == ["Cached post, corrected"]  # one build, by the first reader
    after = Client().get("/cached-post/")
    assert after["X-Cache"] == "hit" and "Cached post, corrected" in after.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_built_before_a_later_change_never_replaces_the_newer_one(post, monkeypatch):
    """A transaction bumps the version twice, milliseconds apart, and two readers rebuild: the page built for the
    first version, finished last, must not be stored over the second's and served to everyone as it was."""
    Client().get("/cached-post/")
    post.title = "Cached post, corrected"
    post.save_revision().publish()
    with a_reader_building(monkeypatch) as (_, late):
        post.title = "Cached post, corrected twice"
        post.save_revision().publish()
        assert "corrected twice" in Client().get("/cached-post/").content.decode()  # the newer build, stored
    assert late[0]["X-Cache"] == "miss"  # its reader still got the page built for it
    after = Client().get("/cached-post/")
    assert after["X-Cache"] == "hit" and "corrected twice" in after.content.decode()


def test_a_page_gone_after_a_change_is_never_served_as_it_was(client, post):
    assert client.get("/cached-post/").status_code == 200
    post.unpublish()
    assert client.get("/cached-post/").status_code == 404  # the rebuild, which finds it gone
    assert client.get("/cached-post/").status_code == 404  # and every reader after it


def test_a_request_reads_the_version_once_and_a_process_between_requests_each_time(client, post, monkeypatch):
    """The middleware, each cached fragment and each per-version lookup ask for the version: one cache read
    a request, and one more before a page built afresh is stored; the worker, outside any request, must see
    another process's change at once."""
    reads = []
    get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args, **kwargs: reads.append(key) or get(key, *args, **kwargs))
    client.get("/cached-post/")
    bump_version()
    reads.clear()
    assert client.get("/cached-post/")["X-Cache"] == "miss"  # the fragments and lookups follow the version
    assert reads.count(VERSION_KEY) == 2
    reads.clear()
    assert client.get("/cached-post/")["X-Cache"] == "hit"
    assert reads.count(VERSION_KEY) == 1
    before = current_version()
    cache.set(VERSION_KEY, before + 1)  # as another process's change does
    assert current_version() == before + 1
