"""The search page: ranked, paginated, excerpted, and calm whatever a reader types."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import BlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(blog):
    BlogPageFactory(
        parent=blog,
        title="SQLite in production",
        slug="sqlite",
        summary="Why SQLite is enough.",
        body="WAL mode lets readers and a writer work at once.",
        tags=["databases"],
    )
    BlogPageFactory(
        parent=blog, title="Tagged only", slug="tagged", summary="Nothing here.", body="Nor here.", tags=["SQLite"]
    )
    BlogPageFactory(parent=blog, title="Unrelated", slug="unrelated", summary="Gardening.", body="Tomatoes.")


def test_finds_posts_by_title_summary_body_and_tag(client, posts):
    html = client.get("/search/?q=sqlite").content.decode()
    assert "2 posts found for “sqlite”" in html
    assert "SQLite in production" in html and "Tagged only" in html and "Unrelated" not in html
    assert "Tomatoes" not in html
    assert "WAL mode" in client.get("/search/?q=writer").content.decode()


def test_best_match_first(client, blog):
    BlogPageFactory(
        parent=blog,
        title="A long ramble",
        summary="Many things.",
        body="Gardens, kitchens, bicycles and, once, caching. " + "More words about other things. " * 40,
    )
    BlogPageFactory(parent=blog, title="Caching", summary="All about caching.", body="Caching pages. Caching queries.")
    html = client.get("/search/?q=caching").content.decode()
    assert "2 posts found for “caching”, best match first." in html
    assert html.index(">Caching</a>") < html.index(">A long ramble</a>")


def test_excerpts_mark_the_readers_words(client, posts):
    html = client.get("/search/?q=readers+writer").content.decode()
    assert "WAL mode lets <mark>readers</mark> and a <mark>writer</mark> work at once." in html


def test_the_query_is_shown_back_safely(client, posts):
    html = client.get("/search/", {"q": "<script>alert(1)</script> sqlite"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; sqlite" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        "'; DROP TABLE blog_blogpage; --",
        '" OR 1=1 --',
        "AND OR NOT",
        "日本語のブログ",
        "🙂",
        "a" * 5000,
        "sqlite*",
        "(unbalanced",
        "\x00",
        "%00",
        "-sqlite",
        "sqlite " * 100,
    ],
)
def test_absurd_queries_get_a_friendly_page(client, posts, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "Search" in response.content.decode()


def test_pages_of_results(client, blog):
    for n in range(12):
        BlogPageFactory(parent=blog, title=f"Widget post {n}", body="widgets")
    first = client.get("/search/?q=widgets").content.decode()
    assert first.count('<li><h2><a href="') == 10
    assert 'rel="next" href="?page=2&amp;q=widgets"' in first
    assert client.get("/search/?q=widgets&page=2").content.decode().count('<li><h2><a href="') == 2
    assert client.get("/search/?q=widgets&page=3").status_code == 404
    assert client.get("/search/?q=widgets&page=nope").status_code == 404


def test_search_box_in_every_page_header(client, posts):
    assert '<form class="site-search" role="search" action="/search/"' in client.get("/sqlite/").content.decode()


def test_a_word_in_very_many_posts_lists_them_newest_first(client, blog, monkeypatch):
    """Ranking costs the square of the matches in SQLite: past a limit the newest come first, and the page says so."""
    from search import views

    monkeypatch.setattr(views, "RANK_AT_MOST", 2)
    for year, title in (
        (2014, "Caching, caching, caching"),
        (2016, "Newest, mentions caching"),
        (2015, "Middle caching"),
    ):
        BlogPageFactory(parent=blog, title=title, date=datetime.date(year, 1, 1), body="caching")
    html = client.get("/search/?q=caching").content.decode()
    assert "3 posts found for “caching”, newest first." in html
    assert html.index("Newest, mentions") < html.index("Middle caching") < html.index("Caching, caching")


@pytest.mark.parametrize(("word", "scored"), [("zyzzyva", False), ("caching", True)])
def test_only_two_or_more_matches_are_scored(client, blog, settings, word, scored):
    """Scoring a lone match (a subquery for each) would order nothing: a rare word is found at half the cost."""
    settings.PAGE_CACHE_ENABLED = False
    BlogPageFactory(parent=blog, title="Caching, a zyzzyva", body="caching")
    BlogPageFactory(parent=blog, title="More caching", body="caching")
    with CaptureQueriesContext(connection) as queries:
        assert word in client.get(f"/search/?q={word}").content.decode()
    scoring = ("_score", "ts_rank")  # SQLite's subquery, PostgreSQL's ranking function
    assert any(marker in query["sql"] for query in queries for marker in scoring) == scored


# A search's SQL, compiled once for as many words (search/compiled.py) --------------------------------------------


@pytest.fixture
def odd_words(posts, blog):
    BlogPageFactory(
        parent=blog,
        title="Odd words",
        slug="odd-words",
        summary="In 2015, a café.",
        body="snake_case and the escribeplaceholder1x that looks like a placeholder, beside SQLite.",
    )


@pytest.mark.parametrize(
    "query",
    [
        "sqlite",
        "readers wal",
        "wal readers",
        "tomatoes gardening",
        "2015",
        "café",
        "snake_case",
        "the",
        "sqlite the café",
        "escribeplaceholder1x",
        "escribeplaceholder1x sqlite",
        "sqlite escribeplaceholder0x",
        "tomatoes zyzzyva",
    ],
)
def test_a_search_sent_as_compiled_finds_what_wagtails_search_finds(odd_words, query):
    from search.highlight import terms
    from search.views import first_rows, newest_first

    words = terms(query)
    found = [post.pk for post in first_rows.rows(words)]
    assert found == [post.pk for post in newest_first(words)[:11]]
    assert found == [post.pk for post in first_rows.rows(words)]  # compiled the first time, reused the second


def test_each_number_of_words_is_compiled_once_until_a_change(client, blog, posts, settings):
    settings.PAGE_CACHE_ENABLED = False

    def compiled(query):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/search/", {"q": query}).status_code == 200
        return sum("escribeplaceholder" in query["sql"] for query in queries)

    assert [compiled(query) for query in ("sqlite wal", "tomatoes gardening", "sqlite", "wal")] == [1, 0, 1, 0]
    assert "SQLite in production" in client.get("/search/", {"q": "readers wal"}).content.decode()
    BlogPageFactory(parent=blog, title="Later")
    assert [compiled(query) for query in ("wal", "sqlite")] == [1, 0]


def test_a_search_whose_words_are_in_its_sql_text_is_built_as_usual(posts):
    """Should a backend write a word into the SQL rather than pass it as a parameter, nothing is compiled."""
    from django.db.models.expressions import RawSQL

    from blog.models import BlogPage
    from search.compiled import CompiledSearch

    def build(words):
        quoted = words[0].replace("'", "''")
        return BlogPage.objects.annotate(word=RawSQL(f"'{quoted}'", [])).filter(title__icontains=words[0])

    rows = CompiledSearch(BlogPage, build, 10).rows(["sqlite"])
    assert [(post.title, post.word) for post in rows] == [("SQLite in production", "sqlite")]
