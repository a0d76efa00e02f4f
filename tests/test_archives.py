"""Date archives: year and month pages, their neighbours, and the index of every month."""

import datetime

import pytest

from .factories import BlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(blog):
    dates = [
        datetime.date(2014, 2, 14),
        datetime.date(2016, 4, 1),
        datetime.date(2016, 4, 20),
        datetime.date(2016, 9, 3),
    ]
    return [BlogPageFactory(parent=blog, title=f"Post of {d:%B %Y} {d.day}", date=d) for d in dates]


def test_year_page_lists_its_posts_and_neighbours(client, posts):
    html = client.get("/2016/").content.decode()
    assert "Posts from 2016" in html
    assert "Post of April 2016 1" in html and "Post of September 2016 3" in html
    assert "Post of February 2014" not in html
    assert '<a href="/2014/">← 2014</a>' in html  # 2015 has no posts: skipped
    assert "→" not in html.split('class="period-neighbours"')[1]


def test_month_page_and_its_neighbours(client, posts):
    html = client.get("/2016/04/").content.decode()
    assert "Posts from April 2016" in html and "(2)" in html
    assert '<a href="/2014/02/">← February 2014</a>' in html
    assert '<a href="/2016/09/">September 2016 →</a>' in html


def test_archive_index_counts_every_month_and_is_in_the_sidebar(client, posts):
    html = client.get("/archive/").content.decode()
    assert '<a href="/2016/">2016</a> <span class="count">(3)</span>' in html
    assert '<a href="/2016/04/">April 2016</a> (2)' in html
    assert '<a href="/2014/02/">February 2014</a> (1)' in html
    assert 'href="/archive/"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "url", ["/2015/", "/2016/05/", "/2016/13/", "/2016/00/", "/1999/01/", "/9999/", "/9999/12/", "/0000/", "/2016/7/"]
)
def test_empty_or_impossible_periods_are_404(client, posts, url):
    assert client.get(url).status_code == 404


def test_a_post_dated_in_an_odd_year_breaks_nothing(client, blog, posts):
    """A typo such as 0215 for 2015 is still a date: its archive, the index and the sitemap all work."""
    BlogPageFactory(parent=blog, title="Typo year", date=datetime.date(215, 3, 1))
    for url in ["/0215/", "/0215/03/", "/archive/", "/sitemap.xml", "/2014/"]:
        assert client.get(url).status_code == 200, url
    assert 'href="/0215/"' in client.get("/2014/").content.decode()


def test_archive_pages_paginate_with_rel_links(client, blog, posts):
    blog.posts_per_page = 2
    blog.save_revision().publish()
    first = client.get("/2016/").content.decode()
    assert 'rel="next" href="?page=2"' in first
    assert 'rel="prev"' in client.get("/2016/?page=2").content.decode()
    assert client.get("/2016/?page=3").status_code == 404
    assert client.get("/2016/?page=-1").status_code == 404


def test_post_pages_link_to_their_neighbours(client, posts):
    html = client.get("/post-of-april-2016-20/").content.decode()
    assert 'rel="prev" href="/post-of-april-2016-1/"' in html
    assert 'rel="next" href="/post-of-september-2016-3/"' in html
    oldest = client.get("/post-of-february-2014-14/").content.decode()
    assert 'rel="prev"' not in oldest.split('class="post-neighbours"')[1].split("</nav>")[0]
