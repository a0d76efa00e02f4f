"""Readers' comments in a small, safe Markdown (blog/markdown.py), and a preview before sending."""

import pytest

from blog.comments.models import Comment
from blog.markdown import render_comment

from .factories import CommentFactory, comment_form_data, post_form

pytestmark = pytest.mark.django_db

LINK = 'rel="nofollow ugc noopener"'


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (
            "Some *emphasis*, **strength** and `code`",
            "<p>Some <em>emphasis</em>, <strong>strength</strong> and <code>code</code></p>",
        ),
        ("one line\nthe next", "<p>one line<br>\nthe next</p>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("[a link](https://example.com/)", f'<p><a href="https://example.com/" {LINK}>a link</a></p>'),
        ("see https://example.org/x.", f'<p>see <a href="https://example.org/x" {LINK}>https://example.org/x</a>.</p>'),
        # Anything else shows as typed.
        ("# Not a heading", "<p># Not a heading</p>"),
        ("- not a list\n1. nor this", "<p>- not a list<br>\n1. nor this</p>"),
        ("<b>no HTML</b>", "<p>&lt;b&gt;no HTML&lt;/b&gt;</p>"),
    ],
)
def test_the_markdown_readers_may_use(typed, shown):
    assert render_comment(typed) == shown


@pytest.mark.parametrize(
    "typed",
    [
        "![an image](https://example.com/i.png)",
        "[a script](javascript:alert(1))",
        "[an editor's reference](page:12)",
        "![](image:3)",
        '<img src="x" onerror="alert(1)">',
        "<script>alert(1)</script>",
    ],
)
def test_no_image_script_or_reference_gets_through(typed):
    html = render_comment(typed)
    assert "<img" not in html and "<script" not in html and "javascript:" not in html
    assert 'href="page:' not in html and 'src="image:' not in html


def test_fenced_code_is_highlighted_as_in_posts():
    html = render_comment("```python\nprint(1)\n```")
    assert html.startswith('<div class="highlight"><pre>') and '<span class="nb">print</span>' in html


def test_a_comment_shows_as_its_markdown(client, post):
    CommentFactory(post=post, status="approved", text="I *like* `this`.")
    assert "<p>I <em>like</em> <code>this</code>.</p>" in client.get("/a-post/").content.decode()


def test_a_preview_shows_the_comment_stores_nothing_and_the_form_still_sends(
    client, post, django_capture_on_commit_callbacks
):
    data = comment_form_data(post, text="Some *emphasis*")
    response = post_form(client, f"/comments/post/{post.pk}/", {**data, "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "Preview: not sent yet" in html
    assert "<p>Some <em>emphasis</em></p>" in html and ">\nSome *emphasis*</textarea>" in html  # nothing typed is lost
    assert not Comment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_form(client, f"/comments/post/{post.pk}/", data).status_code == 302  # its token not spent
    assert Comment.objects.get().text == "Some *emphasis*"


def test_a_preview_at_once_is_not_too_quick_but_a_mistake_is_explained(client, post):
    response = post_form(client, f"/comments/post/{post.pk}/", comment_form_data(post, age=0, text="", preview="1"))
    html = response.content.decode()
    assert response.status_code == 200 and "Please write a comment." in html
    assert "Preview: not sent yet" not in html and "That was quick" not in html


def test_previews_have_a_limit_of_their_own(client, post, settings):
    settings.COMMENT_PREVIEW_RATE_LIMIT = (2, 600)
    data = comment_form_data(post, preview="1")
    assert [post_form(client, f"/comments/post/{post.pk}/", data).status_code for _ in range(3)] == [200, 200, 429]
    assert "many previews" in post_form(client, f"/comments/post/{post.pk}/", data).content.decode()
