"""The author's voice (replies from the admin, an editor's comment through the form), trusted commenters, and what
the moderators' queue shows to decide faster."""

import re

import pytest
from django.core import mail
from django.test import Client

from blog.comments.models import Comment, CommentSettings

from .factories import CommentFactory, comment_form_data, post_form

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/blog/comment/"


def reply_url(comment):
    return f"{QUEUE}reply/{comment.pk}/"


def test_the_author_replies_from_the_admin_and_it_is_published_at_once_marked(
    client, post, editor, django_capture_on_commit_callbacks
):
    asked = CommentFactory(post=post, status="approved", name="Grace", notify=True)
    client.force_login(editor)
    page = client.get(reply_url(asked)).content.decode()
    assert "Reply to Grace" in page and asked.text in page and "Publish the reply" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reply_url(asked), {"text": "Thanks, fixed in `v2`.", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    reply = Comment.objects.get(parent=asked)
    assert (reply.status, reply.spam_check, reply.user, reply.name) == ("approved", "author", editor, "Paul Bissex")
    html = Client().get("/a-post/").content.decode()  # a reader, from the page cache emptied by the reply
    article = re.search(
        rf'<article class="comment depth-1 by-author" id="comment-{reply.pk}">.*?</article>', html, re.S
    )
    assert article and ">author</span>" in article.group(0) and "<code>v2</code>" in article.group(0)
    [message] = mail.outbox  # the reader answered is told; no moderator is asked
    assert message.to == [asked.email] and "Paul Bissex replied" in message.body


def test_moderators_and_strangers_cannot_speak_as_the_author(client, post, moderator):
    comment = CommentFactory(post=post, status="approved")
    client.force_login(moderator)  # moderators moderate; only the post's editors speak for it
    assert client.get(reply_url(comment)).status_code in (302, 403)
    assert client.post(reply_url(comment), {"text": "Hi"}).status_code in (302, 403)
    Client().post(reply_url(comment), {"text": "Hi"})
    assert not Comment.objects.filter(parent=comment).exists()


def test_the_author_cannot_answer_what_readers_cannot_see(client, post, editor):
    pending = CommentFactory(post=post, status="pending")
    client.force_login(editor)
    assert "Approve it first" in client.get(reply_url(pending)).content.decode()
    response = client.post(reply_url(pending), {"text": "Hi"}, follow=True)
    assert "approve it first" in response.content.decode()
    assert not Comment.objects.filter(parent=pending).exists()
    assert client.get(f"{QUEUE}reply/999999/").status_code == 404


def test_a_reply_that_is_empty_or_has_control_characters_is_refused_with_the_text_kept(client, post, editor):
    comment = CommentFactory(post=post, status="approved")
    client.force_login(editor)
    assert "This field is required" in client.post(reply_url(comment), {"text": ""}).content.decode()
    page = client.post(reply_url(comment), {"text": "Bell \x07 here"}).content.decode()
    assert "invisible control characters" in page and "Bell" in page
    assert not Comment.objects.filter(parent=comment).exists()


def test_the_posts_editor_lists_its_comments_with_reply_links(client, post, editor):
    comment = CommentFactory(post=post, status="approved", name="Grace", text="A question about the code")
    CommentFactory(post=post, status="pending")
    client.force_login(editor)
    page = client.get(f"/admin/pages/{post.pk}/edit/").content.decode()
    assert "A question about the code" in page and "1 comment waiting for a moderator" in page
    assert f'href="{reply_url(comment)}?next=' in page


def test_the_queue_offers_a_reply_to_those_who_may(client, post, editor, admin_user, moderator):
    CommentFactory(post=post, status="approved", text="Approved one")
    for user, offered in [(admin_user, True), (moderator, False)]:
        client.force_login(user)
        assert ("Reply as the author" in client.get(QUEUE).content.decode()) == offered


def test_an_editor_through_the_public_form_is_the_author(client, post, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    page = client.get("/a-post/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, f"/comments/post/{post.pk}/", comment_form_data(post, csrfmiddlewaretoken=csrf))
    comment = Comment.objects.get()
    assert response["Location"] == f"/a-post/#comment-{comment.pk}"
    assert (comment.status, comment.user, comment.spam_check) == ("approved", editor, "author")
    assert mail.outbox == []  # nothing for the moderators


def test_without_the_csrf_token_an_editors_comment_is_anyones(client, post, editor, django_capture_on_commit_callbacks):
    """A page elsewhere making an editor's browser post a comment gets no authority from their session."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, f"/comments/post/{post.pk}/", comment_form_data(post))
    assert response.status_code == 302
    assert Comment.objects.get().status == "pending" and Comment.objects.get().user is None


@pytest.mark.blog(author_name="Paul Bissex")
def test_a_stranger_typing_the_authors_name_is_a_reader(client, post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, f"/comments/post/{post.pk}/", comment_form_data(post, name="Paul Bissex"))
    comment = Comment.objects.get()
    assert comment.status == "pending" and not comment.by_author
    Comment.objects.update(status="approved")
    assert ">author</span>" not in client.get("/a-post/").content.decode()


def test_the_queue_shows_the_parent_and_the_senders_history(client, post, moderator):
    parent = CommentFactory(post=post, status="approved", name="Grace", text="The question asked")
    for status in ["approved", "approved", "spam"]:
        CommentFactory(post=post, status=status, email="linus@example.com")
    CommentFactory(post=post, parent=parent, email="linus@example.com", text="The reply waiting")
    client.force_login(moderator)
    page = client.get(QUEUE + "?status=pending").content.decode()
    assert "Grace: The question asked" in page
    assert "2 approved, 1 spam" in page


@pytest.fixture
def trusting(post):
    settings = CommentSettings.for_site(post.get_site())
    settings.trust_returning, settings.trusted_links = True, 1
    settings.save()
    return settings


def send(client, post, captured, **data):
    with captured(execute=True):
        post_form(client, f"/comments/post/{post.pk}/", comment_form_data(post, url="", **data))
    return Comment.objects.latest("created")


@pytest.mark.parametrize(
    ("trust", "returning", "text", "verdict", "shown"),
    [
        (False, True, "Hello again.", "ham", False),  # off by default: every comment waits
        (True, True, "Hello again.", "ham", True),
        (True, False, "Hello.", "ham", False),  # a first comment always waits
        (True, True, "See https://a.example and https://b.example", "ham", False),  # too many links
        (True, True, "Hello again.", "spam", False),
    ],
)
def test_trusted_commenters_appear_at_once_when_the_editor_allows_it(
    client, post, akismet_server, django_capture_on_commit_callbacks, trust, returning, text, verdict, shown
):
    settings = CommentSettings.for_site(post.get_site())
    settings.trust_returning = trust
    settings.save()
    if returning:
        CommentFactory(post=post, status="approved", name="Ada Lovelace", email="ADA@example.com")
    akismet_server.verdict = verdict
    comment = send(client, post, django_capture_on_commit_callbacks, text=text)
    assert (comment.status == "approved") == shown
    assert (text in client.get("/a-post/").content.decode()) == shown


def test_trust_is_not_earned_by_the_authors_replies(client, post, editor, trusting, akismet_server,
                                                   django_capture_on_commit_callbacks):  # fmt: skip
    CommentFactory(post=post, status="approved", name="Ada Lovelace", email="ada@example.com", user=editor)
    assert send(client, post, django_capture_on_commit_callbacks).status == "pending"


@pytest.mark.blog(author_name="Paul Bissex")
def test_an_editor_without_a_full_name_signs_as_the_blogs_author(client, post, django_user_model):
    from django.contrib.auth.models import Group

    nameless = django_user_model.objects.create_user("ed2", "ed2@example.com", "pw")
    nameless.groups.add(Group.objects.get(name="Editors"))
    comment = CommentFactory(post=post, status="approved")
    client.force_login(nameless)
    client.post(reply_url(comment), {"text": "Thanks."})
    assert Comment.objects.get(parent=comment).name == "Paul Bissex"
