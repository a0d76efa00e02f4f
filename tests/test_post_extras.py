"""What readers get under and beside a post: related posts and the reading time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from blog.models import BlogPage

from .factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def related_titles(client, url):
    html = client.get(url).content.decode()
    if 'class="related-posts"' not in html:
        return []
    section = html.split('class="related-posts"')[1].split("</section>")[0]
    return [line.split(">")[1].split("<")[0] for line in section.split('<a href="')[1:]]


def day(n):
    return datetime.date(2020, 1, 1) + datetime.timedelta(days=n)


def test_related_posts_share_the_most_tags_newest_first_among_equals(client, blog):
    BlogPageFactory(parent=blog, slug="this", tags=["django", "wagtail", "sqlite"], date=day(50))
    BlogPageFactory(parent=blog, title="Two tags, old", tags=["django", "wagtail"], date=day(1))
    BlogPageFactory(parent=blog, title="One tag, newest", tags=["sqlite"], date=day(40))
    BlogPageFactory(parent=blog, title="One tag, older", tags=["django"], date=day(30))
    BlogPageFactory(parent=blog, title="One tag, oldest", tags=["wagtail"], date=day(2))
    BlogPageFactory(parent=blog, title="Nothing shared", tags=["cooking"], date=day(45))
    draft = BlogPageFactory(parent=blog, title="A draft", tags=["django", "wagtail", "sqlite"], live=False)
    private = BlogPageFactory(parent=blog, title="Private", tags=["django", "wagtail", "sqlite"], date=day(49))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    assert related_titles(client, "/this/") == ["Two tags, old", "One tag, newest", "One tag, older"]
    assert draft.title not in client.get("/this/").content.decode()


def test_a_post_without_tags_or_company_suggests_nothing(client, blog):
    BlogPageFactory(parent=blog, slug="alone", tags=[])
    BlogPageFactory(parent=blog, slug="unique", tags=["only-here"])
    assert related_titles(client, "/alone/") == [] and related_titles(client, "/unique/") == []


def test_related_posts_cost_one_query_however_many_posts_and_tags(blog):
    post = BlogPageFactory(parent=blog, slug="this", tags=[f"tag-{n}" for n in range(10)])

    def queries():
        fresh = BlogPage.objects.with_tags().get(pk=post.pk)
        with CaptureQueriesContext(connection) as captured:
            assert len(fresh.related) <= 3
        return len(captured)

    few = queries()
    for n in range(30):
        BlogPageFactory(parent=blog, tags=[f"tag-{n % 10}", f"tag-{(n + 1) % 10}", "other"])
    assert queries() == few == 1


@pytest.mark.parametrize(
    ("body", "minutes"),
    [
        ("word " * 100, 1),
        ("word " * 460, 2),
        ("word " * 460 + "\n\n```python\n" + "x = 1\n" * 2000 + "```\n", 2),  # code is not counted
    ],
)
def test_the_reading_time_beside_the_date(client, blog, body, minutes):
    BlogPageFactory(parent=blog, slug="read", body=body)
    html = client.get("/read/").content.decode()
    assert f"</time> · {minutes} min read</p>" in html


def test_editors_see_when_scheduled_posts_go_live_in_the_sites_time_zone(client, blog, editor, settings):
    from django.utils import timezone

    settings.TIME_ZONE = "America/New_York"
    at = timezone.make_aware(datetime.datetime(2031, 3, 4, 9, 30), timezone.get_fixed_timezone(-5 * 60))
    for title, days in [("Written further ahead", 1), ("Written ahead", 0)]:
        post = BlogPageFactory(parent=blog, title=title, live=False)
        post.go_live_at = at + datetime.timedelta(days=days)
        post.save_revision().publish()  # as Publish with a go-live time does: scheduled, not live yet
    client.force_login(editor)
    dashboard = client.get("/admin/").content.decode()
    assert "Written ahead</a>: goes live Tuesday 4 March 2031, 09:30 EST" in dashboard
    assert "Written further ahead</a>: goes live Wednesday 5 March 2031, 09:30 EST" in dashboard
    assert dashboard.index("Written ahead</a>: goes") < dashboard.index("Written further ahead</a>: goes")
    editing = client.get(f"/admin/pages/{post.pk}/edit/").content.decode()
    assert "March 4, 2031" in editing  # Wagtail's own status panel says when


def test_a_post_image_is_what_link_previews_and_feeds_show(client, blog, settings):
    import re

    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from home.models import SharingSettings

    settings.PAGE_CACHE_ENABLED = False
    photo = get_image_model().objects.create(
        title="A photo", description="Racks of servers", file=get_test_image_file()
    )
    banner = get_image_model().objects.create(title="The site's banner", file=get_test_image_file())
    BlogPageFactory(parent=blog, slug="pictured", image=photo, show_image=True)
    BlogPageFactory(parent=blog, slug="plain", date=datetime.date(2001, 1, 1))

    assert "og:image" not in client.get("/plain/").content.decode()  # neither a post image nor a default
    assert '<meta name="twitter:card" content="summary">' in client.get("/plain/").content.decode()
    sharing = SharingSettings.for_site(blog.get_site())
    sharing.default_image = banner
    sharing.save()

    html = client.get("/pictured/").content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html)[1]
    assert re.fullmatch(r"http://testserver/media/images/test\w*\.\w+\.fill-1200x630\.png", og)  # the page's own host
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:image:alt" content="Racks of servers">' in html
    top = re.search(r'<figure class="post-image"><img [^>]+></figure>', html)[0]
    assert 'srcset="' in top and 'alt="Racks of servers"' in top and 'width="640"' in top

    plain = client.get("/plain/").content.decode()
    assert re.search(r'<meta property="og:image" content="http://testserver/media/images/[^"]+fill-1200x630', plain)
    assert '<meta property="og:image:alt" content="The site&#x27;s banner">' in plain
    assert '<figure class="post-image">' not in plain

    feed = client.get("/feed/").content.decode()
    enclosure = re.search(r"<enclosure [^>]*>", feed)[0]
    assert re.search(r'url="http://localhost/media/images/\S+fill-1200x630\S*"', enclosure)
    assert re.search(r'length="[1-9]\d*"', enclosure) and 'type="image/png"' in enclosure
    assert feed.count("<enclosure") == 1
    atom = client.get("/feed/atom/").content.decode()
    assert 'rel="enclosure"' in atom
