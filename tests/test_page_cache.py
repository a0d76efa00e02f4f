"""Anonymous readers are served from the cache, and every change they could see makes pages fresh at once."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from taggit.models import Tag
from wagtail.models import Site

from blog.models import Comment
from home.models import SidebarSettings, StuffIUse

from .factories import BlogPageFactory, CommentFactory, comment_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(blog):
    return BlogPageFactory(parent=blog, title="Cached post", slug="cached-post", tags=["caching"])


def html(client, url="/"):
    return client.get(url).content.decode()


def test_second_view_comes_from_the_cache_with_validators(client, post):
    first = client.get("/cached-post/")
    second = client.get("/cached-post/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert "s-maxage=60" in second["Cache-Control"] and "public" in second["Cache-Control"]
    assert second["ETag"] and second["Last-Modified"]


def test_conditional_gets_answer_304(client, post):
    response = client.get("/cached-post/")
    assert client.get("/cached-post/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get("/cached-post/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


def test_logged_in_users_never_see_or_fill_the_cache(client, post, admin_user):
    client.get("/cached-post/")
    client.force_login(admin_user)
    response = client.get("/cached-post/")
    assert "X-Cache" not in response
    assert "wagtail-userbar" in response.content.decode()
    client.logout()
    assert "wagtail-userbar" not in html(client, "/cached-post/")


def test_publishing_unpublishing_and_deleting_refresh_pages(client, blog, post):
    assert "Cached post" in html(client)
    new = BlogPageFactory(parent=blog, title="Fresh news")
    assert "Fresh news" in html(client)
    new.unpublish()
    assert "Fresh news" not in html(client)
    post.delete()
    assert "Cached post" not in html(client)


def test_editing_a_post_refreshes_it(client, post):
    assert "Cached post" in html(client, "/cached-post/")
    post.title = "Edited title"
    post.save_revision().publish()
    assert "Edited title" in html(client, "/cached-post/")


def test_moving_a_page_refreshes_pages(client, blog, post):
    from home.models import AboutPage

    about = AboutPage(title="About Me", slug="about", blurb="Hi")
    blog.add_child(instance=about)
    about.save_revision().publish()
    assert "/about/" in html(client)
    other_root = BlogPageFactory(parent=blog, title="Holder")
    about.move(other_root, pos="last-child")
    assert 'href="/about/"' not in html(client)


def test_approving_and_removing_comments_refresh_the_post(client, django_user_model, post, django_capture_on_commit_callbacks):
    comment = CommentFactory(post=post, text="A cached comment")
    assert "A cached comment" not in html(client, "/cached-post/")
    moderator = django_user_model.objects.create_user("mo", "mo@example.com", "pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    staff = Client()
    staff.force_login(moderator)
    staff.post(reverse("wagtail_bulk_action", args=("blog", "comment", "approve")) + f"?id={comment.pk}")
    assert Comment.objects.get().status == "approved"
    assert "A cached comment" in html(client, "/cached-post/")
    Comment.objects.get().delete()
    assert "A cached comment" not in html(client, "/cached-post/")


def test_settings_and_tags_refresh_every_page(client, post):
    assert ">caching</a>" in html(client)
    settings = SidebarSettings.for_site(Site.objects.get())
    settings.stuff_i_use = [StuffIUse(name="Caching")]
    settings.save()
    assert '<a href="/tag/caching/">Caching</a>' in html(client)
    tag = Tag.objects.get(name="caching")
    tag.name = "memoisation"
    tag.save()
    assert ">memoisation</a>" in html(client, "/cached-post/")


def test_the_comment_form_works_on_a_cached_page(post, django_capture_on_commit_callbacks):
    reader = Client(enforce_csrf_checks=True)
    reader.get("/cached-post/")
    page = reader.get("/cached-post/")
    assert page["X-Cache"] == "hit" and "csrfmiddlewaretoken" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = reader.post(f"/comments/post/{post.pk}/", comment_form_data())
    assert response.status_code == 302
    thanks = reader.get("/cached-post/")  # carries the one-time message: not from the cache
    assert "X-Cache" not in thanks or thanks["X-Cache"] == "miss"
    assert "once a moderator approves it" in thanks.content.decode()
    assert "once a moderator approves it" not in Client().get("/cached-post/").content.decode()


def test_a_full_page_cache_makes_room_without_dropping_the_version(client, post, settings, tmp_path):
    """A file cache culls a third of its entries at random when full; the version lives elsewhere,
    so a crawl of many pages never makes every page stale at once."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tmp_path,
                  "OPTIONS": {"MAX_ENTRIES": 10}},
    }  # fmt: skip
    from home.page_cache import current_version

    version = current_version()
    for n in range(40):
        assert client.get(f"/cached-post/?from=crawler-{n}")["X-Cache"] == "miss"
    assert current_version() == version
    assert len(list(tmp_path.iterdir())) <= 10
