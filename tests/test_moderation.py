"""The moderator's side: the queue in Wagtail, bulk decisions, Akismet feedback, permissions and the spam count."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blog.comments.models import Comment, SpamCounter

from .factories import BlogPageFactory, CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/blog/comment/"


@pytest.fixture
def logged_in_moderator(moderator, client):
    """The conftest's moderator, with the test client logged in as them: these tests act in the admin."""
    client.force_login(moderator)
    return moderator


def bulk(client, action, comments, captured, **params):
    url = reverse("wagtail_bulk_action", args=("blog", "comment", action))
    query = {"id": [c.pk for c in comments], "next": QUEUE, **params}
    with captured(execute=True):
        response = client.post(
            url + "?" + "&".join(f"{k}={v}" for k, vs in query.items() for v in (vs if isinstance(vs, list) else [vs]))
        )
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(QUEUE)


def statuses(*comments):
    return [Comment.objects.get(pk=c.pk).status for c in comments]


def test_moderators_land_on_the_pending_queue(client, logged_in_moderator, post):
    CommentFactory(post=post, name="Waiting reader", status="pending")
    CommentFactory(post=post, name="Approved reader", status="approved")
    dashboard = client.get("/admin/").content.decode()
    assert "1 comment waiting for you" in dashboard
    assert f'href="{QUEUE}?status=pending"' in dashboard
    queue = client.get(QUEUE + "?status=pending").content.decode()
    assert "Waiting reader" in queue and "Approved reader" not in queue


def test_queue_filters_and_search(client, logged_in_moderator, post, blog):
    other = BlogPageFactory(parent=blog, title="Other post")
    CommentFactory(post=post, name="Alice", email="alice@example.com", text="About caching")
    CommentFactory(post=other, name="Bob", text="About SQLite", status="spam", spam_check="spam")
    assert "Bob" not in client.get(QUEUE + f"?post={post.pk}").content.decode()
    assert "Alice" not in client.get(QUEUE + "?spam_check=spam").content.decode()
    found = client.get(QUEUE + "?q=alice%40example").content.decode()
    assert "Alice" in found and "Bob" not in found
    assert "Bob" in client.get(QUEUE + "?q=sqlite").content.decode()


def test_bulk_approve_shows_comments_to_readers(client, logged_in_moderator, post, django_capture_on_commit_callbacks):
    one, two, three = (CommentFactory(post=post, name=n, text=f"Words of {n}") for n in ("One", "Two", "Three"))
    page = bulk(client, "approve", [one, two], django_capture_on_commit_callbacks).content.decode()
    assert "2 comments approved" in page
    assert statuses(one, two, three) == ["approved", "approved", "pending"]
    client.logout()
    html = client.get("/a-post/").content.decode()
    assert "Words of One" in html and "Words of Two" in html and "Words of Three" not in html


def test_marking_spam_tells_akismet_and_counts(
    client, logged_in_moderator, post, akismet_server, django_capture_on_commit_callbacks
):
    missed = CommentFactory(post=post, spam_check="ham", text="Buy cheap things")
    bulk(client, "mark_spam", [missed], django_capture_on_commit_callbacks)
    assert statuses(missed) == ["spam"]
    assert SpamCounter.total() == 1
    sent = akismet_server.received("submit-spam")
    assert len(sent) == 1
    assert sent[0]["comment_content"] == "Buy cheap things"
    assert sent[0]["user_ip"] == "203.0.113.7" and sent[0]["referrer"] == "https://news.example.com/"
    assert sent[0]["permalink"] == "http://localhost/a-post/"


def test_marking_not_spam_reports_a_false_positive(
    client, logged_in_moderator, post, akismet_server, django_capture_on_commit_callbacks
):
    wrongly = CommentFactory(post=post, status="spam", spam_check="spam", text="A real reader")
    bulk(client, "mark_not_spam", [wrongly], django_capture_on_commit_callbacks)
    assert statuses(wrongly) == ["approved"]
    assert [f["comment_content"] for f in akismet_server.received("submit-ham")] == ["A real reader"]
    assert akismet_server.received("submit-spam") == []


def test_approving_or_agreeing_with_akismet_sends_nothing(
    client, logged_in_moderator, post, akismet_server, django_capture_on_commit_callbacks
):
    ham = CommentFactory(post=post, spam_check="ham")
    spam = CommentFactory(post=post, status="spam", spam_check="spam")
    bulk(client, "approve", [ham], django_capture_on_commit_callbacks)
    bulk(client, "mark_spam", [spam], django_capture_on_commit_callbacks)
    assert akismet_server.requests == []
    assert SpamCounter.total() == 0  # it was already counted when Akismet caught it


