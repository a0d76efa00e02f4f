"""The comment form's limits are exact: one window per address, each token once and for its
post, only real IP addresses, no control characters, no uploads, and plain-text feed summaries."""

import concurrent.futures
import html
import os
import time
import xml.etree.ElementTree as ET
from site.settings import base

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from blog.comments.models import Comment
from machinery import ratelimit

from .factories import BlogPageFactory, comment_form_data, post_form
from .live_site import needs_service

pytestmark = [pytest.mark.django_db, pytest.mark.post(summary="</script><script>alert(1)</script>")]


def send(client, post, data=None, **headers):
    return post_form(client, f"/comments/post/{post.pk}/", data or comment_form_data(post), **headers)


# Rate limits --------------------------------------------------------------------------------------


def twenty_at_once(limit=10):
    """How many of 20 concurrent attempts from one address are let through."""
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        verdicts = list(pool.map(lambda _: ratelimit.allow("comment", "192.0.2.1", limit, 10**6), range(20)))
    return sum(verdicts)


# base.CACHES is what the site runs with: the file caches, or Redis when REDIS_URL is set (make test-postgres).
FILE_CACHES = pytest.mark.file_caches_only(reason="base.py's file caches; on Redis, the Redis test counts")


@FILE_CACHES
def test_twenty_concurrent_posts_get_exactly_ten_through_the_file_cache(settings, tmp_path):
    settings.CACHES = {**settings.CACHES, "ratelimit": {**base.CACHES["ratelimit"], "LOCATION": tmp_path}}
    assert type(caches["ratelimit"]).__name__ == "FileCache"
    assert twenty_at_once() == 10


def test_twenty_concurrent_posts_get_exactly_ten_through_redis(settings):
    needs_service(6379, "Redis")
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}
    settings.CACHES = {**settings.CACHES, "ratelimit": {**redis, "KEY_PREFIX": f"test-{os.getpid()}-{time.time()}"}}
    assert twenty_at_once() == 10


def test_counting_never_pushes_the_window_out(settings, tmp_path):
    """Django's own file cache re-set the entry with the default timeout on every increment.
    The limits' cache the site runs with: its file cache (in a folder of the test's own), or Redis."""
    limits = base.CACHES["ratelimit"]
    if not limits["BACKEND"].endswith("RedisCache"):
        limits = {**limits, "LOCATION": tmp_path}
    settings.CACHES = {**settings.CACHES, "ratelimit": limits}
    counters = caches["ratelimit"]
    counters.add("k", 1, timeout=1)
    assert [counters.incr("k") for _ in range(3)] == [2, 3, 4]
    time.sleep(1.1)
    assert counters.get("k") is None
    with pytest.raises(ValueError):
        counters.incr("k")


@pytest.mark.file_caches_only(reason="on Redis the three caches share one database, which clear() empties whole")
def test_limits_live_apart_from_the_page_cache():
    """Culling pages, or emptying them, never resets a limit (nor drops the page cache's version)."""
    locations = {str(base.CACHES[alias]["LOCATION"]) for alias in ("default", "pages", "ratelimit")}
    assert len(locations) == 3
    for _ in range(3):
        ratelimit.allow("comment", "192.0.2.1", 3, 600)
    caches["default"].clear()
    caches["pages"].clear()
    assert not ratelimit.allow("comment", "192.0.2.1", 3, 600)


# The form token ----------------------------------------------------------------------------------


def test_a_token_is_accepted_once(client, post):
    data = comment_form_data(post)
    assert send(client, post, data).status_code == 302
    again = send(client, post, {**data, "text": "Another comment, on the same form."})
    assert again.status_code == 200
    assert "This form was already sent once" in again.content.decode()
    assert "Another comment, on the same form." in again.content.decode()  # the reader's text is kept
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("fresh_form", [False, True])
def test_the_same_comment_sent_twice_is_stored_once(client, post, fresh_form):
    """A double click, or the form sent again (the same token, or a fresh one): received, stored once."""
    first = comment_form_data(post)
    assert send(client, post, first).status_code == 302
    again = send(client, post, comment_form_data(post) if fresh_form else first, follow=True)
    assert "We already have this comment" in again.content.decode()
    assert Comment.objects.count() == 1
    assert send(client, post, comment_form_data(post, text="Something new.")).status_code == 302
    assert Comment.objects.count() == 2


