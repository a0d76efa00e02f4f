"""``load_demo``: builds the seed's site once and leaves an existing site alone."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from taggit.models import Tag
from wagtail.models import Page, Site

from blog.models import BlogIndexPage, BlogPage
from home.models import SidebarSettings

pytestmark = pytest.mark.django_db


def test_demo_builds_the_seed_site(demo):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific == demo
    posts = list(BlogPage.objects.published())
    assert posts[0].title == "What happens when you screw up?"
    assert len(posts) >= 12
    assert len({p.date.year for p in posts}) >= 5
    assert Tag.objects.count() >= 10
    sidebar = SidebarSettings.for_site(site)
    assert [i.name for i in sidebar.stuff_i_use.all()][:3] == ["bitbucket", "Django", "Emacs"]
    assert sidebar.spam_baseline == 236325 and sidebar.spam_since_year == 2008
    # Wagtail's welcome page is gone; every post has a revision an editor can roll back to.
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    assert all(p.latest_revision_id for p in posts)


def test_demo_is_idempotent(demo):
    counts = (Page.objects.count(), Tag.objects.count(), get_user_model().objects.count())
    password = (settings.DATA_DIR / "admin-password.txt").read_text()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Page.objects.count(), Tag.objects.count(), get_user_model().objects.count()) == counts
    assert (settings.DATA_DIR / "admin-password.txt").read_text() == password
    assert BlogIndexPage.objects.count() == 1


@pytest.mark.parametrize(
    ("username", "group", "landing"),
    [
        ("admin", None, "/admin/pages/"),
        ("editor", "Editors", "/admin/pages/"),
        ("moderator", "Moderators", "/admin/snippets/blog/comment/"),
    ],
)
def test_demo_users_get_generated_passwords_that_work(demo, client, username, group, landing):
    password = (settings.DATA_DIR / f"{username}-password.txt").read_text().strip()
    assert len(password) >= 12
    user = get_user_model().objects.get(username=username)
    assert [g.name for g in user.groups.all()] == ([group] if group else [])
    # The login throttle (django-axes) needs a request to count against.
    assert client.login(request=HttpRequest(), username=username, password=password)
    assert client.get(landing).status_code == 200