def test_akismet_failing_never_undoes_a_decision(
    client, logged_in_moderator, post, akismet_server, django_capture_on_commit_callbacks, caplog
):
    """Akismet hears of it from the worker, which tries again later (tests/test_worker.py); the decision stands."""
    comment = CommentFactory(post=post, spam_check="ham")
    akismet_server.stop()
    page = bulk(client, "mark_spam", [comment], django_capture_on_commit_callbacks).content.decode()
    assert statuses(comment) == ["spam"]
    assert "1 comment marked as spam" in page
    assert "Akismet could not be told of 1 comment(s)" in caplog.text


def test_reject_and_delete(client, logged_in_moderator, post, django_capture_on_commit_callbacks):
    rude, gone = CommentFactory(post=post), CommentFactory(post=post)
    bulk(client, "reject", [rude], django_capture_on_commit_callbacks)
    assert statuses(rude) == ["rejected"]
    bulk(client, "delete", [gone], django_capture_on_commit_callbacks)
    assert not Comment.objects.filter(pk=gone.pk).exists()


def test_select_all_acts_on_the_filtered_listing_only(
    client, logged_in_moderator, post, django_capture_on_commit_callbacks
):
    pending = CommentFactory(post=post)
    approved = CommentFactory(post=post, status="approved")
    bulk(client, "mark_spam", [], django_capture_on_commit_callbacks, id="all", status="pending")
    assert statuses(pending, approved) == ["spam", "approved"]


def test_moderators_reach_comments_and_nothing_else(client, logged_in_moderator, blog):
    assert client.get(QUEUE).status_code == 200
    for url in [
        f"/admin/pages/{blog.pk}/",
        f"/admin/pages/{blog.pk}/edit/",
        "/admin/settings/home/sidebarsettings/",
        "/admin/snippets/taggit/tag/",
        "/admin/images/",
        "/admin/users/",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or "/admin/login/" not in response.get("Location", ""), url
    menu = client.get("/admin/").content.decode()
    assert "Comments" in menu


def test_editors_do_not_moderate(client, django_user_model, blog):
    editor = django_user_model.objects.create_user("ed", "ed@example.com", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(f"/admin/pages/{blog.pk}/edit/").status_code == 200
    assert client.get("/admin/settings/home/sidebarsettings/").status_code in (200, 302)
    assert client.get(QUEUE).status_code in (302, 403)
    assert blog.permissions_for_user(editor).can_publish()
    # Wagtail's default "Moderators approval" workflow would send editors' pages to comment moderators.
    assert "Submit to Moderators approval" not in client.get(f"/admin/pages/{blog.pk}/edit/").content.decode()


def test_purging_old_spam_keeps_the_spam_report(client, post):
    old = CommentFactory(post=post, status="spam", created=timezone.now() - datetime.timedelta(days=16))
    recent = CommentFactory(post=post, status="spam", created=timezone.now() - datetime.timedelta(days=14))
    SpamCounter.add(2)
    before = client.get("/a-post/").content.decode()
    call_command("purge_spam", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Comment.objects.filter(pk=old.pk).exists() and Comment.objects.filter(pk=recent.pk).exists()
    assert SpamCounter.total() == 2
    assert '<strong class="spam-count">236327</strong>' in before
    assert '<strong class="spam-count">236327</strong>' in client.get("/a-post/").content.decode()


def test_nobody_adds_comments_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert "Add comment" not in client.get(QUEUE).content.decode()
    assert client.get(QUEUE + "add/").status_code in (302, 403)


def test_one_comment_can_be_decided_from_its_row(client, logged_in_moderator, post, django_capture_on_commit_callbacks):
    comment = CommentFactory(post=post)
    listing = client.get(QUEUE).content.decode()
    approve = reverse("wagtail_bulk_action", args=("blog", "comment", "approve")) + f"?id={comment.pk}&amp;next="
    assert approve in listing
    bulk(client, "approve", [comment], django_capture_on_commit_callbacks)
    assert statuses(comment) == ["approved"]


def test_a_comment_shows_its_spam_check_to_the_moderator(client, logged_in_moderator, post):
    """What Akismet said, when, and why a check failed: the moderator sees all of it on the comment."""
    comment = CommentFactory(
        post=post,
        spam_check=Comment.SpamCheck.ERROR,
        spam_check_error="Akismet timed out",
        checked_at=datetime.datetime(2016, 4, 1, 9, 30, tzinfo=datetime.UTC),
    )
    html = client.get(f"/admin/snippets/blog/comment/edit/{comment.pk}/").content.decode()
    assert "Check failed" in html and "Akismet timed out" in html
    assert "Checked at" in html and "April 1, 2016" in html
