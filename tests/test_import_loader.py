"""The loader: what any importer's records become on the site, and what a second run, a dry run and a failure do.

The source here is a list of records (blog/importers/records.py), as the readers make them;
the readers have tests of their own (test_import_wordpress.py, test_import_markdown.py).
"""

import datetime
import struct
import time
import zlib

import pytest
from django.core.management import call_command
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from blog.comments.models import Comment
from blog.importers import loader
from blog.importers.records import Comment as CommentRecord
from blog.importers.records import Post
from blog.models import BlogPage

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


class Source:
    """What a reader is to the loader: a label, posts one at a time, how far it has read, the old blog's hosts."""

    label = "Test source"
    hosts = {"old.example.com"}

    def __init__(self, *posts, fail_after=None):
        self.records, self.fail_after, self.read = posts, fail_after, 0

    def posts(self, report):
        for number, post in enumerate(self.records):
            if number == self.fail_after:
                raise OSError("the disk went away")
            self.read = number + 1
            yield post

    def fraction_read(self):
        return self.read / max(len(self.records), 1)


def record(number=1, **fields):
    values = {
        "source_id": f"test:{number}",
        "title": f"Post {number}",
        "slug": f"post-{number}",
        "date": datetime.datetime(2010, 5, 3, 14, 20, tzinfo=UTC),
        "status": "live",
        "body": f"Body of post {number}.",
        "summary": f"Summary {number}.",
        "tags": ["Django", "python"],
        "old_paths": [f"/2010/05/03/post-{number}/", f"/?p={number}"],
    }
    return Post(**{**values, **fields})


def comment(number, parent=None, status="approved", **fields):
    values = {
        "source_id": f"test:comment:{number}",
        "parent_id": parent and f"test:comment:{parent}",
        "name": f"Reader {number}",
        "email": f"r{number}@example.com",
        "url": "",
        "ip": "203.0.113.5",
        "created": datetime.datetime(2010, 5, 4, 9, number, tzinfo=UTC),
        "text": f"Comment {number}",
        "status": status,
    }
    return CommentRecord(**{**values, **fields})


