"""Drafts, scheduled and withdrawn posts never reach a reader, on any surface."""

import datetime

import pytest

from .factories import BlogPageFactory

pytestmark = pytest.mark.django_db

# Each surface, and what shows that the one public post is there.
SURFACES = [
    ("/", "Public secret post"),
    ("/tag/shared/", "(1 post)"),
    ("/2016/", "Public secret post"),
    ("/2016/04/", "Public secret post"),
    ("/archive/", "April 2016</a> (1)"),
    ("/feed/", "Public secret post"),
    ("/feed/atom/", "Public secret post"),
    ("/tag/shared/feed/", "Public secret post"),
    ("/tag/shared/feed/atom/", "Public secret post"),
    ("/search/?q=secret", "1 post found"),
    ("/sitemap.xml", "/public/"),
]


@pytest.fixture
def hidden(blog):
    """One published post, and one of each kind of post readers must not see, all in April 2016."""
    day = datetime.date(2016, 4, 1)
    BlogPageFactory(parent=blog, title="Public secret post", slug="public", date=day, tags=["shared"], summary="secret")
    draft = BlogPageFactory(parent=blog, title="Draft secret", slug="draft", date=day, live=False, tags=["shared", "draftonly"])
    scheduled = BlogPageFactory(parent=blog, title="Scheduled secret", slug="scheduled", date=day, live=False, tags=["shared"])
    scheduled.go_live_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    withdrawn = BlogPageFactory(parent=blog, title="Withdrawn secret", slug="withdrawn", date=day, tags=["shared"])
    withdrawn.unpublish()
    return [draft, scheduled, withdrawn]


@pytest.mark.parametrize(("url", "public"), SURFACES)
def test_hidden_posts_appear_nowhere(client, hidden, url, public):
    text = client.get(url).content.decode()
    assert public in text
    for word in ["Draft secret", "Scheduled secret", "Withdrawn secret", "/draft/", "/scheduled/", "/withdrawn/", "draftonly"]:
        assert word not in text, (url, word)


def test_hidden_posts_and_their_tags_answer_404(client, hidden):
    for url in ["/draft/", "/scheduled/", "/withdrawn/", "/tag/draftonly/", "/tag/draftonly/feed/", "/post/draft/"]:
        assert client.get(url).status_code == 404, url
