"""Mail about comments: readers told of approved replies (and stopping it), moderators deciding from their mail."""

import re
import time

import pytest
from django.core import mail, signing
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from blog.comments import links
from blog.comments.models import Comment, SpamCounter
from blog.comments.moderation import ApproveAction, RejectAction
from blog.comments.tasks import notify_moderators

from .factories import CommentFactory, comment_form_data, post_form
from .smtp_standin import SMTPStandIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(post):
    """An approved comment whose reader ticked "mail me replies"."""
    return CommentFactory(post=post, status="approved", name="Grace", email="grace@example.com", notify=True)


def reply_to(comment, captured, status="pending", **fields):
    with captured(execute=True):
        return CommentFactory(post=comment.post, parent=comment, status=status, name="Linus", **fields)


def approve(reply, captured, action=ApproveAction):
    with captured(execute=True):
        action.decide([reply.pk])


def link_in(message, start):
    return re.search(rf"{re.escape(start)}\S+", message.body).group(0)


def test_an_approved_reply_mails_the_reader_who_asked_once(asked, django_capture_on_commit_callbacks):
    reply = reply_to(asked, django_capture_on_commit_callbacks, text="Have you tried `git bisect`?")
    assert mail.outbox == []  # nothing for a reply still waiting for a moderator
    approve(reply, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["grace@example.com"]
    assert "Linus replied to your comment on “A post”" in message.body
    assert "Have you tried `git bisect`?" in message.body
    assert f"http://localhost/a-post/#comment-{reply.pk}" in message.body
    assert reply.email not in message.body and reply.email not in str(message.message())  # addresses never shown
    unsubscribe = link_in(message, "http://localhost/comments/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    approve(reply, django_capture_on_commit_callbacks, RejectAction)
    approve(reply, django_capture_on_commit_callbacks)  # approved again: told once
    assert len(mail.outbox) == 1


def test_no_mail_unless_asked_for_and_none_to_oneself(post, asked, django_capture_on_commit_callbacks):
    quiet = CommentFactory(post=post, status="approved", notify=False)
    approve(reply_to(quiet, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks)
    own = reply_to(asked, django_capture_on_commit_callbacks, email="GRACE@example.com")
    approve(own, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_no_mail_to_a_reader_whose_comment_was_removed(asked, django_capture_on_commit_callbacks):
    reply = reply_to(asked, django_capture_on_commit_callbacks)
    Comment.objects.filter(pk=asked.pk).update(status="spam")
    approve(reply, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_a_reader_ticks_the_box_on_the_form(client, post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, f"/comments/post/{post.pk}/", comment_form_data(post, notify="on"))
        post_form(client, f"/comments/post/{post.pk}/", comment_form_data(post, text="Another", email="b@example.com"))
    assert dict(Comment.objects.values_list("email", "notify")) == {"ada@example.com": True, "b@example.com": False}
    assert "Mail me replies to my comment" in client.get("/a-post/").content.decode()


def test_unsubscribing_asks_once_then_stops_the_mails(client, asked, django_capture_on_commit_callbacks):
    url = links.unsubscribe_url(asked).removeprefix("http://localhost")
    page = client.get(url)  # what a mail scanner does: nothing changes
    assert page.status_code == 200 and "Stop these mails" in page.content.decode()
    assert Comment.objects.get(pk=asked.pk).notify
    page = client.post(url)
    assert "no more mails about replies" in page.content.decode()
    approve(reply_to(asked, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_a_mail_clients_one_click_unsubscribe(client, asked):
    url = links.unsubscribe_url(asked).removeprefix("http://localhost")
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Comment.objects.get(pk=asked.pk).notify


@pytest.mark.parametrize("token", ["nonsense", "a" * 400, signing.dumps(1, salt="another"), "%00"])
def test_a_forged_or_damaged_unsubscribe_link_is_answered_clearly(client, asked, token):
    for method in (client.get, client.post):
        response = method(reverse("comment_unsubscribe", args=[token]))
        assert response.status_code == 400 and "does not work" in response.content.decode()
    assert Comment.objects.get(pk=asked.pk).notify


def test_an_unsubscribe_link_outliving_its_comment(client, asked):
    url = links.unsubscribe_url(asked).removeprefix("http://localhost")
    asked.delete()
    assert "Nothing to stop" in client.post(url).content.decode()


def moderators_mail(moderator, comment, captured):
    mail.outbox.clear()
    with captured(execute=True):
        notify_moderators.enqueue(comment.pk)
    [message] = [m for m in mail.outbox if m.to == [moderator.email]]
    return message


def decision_path(message, label):
    return re.search(rf"^{label}: http://localhost(\S+)$", message.body, re.M).group(1)


def test_the_moderators_mail_decides_with_one_button_never_on_a_bare_visit(
    client, post, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(post=post, text="Worth reading")
    message = moderators_mail(moderator, comment, django_capture_on_commit_callbacks)
    assert "Akismet" in message.body or "Not checked" in message.body  # the verdict, to decide faster
    approve_path = decision_path(message, "Approve")
    page = client.get(approve_path)  # a mail scanner following the link
    assert page.status_code == 200 and "Approve this comment?" in page.content.decode()
    assert "Worth reading" in page.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(approve_path)
    assert "now shows under its post" in page.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    assert "Worth reading" in client.get("/a-post/").content.decode()


def test_the_spam_link_counts_and_tells_akismet(
    client, post, moderator, akismet_server, django_capture_on_commit_callbacks
):
    comment = CommentFactory(post=post, text="Cheap pills", spam_check="ham")
    message = moderators_mail(moderator, comment, django_capture_on_commit_callbacks)
    before = SpamCounter.total()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decision_path(message, "Spam"))
    assert Comment.objects.get(pk=comment.pk).status == "spam" and SpamCounter.total() == before + 1
    assert akismet_server.received("submit-spam")[-1]["comment_content"] == "Cheap pills"
    client.post(decision_path(message, "Reject"))
    assert Comment.objects.get(pk=comment.pk).status == "rejected"


def test_each_moderator_gets_links_of_their_own(post, moderator, admin_user, django_capture_on_commit_callbacks):
    comment = CommentFactory(post=post)
    with django_capture_on_commit_callbacks(execute=True):
        notify_moderators.enqueue(comment.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([moderator.email, admin_user.email])
    first, second = (decision_path(m, "Approve") for m in mail.outbox)
    assert first != second


def test_a_mail_the_server_refused_is_sent_again_alone(post, moderator, admin_user, settings):
    """A real SMTP server refuses one moderator's address: the others' mails are not sent again with its retry."""
    smtp = SMTPStandIn().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", smtp.port, False
    smtp.refused.add(moderator.email)
    comment = CommentFactory(post=post)
    try:
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            notify_moderators.call(comment.pk)  # as the worker runs it
            retry = DBTaskResult.objects.get(task_path="blog.comments.tasks.notify_moderators")
        assert [to for to, _ in smtp.messages] == [[admin_user.email]]
        smtp.refused.clear()
        notify_moderators.call(*retry.args_kwargs["args"], **retry.args_kwargs["kwargs"])
    finally:
        smtp.stop()
    assert sorted(to for to, _ in smtp.messages) == [[admin_user.email], [moderator.email]]


def test_expired_forged_and_outlived_decision_links_are_answered_clearly(
    client, post, moderator, settings, django_capture_on_commit_callbacks
):
    comment = CommentFactory(post=post)
    path = decision_path(moderators_mail(moderator, comment, django_capture_on_commit_callbacks), "Approve")
    token = path.split("/")[-2]
    forged = reverse("comment_decision", args=[token[:-3] + "abc"])
    other_action = signing.dumps({"comment": comment.pk, "action": "delete", "by": moderator.pk}, salt="x")
    unknown_action = signing.dumps({"comment": comment.pk, "action": "delete", "by": moderator.pk},
                                   salt=links.DECISION_SALT)  # fmt: skip
    for bad in [forged, reverse("comment_decision", args=[other_action]), reverse("comment_decision", args=["x"]),
                reverse("comment_decision", args=[unknown_action])]:  # fmt: skip
        response = client.post(bad)
        assert response.status_code == 400 and "does not work" in response.content.decode()
    settings.COMMENT_MODERATION_LINK_DAYS = 0
    time.sleep(1.1)
    response = client.post(path)
    assert response.status_code == 410 and "expired" in response.content.decode()
    settings.COMMENT_MODERATION_LINK_DAYS = 4
    moderator.groups.clear()
    assert client.post(path).status_code == 403  # no longer a moderator
    comment.delete()
    assert client.post(path).status_code == 404
    assert Comment.objects.count() == 0


def test_a_reply_mail_that_fails_is_not_marked_sent(asked, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there
    reply = reply_to(asked, django_capture_on_commit_callbacks)
    approve(reply, django_capture_on_commit_callbacks)
    assert Comment.objects.get(pk=reply.pk).reply_mailed is None  # tried again later (machinery/worker.py)
