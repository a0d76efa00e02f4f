"""A corpus of hostile input against every public route and the comment endpoint: nothing
answers 500, and nothing is stored from a refused request."""

import itertools

import pytest
from django.test import Client

from blog.comments.models import Comment, SpamCounter

from .factories import comment_form_data, post_form

pytestmark = [pytest.mark.django_db, pytest.mark.post(tags=["django"], legacy_id=123)]

ROUTES = [
    "/",
    "/tag/django/",
    "/tag/django/feed/",
    "/tag/django/feed/atom/",
    "/2016/",
    "/2016/04/",
    "/archive/",
    "/feed/",
    "/feed/atom/",
    "/search/?q=django",
    "/sitemap.xml",
    "/robots.txt",
    "/a-post/",
    "/123",
    "/news/123",
    "/post/a-post/",
    "/comments/token/{pk}/",
    "/comments/post/{pk}/",
    "/comments/reply/{pk}/",
    "/comments/unsubscribe/x/",
    "/comments/decide/x/",
    "/favicon.ico",
    "/static/../settings.py",
    "/admin/login/",
    "/documents/1/x.pdf",
    "/_util/authenticate_with_password/1/{pk}/",
]
METHODS = ["get", "head", "post", "put", "patch", "delete", "options", "trace"]
JUNK = [
    "-1",
    "0",
    "99999999999999999999999",
    "1e3",
    "٣",
    "１",
    "%00",
    "abc",
    "NaN",
    "1.5",
    "%ff%fe",
    "%c3%28",
    "a" * 5000,
    "%0d%0aSet-Cookie:%20x=y",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
]
PATHS = [
    "/search/?q={junk}",
    "/search/?q=django&page={junk}",
    "/?page={junk}",
    "/tag/{junk}/",
    "/tag/django/?page={junk}",
    "/{junk}/",
    "/{junk}",
    "/news/{junk}",
    "/post/{junk}/",
    "/2016/{junk}/",
    "/{junk}/04/",
    "/feed/?{junk}={junk}",
    "/sitemap.xml?p={junk}",
    "/comments/token/{junk}/",
    "/comments/reply/{junk}/",
    "/comments/unsubscribe/{junk}/",
    "/comments/decide/{junk}/",
    "/preview/{junk}/",
]


def answer(client, method, url, **kwargs):
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code < 500, (method, url, response.status_code)
    return response


def test_every_route_answers_every_method(post):
    client = Client()
    for route, method in itertools.product(ROUTES, METHODS):
        answer(client, method, route.format(pk=post.pk))
    assert not Comment.objects.exists()


@pytest.mark.parametrize("path", PATHS)
def test_junk_in_every_place_of_a_url(client, post, path):
    for junk in JUNK:
        answer(client, "get", path.format(junk=junk))


def test_nul_bytes_and_invalid_utf8_in_paths_and_headers(client, post):
    for url in ["/%00/", "/a-post/%00", "/search/?q=%00%00", "/%ff%ff/", "/tag/%c3%28/feed/", "/\x7f/"]:
        answer(client, "get", url)
    answer(
        client,
        "get",
        "/",
        HTTP_ACCEPT_LANGUAGE="\x00" * 10,
        HTTP_USER_AGENT="\xff" * 5000,
        HTTP_COOKIE="sessionid=\x00; messages=junk",
    )
    answer(client, "get", "/a-post/", HTTP_IF_NONE_MATCH="\x00" * 100, HTTP_IF_MODIFIED_SINCE="yesterday")


def test_oversized_bodies_are_refused_and_store_nothing(client, post):
    huge = "x" * (3 * 1024 * 1024)
    for route in ["/", "/search/", "/a-post/", f"/comments/post/{post.pk}/"]:
        answer(client, "post", route, data=huge, content_type="application/x-www-form-urlencoded")
        answer(client, "post", route, data={"file": huge})
    assert (
        answer(
            client, "post", f"/comments/post/{post.pk}/", data=huge, content_type="application/x-www-form-urlencoded"
        ).status_code
        == 413
    )
    assert not Comment.objects.exists()


@pytest.mark.parametrize("field", ["name", "email", "url", "text", "issued", "website", "reply_to", "notify"])
@pytest.mark.parametrize("value", ["\x00", "a\r\nBcc: x@example.com", "\x1b[2J", "\u2028", "a" * 20_000, "", "%ff"])
def test_control_characters_and_junk_in_every_comment_field(client, post, field, value):
    """Each is refused with a message (or, where harmless, accepted); nothing half-stored, never a 500."""
    data = comment_form_data(post, **{field: value})
    response = post_form(client, f"/comments/post/{post.pk}/", data)
    assert response.status_code in (200, 302, 413), response.status_code
    if response.status_code != 302:
        assert not Comment.objects.exists()
    for comment in Comment.objects.all():
        for stored in (comment.name, comment.email, comment.url):
            assert not any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in stored)


def test_forged_and_mangled_form_fields_are_refused(client, post):
    url = f"/comments/post/{post.pk}/"
    assert answer(client, "post", url).status_code == 415  # no body, no form
    for data in [
        {"issued": "x" * 10_000},
        {"name": ["a", "b"]},
        {"text": "hi", "issued": "[]"},
        {k: "" for k in comment_form_data(post)},
    ]:
        response = post_form(client, url, data)
        assert response.status_code == 200
    for body in [b"%ff%fe=%00&&&==", b"name=%ED%A0%80&text=%C3%28", b"\xff\xfe\x00"]:  # invalid UTF-8, a lone surrogate
        answer(client, "post", url, data=body, content_type="application/x-www-form-urlencoded")
    answer(client, "post", url, data="{}", content_type="application/json")
    assert not Comment.objects.exists()
    assert SpamCounter.total() > 0  # the forged tokens were robots


@pytest.mark.parametrize("host", ["evil.example.com", "a b", "[::1", "x" * 300, "blog.example.com.evil.com", "\x00"])
def test_bad_host_headers_under_production_settings(client, post, settings, host):
    settings.ALLOWED_HOSTS = ["blog.example.com"]
    settings.DEBUG = False
    assert client.get("/", HTTP_HOST="blog.example.com").status_code == 200
    assert answer(client, "get", "/", HTTP_HOST=host).status_code == 400
    assert answer(client, "post", f"/comments/post/{post.pk}/", HTTP_HOST=host).status_code == 400
