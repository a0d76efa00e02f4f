"""Private preview links: an editor shares a draft for a read, for a limited time, and withdraws it."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from blog.previews import PreviewLink

from .factories import BlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(blog):
    return BlogPageFactory(parent=blog, title="Not out yet", slug="not-out-yet", body="The *secret* plan.", live=False)


def make_link(client, page):
    response = client.post(f"/admin/preview-links/{page.pk}/make/", follow=True)
    assert "A new preview link is ready" in response.content.decode()
    return re.search(r'value="http://testserver(/preview/[^"]+/)"', response.content.decode())[1]


def test_an_editor_shares_a_draft_and_withdraws_the_link(client, draft, editor):
    client.force_login(editor)
    assert "Make or withdraw preview links" in client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    url = make_link(client, draft)
    draft.title = "Not out yet, second draft"
    draft.save_revision()  # the latest revision is what the link shows, published or not

    reader = Client()
    response = reader.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Not out yet, second draft" in html and "<em>secret</em>" in html
    assert '<p class="draft-banner" role="note">Draft: not published yet. This preview link works until' in html
    assert '<meta name="robots" content="noindex">' in html and response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert reader.get("/not-out-yet/").status_code == 404  # the draft itself stays unpublished

    link = PreviewLink.objects.get()
    client.post(f"/admin/preview-links/{draft.pk}/{link.pk}/withdraw/")
    gone = reader.get(url)
    assert gone.status_code == 404 and "expired or was withdrawn" in gone.content.decode()


def test_a_link_stops_working_when_it_expires(client, draft, editor):
    client.force_login(editor)
    url = make_link(client, draft)
    assert Client().get(url).status_code == 200
    PreviewLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get(url).status_code == 404


@pytest.mark.parametrize("token", ["x", "a" * 300, "%00", "../../etc/passwd"])
def test_a_made_up_link_is_not_found(client, draft, token):
    assert client.get(f"/preview/{token}/").status_code == 404


def test_only_the_pages_editors_make_or_withdraw_links(client, draft, moderator, editor):
    link = PreviewLink.make(draft, editor)
    for user in (moderator, None):
        other = Client()
        if user:
            other.force_login(user)
        assert other.post(f"/admin/preview-links/{draft.pk}/make/").status_code in (302, 403)
        assert other.post(f"/admin/preview-links/{draft.pk}/{link.pk}/withdraw/").status_code in (302, 403)
        assert other.get(f"/admin/preview-links/{draft.pk}/").status_code in (302, 403)
    assert PreviewLink.objects.count() == 1
    client.force_login(editor)
    assert client.get(f"/admin/preview-links/{draft.pk}/make/").status_code == 405  # a button, never a bare visit


def test_previews_are_never_kept_by_the_page_cache_nor_crawled(client, draft, editor, settings):
    settings.PAGE_CACHE_ENABLED = True
    client.force_login(editor)
    url = make_link(client, draft)
    reader = Client()
    assert "Not out yet" in reader.get(url).content.decode()
    PreviewLink.objects.all().delete()
    assert reader.get(url).status_code == 404
    assert "Disallow: /preview/" in reader.get("/robots.txt").content.decode()