def test_a_token_is_for_the_post_it_was_issued_for(client, blog, post):
    other = BlogPageFactory(parent=blog, slug="other")
    response = send(client, post, comment_form_data(other))
    assert "Something went wrong with the form" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_token_endpoint_issues_tokens_for_one_post(client, post):
    token = client.get(f"/comments/token/{post.pk}/").json()["token"]
    assert send(client, post, {**comment_form_data(post), "issued": token}).status_code == 200  # too fast
    assert client.get("/comments/token/abc/").status_code == 404


# The reader's address ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # gunicorn reached directly: the header is a lie
        ("127.0.0.1", "198.51.100.1", "198.51.100.1"),  # behind nginx on loopback
        ("127.0.0.1", "10.9.9.9, 198.51.100.1", "198.51.100.1"),  # only our own proxy's entry counts
        ("127.0.0.1", "198.51.100.1, 127.0.0.1", "198.51.100.1"),  # two trusted hops
        ("127.0.0.1", "evil", "127.0.0.1"),
        ("127.0.0.1", "<script>alert(1)</script>", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
        ("::1", "2001:db8::0001", "2001:db8::1"),
        ("", "198.51.100.1", "0.0.0.0"),  # a unix socket has no address
    ],
)
def test_client_ip_believes_only_trusted_proxies_and_real_addresses(remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_ip(request) == expected


def test_invented_addresses_neither_dodge_the_limit_nor_get_stored(client, post, settings):
    settings.COMMENT_RATE_LIMIT = (2, 600)
    answers = [
        send(
            client,
            post,
            comment_form_data(post, text=f"Comment {n}"),
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(4)
    ]
    assert answers == [302, 302, 429, 429]
    send(client, post, comment_form_data(post, text="From nowhere"), HTTP_X_FORWARDED_FOR="<script>")
    assert sorted(Comment.objects.values_list("ip", flat=True)) == ["127.0.0.1", "203.0.113.5", "203.0.113.5"]


# What a comment may contain ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Eve\r\nBcc: victim@example.com", "Please keep this on one line."),
        ("name", "Eve\x1b[31m", "Please remove the invisible control characters."),
        ("url", "https://example.com/\x7f", "Please remove the invisible control characters."),
        ("text", "Hello\x00world", "Null characters are not allowed."),
        ("text", "Hello\x08\x08\x08world", "Please remove the invisible control characters."),
    ],
)
def test_control_characters_are_refused_with_a_field_error(client, post, field, value, message):
    response = send(client, post, comment_form_data(post, **{field: value}))
    assert response.status_code == 200
    assert html.escape(message) in response.content.decode()
    assert not Comment.objects.exists()


def test_line_breaks_are_fine_in_the_comment_itself(client, post):
    assert send(client, post, comment_form_data(post, text="One.\r\n\r\nTwo.\tTabbed.")).status_code == 302


def test_uploads_and_oversized_bodies_are_refused_before_reading(client, post):
    upload = client.post(f"/comments/post/{post.pk}/", comment_form_data(post))  # multipart
    assert upload.status_code == 415
    huge = send(client, post, comment_form_data(post, text="x" * 100_000))
    assert huge.status_code == 413
    assert "longer than a comment can be" in huge.content.decode()
    assert not Comment.objects.exists()


# Feeds -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "element"),
    [
        ("/feed/", "channel/item/description"),
        ("/feed/atom/", "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary"),
    ],
)
def test_feed_summaries_are_plain_text(client, post, url, element):
    """Feed readers take the description as HTML: the summary must reach them as the text it is."""
    feed = ET.fromstring(client.get(url).content)
    assert feed.find(element).text == html.escape(post.summary)
