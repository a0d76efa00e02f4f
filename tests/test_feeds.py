"""RSS and Atom feeds: valid XML with the elements readers need, stable ids, and 304s for pollers."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from .factories import BlogPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.blog(author_name="Paul Bissex")]

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.fixture
def posts(blog):
    body = "See [the colophon](/colophon/) and ![a chart](/media/chart.png).\n\n```python\nprint(1)\n```"
    return [
        BlogPageFactory(parent=blog, title="Older", slug="older", date=datetime.date(2015, 5, 1), tags=["Python"]),
        BlogPageFactory(
            parent=blog,
            title="Newer",
            slug="newer",
            date=datetime.date(2016, 4, 1),
            summary="The summary.",
            body=body,
            tags=["Python", "Django"],
        ),
    ]


def parse(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_rss_has_every_element_readers_need(client, posts):
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse(response).find("channel")
    assert channel.findtext("title") and channel.findtext("link") and channel.findtext("description")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Newer", "Older"]
    newer = items[0]
    assert newer.findtext("link") == "http://localhost/newer/"
    assert newer.findtext("description") == "The summary."
    assert newer.findtext("pubDate").startswith("Fri, 01 Apr 2016")
    assert sorted(c.text for c in newer.findall("category")) == ["Django", "Python"]
    assert newer.find("guid").get("isPermaLink") == "false"
    html = newer.findtext(CONTENT)
    assert 'href="http://localhost/colophon/"' in html and 'src="http://localhost/media/chart.png"' in html
    assert '<div class="highlight">' in html


def test_atom_has_every_element_readers_need(client, posts):
    response = client.get("/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response)
    assert feed.findtext(f"{ATOM}title") and feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    entry = feed.findall(f"{ATOM}entry")[0]
    assert entry.findtext(f"{ATOM}title") == "Newer"
    assert entry.findtext(f"{ATOM}summary") == "The summary."
    assert entry.find(f"{ATOM}content").get("type") == "html"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Paul Bissex"
    assert entry.findtext(f"{ATOM}published") and entry.findtext(f"{ATOM}updated")
    assert sorted(c.get("term") for c in entry.findall(f"{ATOM}category")) == ["Django", "Python"]


def test_a_post_keeps_its_id_when_edited_or_retitled(client, posts):
    def ids():
        return [e.findtext(f"{ATOM}id") for e in parse(client.get("/feed/atom/")).findall(f"{ATOM}entry")]

    before = ids()
    newer = posts[1]
    newer.title, newer.slug, newer.date = "A new title", "a-new-title", datetime.date(2016, 4, 2)
    newer.save_revision().publish()
    assert ids() == before
    assert before[0] == f"urn:uuid:{newer.translation_key}"


def test_tag_feeds_hold_only_that_tag(client, posts):
    for url in ["/tag/django/feed/", "/tag/django/feed/atom/"]:
        text = client.get(url).content.decode()
        assert "Newer" in text and "Older" not in text
    assert client.get("/tag/no-such-tag/feed/").status_code == 404


def test_feeds_are_linked_from_every_page_head(client, posts):
    html = client.get("/tag/python/").content.decode()
    for href in ["/feed/", "/feed/atom/", "/tag/python/feed/", "/tag/python/feed/atom/"]:
        assert f'href="{href}"' in html
    assert 'type="application/atom+xml"' in client.get("/newer/").content.decode()


@pytest.mark.parametrize("page_cache", [True, False])
def test_pollers_get_304s(client, posts, settings, page_cache):
    settings.PAGE_CACHE_ENABLED = page_cache
    first = client.get("/feed/")
    assert first["Last-Modified"]
    assert client.get("/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    if first.has_header("ETag"):
        assert client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
