"""Being found and shared: head metadata, JSON-LD, sitemap, robots.txt, and friendly error pages."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.views.defaults import server_error

from .factories import BlogPageFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.blog(author_name="Paul Bissex"),
    pytest.mark.post(title="Shared post", slug="shared-post", summary="Worth sharing </script>.", tags=["Django"]),
]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def meta(html, key):
    match = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)"', html)
    return match and match.group(1)


def test_post_head_has_canonical_description_and_cards(client, post):
    html = client.get("/shared-post/").content.decode()
    assert '<link rel="canonical" href="http://testserver/shared-post/">' in html
    assert meta(html, "description") == "Worth sharing &lt;/script&gt;."
    assert meta(html, "og:title") == "Shared post"
    assert meta(html, "og:type") == "article"
    assert meta(html, "twitter:card") == "summary"
    assert meta(html, "article:published_time") == post.date.isoformat()


def test_canonical_url_drops_tracking_parameters_but_keeps_the_page_number(client, blog):
    BlogPageFactory.create_batch(7, parent=blog)
    html = client.get("/?utm_source=news&page=2").content.decode()
    assert '<link rel="canonical" href="http://testserver/?page=2">' in html
    assert '<link rel="canonical" href="http://testserver/">' in client.get("/?utm_source=x").content.decode()


def test_post_has_blogposting_json_ld_that_cannot_break_out(client, post):
    html = client.get("/shared-post/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</script>" not in block
    data = json.loads(block)
    assert data["@type"] == "BlogPosting" and data["headline"] == "Shared post"
    assert data["description"] == "Worth sharing </script>."
    assert data["author"] == {"@type": "Person", "name": "Paul Bissex"}
    assert data["keywords"] == ["Django"]


def test_sitemap_lists_posts_pages_tags_and_archives(client, post):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.findall(f"{SITEMAP}url")}
    year = f"{post.date:%Y}"
    for path in ["/", "/shared-post/", "/tag/django/", f"/{year}/", f"/{year}/{post.date:%m}/"]:
        assert f"http://localhost{path}" in urls, path
        assert urls[f"http://localhost{path}"], path  # every entry has a lastmod


def test_robots_names_the_sitemap_and_keeps_crawlers_out_of_admin_and_search(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /search/" in text


def test_404_keeps_the_header_and_a_search_box(client, post):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "That page isn’t here" in html
    assert 'class="site-header"' in html and 'name="q"' in html


def test_500_page_renders_without_the_database(rf, django_assert_num_queries, settings):
    """With no blog to ask, the page names the site from settings, with the tagline a new blog starts with."""
    with django_assert_num_queries(0):
        response = server_error(rf.get("/anything/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert 'class="site-header"' in html and 'name="q"' in html
    assert settings.WAGTAIL_SITE_NAME == "E-Scribe"
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "E-Scribe" in title
    header = re.search(r'<header class="site-header">(.*?)</header>', html, re.S).group(1)
    assert '<span class="site-name">E-Scribe</span>' in header
    assert '<span class="site-tagline">: a programmer’s blog</span>' in header
