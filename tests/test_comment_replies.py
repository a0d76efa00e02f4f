"""Readers answering readers: Reply links, threads on the post page, and replies the form must refuse."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.comments.models import MAX_DEPTH, Comment
from machinery import page_cache

from .factories import BlogPageFactory, CommentFactory, comment_form_data, post_form

pytestmark = pytest.mark.django_db


def thread(post, depth, **fields):
    """A chain of approved comments, each answering the one before, a minute apart: ``depth`` + 1 of them."""
    start = timezone.now() - datetime.timedelta(hours=1)
    chain, parent = [], None
    for level in range(depth + 1):
        created = start + datetime.timedelta(minutes=level)
        parent = CommentFactory(post=post, parent=parent, status="approved", created=created, **fields)
        chain.append(parent)
    return chain


def shown(client, url="/a-post/"):
    """The post page's comments as readers see them: (id, depth class, text or "removed"), in page order."""
    html = client.get(url).content.decode()
    found = re.findall(r'<article class="comment depth-(\d)[^"]*" id="comment-(\d+)">(.*?)</article>', html, re.S)
    return [(int(pk), int(depth), "removed" if "was removed" in body else "shown") for depth, pk, body in found]


def send(client, post, captured, **data):
    with captured(execute=True):
        return post_form(client, f"/comments/post/{post.pk}/", comment_form_data(post, **data))


def test_replies_show_under_what_they_answer_in_date_order(client, post):
    first, reply = thread(post, 1)
    later_top = CommentFactory(post=post, status="approved", created=timezone.now())
    second_reply = CommentFactory(post=post, parent=first, status="approved", created=reply.created.replace(second=59))
    assert shown(client) == [(first.pk, 0, "shown"), (reply.pk, 1, "shown"), (second_reply.pk, 1, "shown"),
                             (later_top.pk, 0, "shown")]  # fmt: skip
    html = client.get("/a-post/").content.decode()
    assert f'<a class="in-reply-to" href="#comment-{first.pk}">in reply to {first.name}</a>' in html
    assert "4 comments" in html


def test_replies_deeper_than_the_limit_show_at_the_deepest_level(client, post):
    chain = thread(post, MAX_DEPTH + 2)
    assert [depth for _, depth, _ in shown(client)] == [0, 1, 2, 3, 3, 3][: MAX_DEPTH + 3]
    html = client.get("/a-post/").content.decode()
    deepest = chain[-1]
    assert f'href="#comment-{chain[-2].pk}">in reply to {chain[-2].name}' in html  # still says whom it answers
    assert f'id="comment-{deepest.pk}"' in html


@pytest.mark.parametrize("removal", ["rejected", "spam", "pending"])
def test_a_removed_comment_keeps_its_place_without_its_words(client, post, removal):
    first, reply = thread(post, 1)
    first.text = "Words no reader should see now"
    first.status = removal
    first.save()
    html = client.get("/a-post/").content.decode()
    assert shown(client) == [(first.pk, 0, "removed"), (reply.pk, 1, "shown")]
    assert "Words no reader should see now" not in html and first.name not in html
    assert "in reply to a removed comment" in html and "1 comment" in html


def test_a_deleted_comment_leaves_its_replies_as_conversations_of_their_own(client, post):
    first, reply = thread(post, 1)
    first.delete()
    assert shown(client) == [(reply.pk, 0, "shown")]


def test_replies_answering_each_other_in_a_loop_are_all_shown(client, post):
    """A damaged import can make two comments answer each other: neither is lost, and the page is built."""
    one, two = thread(post, 1)
    Comment.objects.filter(pk=one.pk).update(parent=two)
    assert sorted(pk for pk, _, _ in shown(client)) == sorted([one.pk, two.pk])


def test_the_reply_link_opens_the_form_answering_that_comment_without_javascript(client, post):
    comment = CommentFactory(post=post, status="approved", name="Grace")
    html = client.get("/a-post/").content.decode()
    assert f'href="/comments/reply/{comment.pk}/#post-a-comment"' in html
    assert 'name="reply_to" value=""' in html and '<p class="replying-to" hidden>' in html
    answering = client.get(f"/comments/reply/{comment.pk}/")
    page = answering.content.decode()
    assert answering.status_code == 200 and "Cache-Control" not in answering  # never kept by the page cache
    assert f'name="reply_to" value="{comment.pk}"' in page and comment.text in page
    assert re.search(r'<p class="replying-to" >Replying to <a href="#comment-\d+">Grace</a>', page)
    assert '<link rel="canonical" href="http://testserver/a-post/">' in page  # the post's address, not this one


