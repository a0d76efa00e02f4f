"""The reader's side of comments: reading them, posting one, and every way that can go wrong."""

import datetime
import re

import pytest
from django.core import mail
from wagtail.models import Site

from blog.comments.models import Comment, CommentSettings, SpamCounter

from .factories import BlogPageFactory, CommentFactory, comment_form_data, post_form

pytestmark = pytest.mark.django_db


def send(client, post, captured, **data):
    with captured(execute=True):
        return post_form(
            client,
            f"/comments/post/{post.pk}/",
            comment_form_data(post, **data),
            HTTP_USER_AGENT="TestBrowser/1.0",
            HTTP_REFERER="https://example.com/a-post/",
        )


def test_form_shows_the_seed_fields_and_notice(client, post):
    html = client.get("/a-post/").content.decode()
    assert "Post a comment" in html
    assert "(Will not be shared)" in html and "(Optional)" in html
    assert "Your comment will not appear until approved, which may take a few hours or more." in html
    assert "Spammers will be torpedoed." in html
    assert 'name="issued"' in html and 'name="website"' in html


def test_each_reader_gets_a_token_of_their_own_in_a_form_otherwise_built_once_per_post(
    client, admin_client, post, blog, settings
):
    """The blank form is kept per post and change (blog/comment_form.html); the token, and an editor's CSRF token,
    are written for each reader. Another post's form is its own, and a change shows in it."""
    settings.PAGE_CACHE_ENABLED = False

    def form(client, url="/a-post/"):
        html = client.get(url).content.decode()
        start = html.index('<form class="comment-form"')
        token = re.search(r'name="issued" value="([^"]+)"', html)[1]
        return html[start : html.index('name="issued"', start)], token, "csrfmiddlewaretoken" in html

    (first, first_token, _), (second, second_token, _) = form(client), form(client)
    assert first == second and first_token != second_token
    editors, _, csrf = form(admin_client)
    assert editors == first and csrf
    assert not form(client)[2]
    other = BlogPageFactory(parent=blog, title="Another post", slug="another-post")
    assert f'action="/comments/post/{other.pk}/#post-a-comment"' in form(client, "/another-post/")[0]
    post.slug = "a-post-renamed"
    post.save_revision().publish()
    assert 'class="cancel-reply" href="/a-post-renamed/#post-a-comment"' in form(client, "/a-post-renamed/")[0]


