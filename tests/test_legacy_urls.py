"""Old permalinks from the blog's earlier lives, and renamed posts, answer with a permanent redirect."""

import pytest

from .factories import BlogPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.post(title="Old post", slug="old-post", legacy_id=123)]


@pytest.mark.parametrize("url", ["/123", "/news/123", "/news/123/", "/post/old-post/", "/post/old-post"])
def test_old_addresses_redirect_permanently(client, post, url):
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (301, "/old-post/")


@pytest.mark.parametrize("url", ["/999", "/news/999", "/post/no-such-post/", "/123456789012345678901234567890"])
def test_unknown_old_addresses_are_404(client, post, url):
    assert client.get(url).status_code == 404


def test_a_draft_is_not_reachable_by_its_old_number(client, blog):
    BlogPageFactory(parent=blog, slug="hidden", legacy_id=7, live=False)
    assert client.get("/7").status_code == 404


def test_renaming_a_post_leaves_a_redirect(client, post, django_capture_on_commit_callbacks):
    post.slug = "new-name"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail makes the redirect once the rename commits
        post.save_revision().publish()
    response = client.get("/old-post/")
    assert (response.status_code, response["Location"]) == (301, "/new-name/")
    assert client.get("/123")["Location"] == "/new-name/"
