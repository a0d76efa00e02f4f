"""Comment feeds: the newest approved comments, site-wide and on one post, only on posts anonymous readers may read."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from .factories import BlogPageFactory, CommentFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def conversation(blog):
    now = timezone.now()
    post = BlogPageFactory(parent=blog, title="Talked about", slug="talked-about")
    other = BlogPageFactory(parent=blog, title="Elsewhere", slug="elsewhere")
    ada = CommentFactory(post=post, status="approved", name="Ada", text="First <b>bold</b> words", created=now)
    CommentFactory(post=post, status="approved", name="Grace", url="https://grace.example/", created=now)
    CommentFactory(post=post, status="pending", text="Waiting words")
    CommentFactory(post=post, status="spam", text="Spam words")
    CommentFactory(post=other, status="approved", name="Linus", created=now + datetime.timedelta(minutes=1))
    return post, other, ada


def items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content).findall("channel/item")


def test_every_approved_comment_newest_first_and_nothing_else(client, conversation):
    post, other, ada = conversation
    feed = items(client, "/feed/comments/")
    assert [item.findtext("title") for item in feed] == [
        "Linus on “Elsewhere”",
        "Grace on “Talked about”",
        "Ada on “Talked about”",
    ]
    assert feed[2].findtext("link") == f"http://localhost/talked-about/#comment-{ada.pk}"
    assert feed[2].findtext("description") == "<p>First &lt;b&gt;bold&lt;/b&gt; words</p>"  # as readers see it
    text = client.get("/feed/comments/").content.decode()
    assert "Waiting words" not in text and "Spam words" not in text


def test_a_posts_feeds_hold_its_comments_alone(client, conversation):
    assert [item.findtext("title") for item in items(client, "/feed/comments/on/talked-about/")] == [
        "Grace on “Talked about”",
        "Ada on “Talked about”",
    ]
    atom = ET.fromstring(client.get("/feed/comments/on/talked-about/atom/").content)
    assert atom.findtext(f"{ATOM}title") == "Comments on “Talked about”"
    authors = [entry.findtext(f"{ATOM}author/{ATOM}name") for entry in atom.findall(f"{ATOM}entry")]
    assert authors == ["Grace", "Ada"]
    assert atom.find(f"{ATOM}entry/{ATOM}author/{ATOM}uri").text == "https://grace.example/"


def test_comments_on_private_or_unpublished_posts_are_in_no_feed(client, conversation):
    post, other, _ = conversation
    PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    post.unpublish()
    assert items(client, "/feed/comments/") == []
    assert "<entry>" not in client.get("/feed/comments/atom/").content.decode()
    assert client.get("/feed/comments/on/talked-about/").status_code == 404
    assert client.get("/feed/comments/on/elsewhere/atom/").status_code == 404
    assert client.get("/feed/comments/on/no-such-post/").status_code == 404


def test_an_approval_shows_in_the_feeds_at_once(client, conversation):
    post, _, _ = conversation
    client.get("/feed/comments/")
    client.get("/feed/comments/on/talked-about/")
    waiting = post.comments.get(status="pending")
    waiting.status = "approved"
    waiting.save()
    assert "Waiting words" in client.get("/feed/comments/").content.decode()
    assert "Waiting words" in client.get("/feed/comments/on/talked-about/").content.decode()


def test_the_post_page_links_its_comment_feeds(client, conversation):
    page = client.get("/talked-about/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="Comments on “Talked about” (RSS)"' in page
    assert 'href="/feed/comments/on/talked-about/"' in page and 'href="/feed/comments/on/talked-about/atom/"' in page
    assert 'href="/feed/comments/">RSS</a>' in page
