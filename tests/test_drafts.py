"""What an anonymous reader may not read appears on no surface: drafts, scheduled, expired,
withdrawn and privacy-restricted posts (password, login, groups), with their tags and months."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import PageViewRestriction, Site

from blog.models import BlogPage
from home.models import SidebarSettings, StuffIUse

from .factories import BlogPageFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2016, 4, 1)

# Each surface, and what shows that the public post is there.
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
    ("/public/", "Public secret post"),  # neighbour links, JSON-LD, the sidebar
    ("/robots.txt", "Sitemap"),
]
RESTRICTIONS = {
    "password": {"restriction_type": PageViewRestriction.PASSWORD, "password": "swordfish"},
    "login": {"restriction_type": PageViewRestriction.LOGIN},
    "groups": {"restriction_type": PageViewRestriction.GROUPS},
}
HIDDEN_SLUGS = ["draft", "scheduled", "expired", "withdrawn", *RESTRICTIONS]


def restrict(page, kind):
    restriction = PageViewRestriction.objects.create(page=page, **RESTRICTIONS[kind])
    if kind == "groups":
        restriction.groups.set([Group.objects.get_or_create(name="Friends")[0]])
    return restriction


def hidden_post(blog, slug, **kwargs):
    """A post only its own tag ``<slug>only`` and the shared tag are on, with the secret words in every field."""
    title = f"{slug.title()} secret"
    return BlogPageFactory(
        parent=blog,
        title=title,
        slug=slug,
        date=DAY,
        tags=["shared", f"{slug}only"],
        summary=f"{title} summary",
        body=f"{title} body",
        **kwargs,
    )


@pytest.fixture
def hidden(blog):
    """One public post, and one of each kind of post readers must not see, all in April 2016;
    the hidden posts are the only ones in June 2016 too, and Stuff I Use names their tags."""
    BlogPageFactory(parent=blog, title="Public secret post", slug="public", date=DAY, tags=["shared"], summary="secret")
    now = datetime.datetime.now(datetime.UTC)
    hidden_post(blog, "draft", live=False)
    scheduled = hidden_post(blog, "scheduled", live=False)
    scheduled.go_live_at = now + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    expired = hidden_post(blog, "expired")
    expired.expire_at = now - datetime.timedelta(minutes=1)
    expired.save_revision().publish()
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
    hidden_post(blog, "withdrawn").unpublish()
    for kind in RESTRICTIONS:
        restrict(hidden_post(blog, kind), kind)
        hidden_post(blog, f"{kind}-june").date = datetime.date(2016, 6, 1)
    BlogPage.objects.filter(slug__endswith="-june").update(date=datetime.date(2016, 6, 1))
    for kind in RESTRICTIONS:
        restrict(BlogPage.objects.get(slug=f"{kind}-june"), kind)
    sidebar = SidebarSettings.for_site(Site.objects.get())
    sidebar.stuff_i_use = [StuffIUse(name=f"{slug}only") for slug in HIDDEN_SLUGS]
    sidebar.save()
    return HIDDEN_SLUGS


@pytest.mark.parametrize(("url", "public"), SURFACES)
def test_hidden_posts_appear_nowhere(client, hidden, url, public):
    text = client.get(url).content.decode()
    assert public in text
    for slug in hidden:
        for word in [
            f"{slug.title()} secret",
            f"/{slug}/",
            f"/tag/{slug}only/",
            f"{slug}only</a>",
            "June 2016",
            "/2016/06/",
        ]:
            assert word not in text, (url, word)


def test_hidden_posts_and_their_tags_answer_404(client, hidden):
    for slug in ["draft", "scheduled", "expired", "withdrawn"]:
        assert client.get(f"/{slug}/").status_code == 404, slug
    for slug in hidden:
        for url in [f"/tag/{slug}only/", f"/tag/{slug}only/feed/", f"/tag/{slug}only/feed/atom/", f"/post/{slug}/"]:
            assert client.get(url).status_code == 404, url
    assert client.get("/2016/06/").status_code == 404


def test_restricted_posts_are_reachable_only_behind_wagtails_forms(client, hidden):
    password_form = client.get("/password/")
    assert "Password secret body" not in password_form.content.decode()
    assert 'name="password"' in password_form.content.decode()
    assert client.get("/login/").status_code == 302
    assert client.get("/groups/").status_code == 302
    assert (
        "Password secret body"
        in client.post(
            password_form.context["action_url"], {"password": "swordfish", "return_url": "/password/"}, follow=True
        ).content.decode()
    )


def test_a_restriction_above_the_posts_hides_them_and_lifting_it_shows_them(client, blog):
    BlogPageFactory(parent=blog, title="Under the blog", slug="under")
    restriction = restrict(blog, "login")
    assert list(BlogPage.objects.published()) == []
    restriction.delete()
    assert [post.slug for post in BlogPage.objects.published()] == ["under"]


def test_a_post_created_under_a_restricted_page_is_hidden_from_the_start(blog):
    restrict(blog, "password")
    BlogPageFactory(parent=blog, title="Born private", slug="born-private")
    assert BlogPage.objects.get(slug="born-private").view_restricted
    assert not BlogPage.objects.published().exists()


def test_moving_a_post_under_a_restriction_hides_it(blog):
    """Posts live under the blog only, so the move that matters is the blog's own: under a restricted page."""
    from wagtail.models import Page

    BlogPageFactory(parent=blog, title="Moved along", slug="moved")
    shelter = Page.get_first_root_node().add_child(instance=Page(title="Members", slug="members"))
    restrict(shelter, "login")
    blog.move(shelter, pos="last-child")
    assert BlogPage.objects.get(slug="moved").view_restricted
    BlogPage.objects.get(slug="moved").specific  # noqa: B018
    blog.refresh_from_db()
    blog.move(Page.get_first_root_node(), pos="last-child")
    assert not BlogPage.objects.get(slug="moved").view_restricted
