"""The spam check against a real HTTP server on 127.0.0.1 speaking Akismet's protocol, through the real client."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, Site

from blog.comments.models import Comment, CommentSettings, SpamCounter
from blog.models import BlogIndexPage

from .factories import BlogPageFactory, CommentFactory, comment_form_data, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment_on(client, django_capture_on_commit_callbacks):
    """Post a comment as a reader would; return it as stored after its spam check."""

    def post_comment(post, **data):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_form(
                client,
                f"/comments/post/{post.pk}/",
                comment_form_data(post, **data),
                HTTP_USER_AGENT="TestBrowser/1.0",
                HTTP_REFERER="https://example.com/from",
            )
        assert response.status_code == 302  # the reader is never failed by the check
        return Comment.objects.latest("created")

    return post_comment


def test_every_field_is_sent_under_its_akismet_name(akismet_server, post, comment_on):
    comment = comment_on(post)
    assert [name for name, _ in akismet_server.requests] == ["verify-key", "comment-check"]
    sent = akismet_server.received("comment-check")[0]
    assert sent == {
        "api_key": "test-key-123",
        "blog": "http://testserver",
        "user_ip": "127.0.0.1",
        "user_agent": "TestBrowser/1.0",
        "referrer": "https://example.com/from",
        "permalink": "http://localhost/a-post/",
        "comment_type": "comment",
        "comment_author": "Ada Lovelace",
        "comment_author_email": "ada@example.com",
        "comment_author_url": "https://ada.example.com/",
        "comment_content": "Lovely post.\n\nSee https://example.org/notes for more.",
        "comment_date_gmt": comment.created.astimezone(datetime.UTC).isoformat(),
        "blog_lang": "en",
        "blog_charset": "UTF-8",
        "honeypot_field_name": "website",
        "is_test": "true",
    }


def test_one_client_per_process(akismet_server, post, comment_on):
    comment_on(post)
    comment_on(post, text="A second thought.")
    assert [name for name, _ in akismet_server.requests] == ["verify-key", "comment-check", "comment-check"]


def test_ham_waits_for_a_moderator_who_is_told(akismet_server, post, comment_on, moderator):
    comment = comment_on(post)
    assert (comment.status, comment.spam_check) == ("pending", "ham")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("verdict", ["spam", "discard"])
def test_spam_and_discard_leave_the_queue_and_are_counted(akismet_server, post, comment_on, moderator, verdict):
    akismet_server.verdict = verdict
    comment = comment_on(post)
    assert (comment.status, comment.spam_check) == ("spam", verdict)
    assert SpamCounter.total() == 1
    assert mail.outbox == []
    assert not Comment.objects.pending().exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "Cheap VIAGRA here"),  # any capitals
        ("text", "Made with WordPress"),  # inside a longer word, as WordPress matches
        ("url", "https://spam.example.net/pills"),
        ("email", "bot@spam.example.net"),
        ("name", "Viagra Seller"),
    ],
)
def test_a_disallowed_word_sends_a_comment_to_spam_without_asking_akismet(
    akismet_server, post, comment_on, moderator, field, value
):
    """The editor's list (Settings → Comments): counted as killed, never in the moderators' queue or mail."""
    CommentSettings.objects.create(site=Site.objects.get(), disallowed="\n  viagra  \n\nspam.example.net\npress\n")
    comment = comment_on(post, **{field: value})
    assert (comment.status, comment.spam_check) == ("spam", "disallowed")
    assert "comment-check" not in [name for name, _ in akismet_server.requests]
    assert SpamCounter.total() == 1 and mail.outbox == []


def test_comments_without_a_disallowed_word_are_checked_as_ever(akismet_server, post, comment_on, moderator):
    CommentSettings.objects.create(site=Site.objects.get(), disallowed="viagra\n\n")
    comment = comment_on(post, text="A fine post about the press.")
    assert (comment.status, comment.spam_check) == ("pending", "ham")
    assert len(mail.outbox) == 1


def test_a_comment_on_a_post_outside_every_site_is_checked_with_the_default_settings(
    akismet_server, moderator, django_capture_on_commit_callbacks
):
    """A blog under no Site (being built, or moved out) still takes comments from scripts and imports."""
    blog = Page.get_first_root_node().add_child(instance=BlogIndexPage(title="Nowhere", slug="nowhere"))
    post = BlogPageFactory(parent=blog)
    assert post.get_site() is None
    CommentSettings.objects.create(site=Site.objects.get(), disallowed="thoughtful")  # another site's words
    with django_capture_on_commit_callbacks(execute=True):
        comment = CommentFactory(post=post)  # "A thoughtful comment."
    comment.refresh_from_db()
    assert (comment.status, comment.spam_check) == ("pending", "ham")


def test_akismets_own_test_author_is_spam(akismet_server, post, comment_on):
    assert comment_on(post, name="viagra-test-123").status == "spam"


@pytest.mark.parametrize(
    ("breakage", "reason"),
    [
        ({"delay": 1.5}, "Akismet timed out."),
        ({"fail": True}, "Akismet responded with error status: 500"),
        ({"garbage": True}, "Received unexpected or non-standard response from Akismet API."),
    ],
)
def test_slow_or_failing_akismet_keeps_the_comment_pending(akismet_server, post, comment_on, breakage, reason):
    for name, value in breakage.items():
        setattr(akismet_server, name, value)
    comment = comment_on(post)
    assert (comment.status, comment.spam_check) == ("pending", "error")
    assert comment.spam_check_error.startswith(reason)


def test_unreachable_akismet_keeps_the_comment_pending(akismet_server, post, comment_on):
    akismet_server.stop()
    comment = comment_on(post)
    assert (comment.status, comment.spam_check) == ("pending", "error")
    assert comment.spam_check_error == "Error making request to Akismet."


def test_refused_key_keeps_comments_pending_and_warns_the_admin(
    akismet_server, post, comment_on, admin_client, moderator
):
    """Both the superuser, who can fix the key, and the moderators, who see its effect, are told."""
    akismet_server.key_valid = False
    comment = comment_on(post)
    assert (comment.status, comment.spam_check) == ("pending", "error")
    assert comment.spam_check_error == "Akismet refused the API key"
    assert "Akismet refused the site's API key" in admin_client.get("/admin/").content.decode()
    staff = Client()
    staff.force_login(moderator)
    assert "Akismet refused the site's API key" in staff.get("/admin/").content.decode()


def test_no_key_skips_the_check_and_the_site_works(post, comment_on, moderator):
    comment = comment_on(post)
    assert (comment.status, comment.spam_check) == ("pending", "skipped")
    assert len(mail.outbox) == 1


def test_recheck_retries_failed_checks_with_the_retry_reason(akismet_server, post, comment_on, moderator):
    akismet_server.fail = True
    first, second = comment_on(post), comment_on(post, name="viagra-test-123")  # Akismet's test name for spam
    akismet_server.fail = False
    akismet_server.requests.clear()
    call_command("recheck_comments", stdout=open("/dev/null", "w"))  # noqa: SIM115
    checks = akismet_server.received("comment-check")
    assert [c["recheck_reason"] for c in checks] == ["retry", "retry"]
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, first.spam_check) == ("pending", "ham")
    assert (second.status, second.spam_check) == ("spam", "spam")
    assert len(mail.outbox) == 1  # the ham one, now in the queue


def test_recheck_stops_at_the_first_failure(akismet_server, post, comment_on):
    akismet_server.fail = True
    comment_on(post), comment_on(post, text="A second thought.")
    akismet_server.requests.clear()
    with pytest.raises(CommandError, match="Akismet still fails"):
        call_command("recheck_comments", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(akismet_server.requests) == 1  # one failed attempt, then it gave up
    assert Comment.objects.awaiting_spam_check().count() == 2


def test_a_moderators_decision_made_during_the_check_wins(akismet_server, post, blog):
    from blog.comments.tasks import check_and_notify

    comment = Comment.objects.create(post=post, name="X", email="x@example.com", text="hi", ip="203.0.113.1")
    Comment.objects.filter(pk=comment.pk).update(status="approved")
    akismet_server.verdict = "spam"
    check_and_notify(comment)
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert SpamCounter.total() == 0


@pytest.mark.parametrize("verdict", ["ham", "spam"])
def test_a_check_queued_twice_asks_once_and_counts_and_mails_once(akismet_server, post, moderator, verdict):
    """The worker may run a task twice (its worker died, recheck queued it again): one verdict, one count, one mail."""
    from blog.comments.tasks import check_and_notify, check_comment

    akismet_server.verdict = verdict
    comment = Comment.objects.create(post=post, name="X", email="x@example.com", text="hi", ip="203.0.113.1")
    check_comment.call(comment.pk)
    check_comment.call(comment.pk)  # finds the verdict: Akismet is not asked again
    assert len(akismet_server.received("comment-check")) == 1
    check_and_notify(comment)  # two checks at once: both ask, the second records nothing
    comment.refresh_from_db()
    assert comment.spam_check == verdict
    assert (SpamCounter.total(), len(mail.outbox)) == ((1, 0) if verdict == "spam" else (0, 1))


def test_while_akismet_is_down_comments_wait_for_the_recheck_without_a_task_each(
    akismet_server, post, comment_on, moderator
):
    """A spam run against a failing Akismet costs the worker nothing per comment: the recheck asks once it answers."""
    akismet_server.fail = True
    comment_on(post)  # this check fails, and marks Akismet down
    akismet_server.fail = False
    akismet_server.requests.clear()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        during = comment_on(post, text="Posted while Akismet is marked down.")
        assert not DBTaskResult.objects.filter(task_path="blog.comments.tasks.check_comment").exists()
    assert (during.status, during.spam_check) == ("pending", "error")
    assert during.spam_check_error == "Akismet failed a moment ago: it will be asked again"
    assert not akismet_server.requests
    call_command("recheck_comments", stdout=open("/dev/null", "w"))  # noqa: SIM115
    during.refresh_from_db()
    assert during.spam_check == "ham"


def test_storing_a_comment_queues_its_check_alone(post, comment_on):
    """Nothing else per comment: Wagtail's reference index has no use for comments (blog/comments/models.py)."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        comment_on(post)
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == ["blog.comments.tasks.check_comment"]
