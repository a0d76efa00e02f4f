"""Wagtail's Privacy check costs no query while the site has no Privacy setting, and applies the moment one exists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def restriction_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [q["sql"] for q in queries if "pageviewrestriction" in q["sql"]]


def test_without_privacy_settings_pages_are_served_without_asking_for_them(client, post, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/a-post/")
    response, asked = restriction_queries(client, "/a-post/")
    assert response.status_code == 200 and asked == []


@pytest.mark.parametrize("restricted", ["post", "blog"])
def test_a_privacy_setting_applies_from_the_next_request(client, post, blog, settings, restricted):
    settings.PAGE_CACHE_ENABLED = False
    assert "A post" in client.get("/a-post/").content.decode()
    page = post if restricted == "post" else blog
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret")
    response = client.get("/a-post/")
    assert b"password" in response.content.lower() and b'<h1 class="post-title">A post' not in response.content