def png(path, colour=0):
    """A real 1x1 PNG file, of one colour."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00" + bytes([colour, 0, 0])
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def test_a_live_post_lands_with_its_date_tags_and_summary(blog):
    report = loader.run(Source(record()))
    post = BlogPage.objects.get(import_id="test:1")
    assert (report.created, post.slug, post.live, post.date) == (1, "post-1", True, datetime.date(2010, 5, 3))
    assert post.first_published_at == datetime.datetime(2010, 5, 3, 14, 20, tzinfo=UTC)
    assert sorted(post.tags.names()) == ["Django", "python"]
    assert post.summary == "Summary 1." and "Body of post 1." in post.body_html
    assert BlogPage.objects.published().filter(pk=post.pk).exists()


def test_readers_find_the_post_at_its_old_addresses(blog, client):
    loader.run(Source(record()))
    for old in ("/2010/05/03/post-1/", "/?p=1"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/post-1/"), old
    assert client.get("/post-1/").status_code == 200
    assert client.get("/?page=1").status_code == 200  # the front page's own parameter is no redirect


def test_comments_keep_their_status_and_their_threads_and_are_never_sent_to_akismet(blog):
    post = record(comments=[comment(1), comment(2, parent=1), comment(3, status="pending"), comment(4, "9")])
    report = loader.run(Source(post))
    comments = {c.import_id: c for c in Comment.objects.all()}
    assert report.comments == 4
    assert comments["test:comment:2"].parent == comments["test:comment:1"]
    assert comments["test:comment:3"].status == Comment.Status.PENDING
    assert {c.spam_check for c in comments.values()} == {Comment.SpamCheck.IMPORTED}
    assert comments["test:comment:4"].parent is None
    assert any("answers one the source does not have" in message for _, message in report.warnings)


def test_importing_again_changes_nothing_and_doubles_nothing(blog):
    source = lambda: Source(record(comments=[comment(1)]), record(2))  # noqa: E731
    loader.run(source())
    again = loader.run(source())
    assert (again.created, again.updated, again.unchanged, again.comments) == (0, 0, 2, 0)
    assert BlogPage.objects.count() == 2 and Comment.objects.count() == 1
    assert Redirect.objects.count() == 4


def test_a_post_changed_at_the_source_is_updated_in_place_with_its_new_comments(blog):
    loader.run(Source(record(comments=[comment(1)])))
    report = loader.run(Source(record(title="Post 1, revised", comments=[comment(1), comment(2)])))
    post = BlogPage.objects.get()
    assert (report.updated, report.comments, post.title, post.slug) == (1, 1, "Post 1, revised", "post-1")
    assert Comment.objects.count() == 2


def test_a_draft_published_at_the_source_since_goes_live_when_imported_again(blog):
    loader.run(Source(record(status="draft")))
    assert not BlogPage.objects.published().exists()
    loader.run(Source(record(status="live")))
    assert BlogPage.objects.published().get().first_published_at == record().date


def test_a_dry_run_reports_the_same_and_writes_nothing(blog, tmp_path):
    source = lambda: Source(record(comments=[comment(1)], images={"/pic.png": png(tmp_path / "pic.png")}))  # noqa: E731
    trial = loader.run(source(), dry_run=True)
    assert (trial.created, trial.comments, trial.images, trial.redirects, trial.tags) == (1, 1, 1, 2, 2)
    assert not BlogPage.objects.exists() and not Comment.objects.exists() and not Redirect.objects.exists()
    assert not Tag.objects.exists() and not get_image_model().objects.exists()
    real = loader.run(source())
    assert (real.created, real.comments, real.images, real.redirects, real.tags) == (1, 1, 1, 2, 2)


def test_a_failing_source_leaves_nothing_half_made(blog, tmp_path):
    source = Source(record(images={"/a.png": png(tmp_path / "a.png")}), record(2), fail_after=1)
    with pytest.raises(OSError):
        loader.run(source)
    assert not BlogPage.objects.exists() and not Redirect.objects.exists()
    assert not any((tmp_path.parent).glob("**/original_images/a*.png"))


def test_a_post_the_database_refuses_is_skipped_and_the_others_land(blog):
    broken = record(2, comments=[comment(1, created=None)])
    report = loader.run(Source(record(1), broken, record(3)))
    assert sorted(BlogPage.objects.values_list("import_id", flat=True)) == ["test:1", "test:3"]
    assert [item for item, _ in report.skipped] == [broken.label]


@pytest.mark.parametrize(
    ("slug", "renamed"),
    [("about", "about-2"), ("archive", "archive-2"), ("search", "search-2"), ("2016", "2016-2"), ("tag", "tag-2")],
)
def test_a_slug_that_would_shadow_the_sites_own_pages_is_renamed_with_a_redirect(demo, client, slug, renamed):
    report = loader.run(Source(record(slug=slug, old_paths=[])))
    post = BlogPage.objects.get(import_id="test:1")
    assert post.slug == renamed
    assert any(f"“{slug}” renamed “{renamed}”" in message for _, message in report.warnings)
    assert client.get(f"/post/{slug}/")["Location"] == f"/{renamed}/"


def test_two_posts_with_one_slug_both_land(blog):
    loader.run(Source(record(1, slug="same"), record(2, slug="same")))
    assert sorted(BlogPage.objects.values_list("slug", flat=True)) == ["same", "same-2"]


def test_a_scheduled_post_goes_live_when_its_time_comes(blog):
    soon = datetime.datetime.now(UTC) + datetime.timedelta(seconds=1)
    loader.run(Source(record(status="scheduled", date=soon)))
    post = BlogPage.objects.get()
    assert not post.live and post.go_live_at == soon
    assert not BlogPage.objects.published().exists()
    time.sleep(max(0, (soon - datetime.datetime.now(UTC)).total_seconds()) + 0.1)  # its time has come
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert BlogPage.objects.published().filter(pk=post.pk).exists()


def test_a_drafts_old_addresses_lead_nowhere_until_it_is_published(blog, client):
    """A redirect to a draft would tell anyone where an unpublished post will be."""
    loader.run(Source(record(status="draft")))
    assert client.get("/?p=1").status_code == 200 and client.get("/2010/05/03/post-1/").status_code == 404
    BlogPage.objects.get().save_revision().publish()
    assert client.get("/?p=1")["Location"] == "/post-1/"
    assert client.get("/2010/05/03/post-1/")["Location"] == "/post-1/"


def test_drafts_and_password_protected_posts_stay_out_of_listings(blog, client):
    loader.run(Source(record(1, status="draft"), record(2, password="secret")))
    assert not BlogPage.objects.published().exists()
    assert BlogPage.objects.get(import_id="test:1").live is False
    assert "password" in client.get("/post-2/").content.decode().lower()


def test_images_become_wagtail_images_once_each(blog, tmp_path):
    picture = png(tmp_path / "pic.png")
    body = '![A pic](http://old.example/pic.png)\n\n<img src="http://old.example/pic.png">'
    report = loader.run(
        Source(
            record(1, body=body, images={"http://old.example/pic.png": picture}),
            record(2, body="![again](/copy.png)", images={"/copy.png": png(tmp_path / "copy.png")}),
        )
    )
    image = get_image_model().objects.get()
    assert report.images == 1
    assert (
        BlogPage.objects.get(import_id="test:1").body == f'![A pic](image:{image.pk})\n\n<img src="image:{image.pk}">'
    )
    assert BlogPage.objects.get(import_id="test:2").body == f"![again](image:{image.pk})"


def test_without_a_blog_the_loader_says_so_and_writes_nothing(db):
    with pytest.raises(loader.NoBlog, match="no blog"):
        loader.run(Source(record()))


def test_a_post_edited_here_keeps_its_text_when_imported_again_and_gets_new_comments(blog, django_user_model):
    loader.run(Source(record(comments=[comment(1)])))
    post = BlogPage.objects.get()
    post.body = "Corrected here."
    post.save_revision(user=django_user_model.objects.create_user("ed")).publish()
    report = loader.run(Source(record(body="The old text, changed at the source.", comments=[comment(1), comment(2)])))
    post.refresh_from_db()
    assert post.body == "Corrected here." and Comment.objects.count() == 2
    assert any("edited here" in message for _, message in report.warnings)


def test_a_password_added_or_removed_at_the_source_is_applied_when_imported_again(blog):
    loader.run(Source(record()))
    loader.run(Source(record(password="secret")))
    assert PageViewRestriction.objects.get().password == "secret"
    assert not BlogPage.objects.published().exists()
    loader.run(Source(record()))
    assert not PageViewRestriction.objects.exists() and BlogPage.objects.published().exists()


def test_a_scheduled_post_moved_at_the_source_keeps_one_schedule(blog):
    later = datetime.datetime.now(UTC) + datetime.timedelta(days=3)
    loader.run(Source(record(status="scheduled", date=later)))
    loader.run(Source(record(status="scheduled", date=later + datetime.timedelta(days=1))))
    post = BlogPage.objects.get()
    assert list(post.revisions.exclude(approved_go_live_at=None).values_list("approved_go_live_at", flat=True)) == [
        later + datetime.timedelta(days=1)
    ]
    assert post.go_live_at == later + datetime.timedelta(days=1)


def test_a_rolled_back_post_takes_its_new_tags_and_counts_with_it(blog):
    broken = record(2, tags=["Only here"], comments=[comment(1, created=None)])
    report = loader.run(Source(broken, record(3, tags=["Only here"])))
    assert list(BlogPage.objects.get().tags.names()) == ["Only here"]  # made again for post 3, not a dead one
    assert (report.created, report.comments) == (1, 0)


def test_links_between_imported_posts_lead_to_the_new_pages(blog, client):
    body = (
        "See [the first](https://old.example.com/2010/05/03/post-1/), [again](/?p=1), "
        '<a href="/post/post-1/">by slug</a>, and [elsewhere](https://other.example.org/2010/05/03/post-1/).'
    )
    report = loader.run(Source(record(1), record(2, body=body)))
    first, second = BlogPage.objects.order_by("pk")
    assert second.body.count(f"page:{first.pk}") == 3 and "other.example.org" in second.body
    assert report.links == 3
    page = client.get("/post-2/").content.decode()
    assert page.count('href="/post-1/"') >= 3