def test_posting_stores_a_pending_comment_and_says_so(client, post, django_capture_on_commit_callbacks):
    response = send(client, post, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/a-post/#messages"
    comment = Comment.objects.get()
    assert (comment.status, comment.name, comment.email) == ("pending", "Ada Lovelace", "ada@example.com")
    assert (comment.ip, comment.user_agent, comment.referrer) == (
        "127.0.0.1",
        "TestBrowser/1.0",
        "https://example.com/a-post/",
    )
    page = client.get("/a-post/").content.decode()
    assert "will appear here once a moderator approves it" in page
    assert "Lovely post." not in page  # not before approval


def test_approved_comments_show_oldest_first_and_safely(client, post):
    now = datetime.datetime.now(datetime.UTC)
    CommentFactory(post=post, name="Second", status="approved", created=now, text="Later words")
    CommentFactory(
        post=post,
        name="First",
        url="https://first.example/",
        status="approved",
        created=now - datetime.timedelta(hours=1),
        text="<script>alert('x')</script>\n\nhttps://example.org/x",
    )
    CommentFactory(post=post, name="Waiting", status="pending")
    CommentFactory(post=post, name="Junk", status="spam")
    html = client.get("/a-post/").content.decode()
    assert html.index("First") < html.index("Second")
    assert "Waiting" not in html and "Junk" not in html
    assert '<a href="https://first.example/" rel="nofollow ugc">First</a>' in html
    assert '<h3 class="comment-author">Second</h3>' in html
    assert "<script>alert" not in html and "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert '<a href="https://example.org/x" rel="nofollow ugc noopener">https://example.org/x</a>' in html
    assert "2 comments" in html


def test_a_mistake_is_explained_beside_its_field_and_nothing_typed_is_lost(
    client, post, django_capture_on_commit_callbacks
):
    response = send(
        client, post, django_capture_on_commit_callbacks, email="not-an-email", text="My <b>long</b> thoughts"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_email_error">That email address looks wrong.' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Ada Lovelace"' in html and 'value="not-an-email"' in html
    assert "My &lt;b&gt;long&lt;/b&gt; thoughts</textarea>" in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please tell us your name."),
        ("name", "x" * 81, "Ensure this value has at most 80 characters"),
        ("email", "", "Please give your email address."),
        ("url", "javascript:alert(1)", "Enter a web address like https://example.com/."),
        ("url", "https://" + "a" * 200 + ".com", "at most 200 characters"),
        ("text", "   ", "Please write a comment."),
        ("text", "x" * 5001, "Ensure this value has at most 5000 characters"),
        ("text", "null\x00byte", "Null characters are not allowed."),
    ],
)
def test_bad_input_gets_a_clear_message(client, post, django_capture_on_commit_callbacks, field, value, message):
    response = send(client, post, django_capture_on_commit_callbacks, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_no_comment_on_drafts_unpublished_or_missing_posts(client, blog, post, django_capture_on_commit_callbacks):
    draft = BlogPageFactory(parent=blog, live=False)
    withdrawn = BlogPageFactory(parent=blog)
    withdrawn.unpublish()
    for target in (draft, withdrawn):
        assert send(client, target, django_capture_on_commit_callbacks).status_code == 404
    assert post_form(client, "/comments/post/999999/", comment_form_data(post)).status_code == 404
    assert client.get(f"/comments/post/{post.pk}/").status_code == 405
    assert not Comment.objects.exists()


def test_comments_can_be_closed_per_post(client, post, django_capture_on_commit_callbacks):
    post.comments_open = False
    post.save_revision().publish()
    assert "Comments on this post are closed." in client.get("/a-post/").content.decode()
    response = send(client, post, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert "Comments on this post are closed." in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_close_after_the_sites_limit(client, blog, django_capture_on_commit_callbacks):
    old = BlogPageFactory(parent=blog, slug="old", date=datetime.date.today() - datetime.timedelta(days=31))
    recent = BlogPageFactory(parent=blog, slug="recent", date=datetime.date.today() - datetime.timedelta(days=29))
    settings = CommentSettings.for_site(Site.objects.get())
    settings.close_after_days = 30
    settings.save()
    assert send(client, old, django_capture_on_commit_callbacks).status_code == 403
    assert send(client, recent, django_capture_on_commit_callbacks).status_code == 302


@pytest.mark.parametrize(
    ("data", "message", "counted"),
    [
        ({"website": "http://spam.example"}, "Your comment looked automated", 1),
        ({"age": 1}, "That was quick! Please check your comment and send it again.", 1),
        ({"issued": "forged"}, "Something went wrong with the form", 1),
        ({"age": 60 * 60 * 25}, "This form was open for a long time", 0),
    ],
)
def test_robot_defences_explain_themselves_and_count_spam(
    client, post, django_capture_on_commit_callbacks, data, message, counted
):
    response = send(client, post, django_capture_on_commit_callbacks, **data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Lovely post." in html  # the reader's text is kept to send again
    assert 'name="website" value=""' in html  # with an empty trap and a fresh token
    assert SpamCounter.total() == counted
    assert not Comment.objects.exists()


def test_rate_limit_per_ip(client, post, settings, django_capture_on_commit_callbacks):
    settings.COMMENT_RATE_LIMIT = (2, 600)
    for n in range(2):
        assert send(client, post, django_capture_on_commit_callbacks, text=f"Comment {n}").status_code == 302
    response = send(client, post, django_capture_on_commit_callbacks, text="One too many")
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()
    assert Comment.objects.count() == 2
    # Another reader (behind the same nginx) is not affected.
    with django_capture_on_commit_callbacks(execute=True):
        other = post_form(
            client, f"/comments/post/{post.pk}/", comment_form_data(post), HTTP_X_FORWARDED_FOR="198.51.100.9"
        )
    assert other.status_code == 302
    assert Comment.objects.latest("created").ip == "198.51.100.9"


def test_fresh_token_for_cached_pages(client, post):
    response = client.get(f"/comments/token/{post.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.json()["token"]


def test_moderators_are_mailed_when_a_comment_waits(
    client, post, django_capture_on_commit_callbacks, django_user_model
):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    send(client, post, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["boss@example.com"]
    comment = Comment.objects.get()
    assert f"/admin/snippets/blog/comment/edit/{comment.pk}/" in mail.outbox[0].body


def test_a_broken_mail_server_loses_nothing(
    client, post, settings, django_capture_on_commit_callbacks, django_user_model
):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens there
    response = send(client, post, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Comment.objects.get().status == "pending"


def test_a_busy_database_gets_a_clear_answer_and_the_comment_text_back(client, post, monkeypatch):
    """On SQLite a big import holds the write lock for minutes: the reader is told, and loses nothing typed."""
    from django.db import OperationalError

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Comment, "save", locked)
    response = post_form(client, f"/comments/post/{post.pk}/", comment_form_data(post, text="My careful words"))
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "busy for a moment" in page and "My careful words" in page