def test_a_reply_link_to_a_comment_removed_since_goes_to_the_plain_form(client, post):
    comment = CommentFactory(post=post, status="rejected")
    response = client.get(f"/comments/reply/{comment.pk}/")
    assert response.status_code == 302 and response["Location"] == "/a-post/#post-a-comment"


@pytest.mark.parametrize("asked", ["999999", "99999999999999999999", "private", "draft"])
def test_a_reply_link_to_nothing_readers_may_see_is_not_found(client, post, blog, asked):
    if asked in ("private", "draft"):
        hidden = BlogPageFactory(parent=blog, slug="hidden", live=asked == "private")
        if asked == "private":
            from wagtail.models import PageViewRestriction

            PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
        asked = CommentFactory(post=hidden, status="approved").pk
    assert client.get(f"/comments/reply/{asked}/").status_code == 404


def test_a_reply_is_stored_under_its_comment_and_waits_for_a_moderator(
    client, post, django_capture_on_commit_callbacks
):
    parent = CommentFactory(post=post, status="approved")
    response = send(client, post, django_capture_on_commit_callbacks, reply_to=str(parent.pk), notify="on")
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert (reply.status, reply.notify, reply.user) == ("pending", True, None)


def test_replies_past_the_depth_limit_are_taken(client, post, django_capture_on_commit_callbacks):
    deepest = thread(post, MAX_DEPTH + 1)[-1]
    assert send(client, post, django_capture_on_commit_callbacks, reply_to=str(deepest.pk)).status_code == 302
    assert Comment.objects.filter(parent=deepest).exists()


def other_posts_comment(blog):
    return CommentFactory(post=BlogPageFactory(parent=blog, slug="other"), status="approved")


@pytest.mark.parametrize(
    "target",
    [
        lambda post, blog: CommentFactory(post=post, status="pending"),
        lambda post, blog: CommentFactory(post=post, status="spam"),
        lambda post, blog: CommentFactory(post=post, status="rejected"),
        lambda post, blog: other_posts_comment(blog),
        lambda post, blog: "999999",
        lambda post, blog: "1; DROP TABLE blog_comment",
        lambda post, blog: "9" * 40,
    ],
    ids=["pending", "spam", "rejected", "another-post", "missing", "sql", "huge"],
)
def test_a_reply_to_what_readers_cannot_see_is_refused_with_the_text_kept(
    client, post, blog, target, django_capture_on_commit_callbacks
):
    answered = target(post, blog)
    reply_to = str(getattr(answered, "pk", answered))
    before = Comment.objects.count()
    response = send(client, post, django_capture_on_commit_callbacks, reply_to=reply_to, text="My careful reply")
    page = response.content.decode()
    assert response.status_code == 200
    assert "not shown on this post" in page and "My careful reply" in page
    assert 'name="reply_to" value=""' in page  # sent again, it is a new comment
    assert Comment.objects.count() == before


def test_a_preview_of_a_reply_keeps_answering(client, post, django_capture_on_commit_callbacks):
    parent = CommentFactory(post=post, status="approved", name="Grace")
    page = send(client, post, django_capture_on_commit_callbacks, reply_to=str(parent.pk), preview="1").content.decode()
    assert f'name="reply_to" value="{parent.pk}"' in page and ">Grace</a>" in page


def test_a_conversation_of_200_comments_in_50_threads_costs_what_an_empty_one_does(client, post, blog, settings):
    settings.PAGE_CACHE_ENABLED = False
    BlogPageFactory(parent=blog, slug="empty", date=post.date)

    def queries(url):
        client.get(url)
        page_cache.bump_version()
        client.get("/search/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(50):
        top = CommentFactory(post=post, status="approved")
        middle = CommentFactory(post=post, status="approved", parent=top)
        CommentFactory(post=post, status="approved", parent=middle)
        CommentFactory(post=post, status="approved", parent=top)
    assert queries("/a-post/") == queries("/empty/")
