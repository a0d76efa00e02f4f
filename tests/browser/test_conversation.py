"""A conversation in the comments, through the real site, its worker and a real SMTP server on loopback:
a reader replies and asks for mail, a moderator approves from the mail's link on a phone, the author answers
from the admin, the reader is mailed and unsubscribes."""

import re

import pytest

from ..live_site import running_site
from ..smtp_standin import SMTPStandIn
from .conftest import accessibility_violations, log_in, policy_complaints

pytestmark = pytest.mark.browser

SLUG = "what-happens-when-you-screw-up"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def smtp():
    server = SMTPStandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site(smtp):
    """A site of its own whose mail goes to the stand-in, not to the console."""
    mail = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_PORT": str(smtp.port)}
    with running_site("escribe-conversation-", EMAIL_HOST="127.0.0.1", **mail) as live:
        yield live


def link(message, label):
    """The address after ``label`` in a mail."""
    return re.search(rf"{re.escape(label)}(\S+)", message.get_content()).group(1)


def test_a_conversation_from_reply_to_unsubscribe(site, smtp, new_page, screens):
    site.manage(
        "shell",
        "-c",
        "from blog.comments.models import Comment\n"
        "from blog.models import BlogPage\n"
        f"post = BlogPage.objects.get(slug='{SLUG}')\n"
        "Comment.objects.create(post=post, name='Grace', email='grace@example.com', text='Blameless post-mortems?',\n"
        "                       status='approved', notify=True)",
    )

    # A reader answers Grace: the form moves under her comment, and the reader asks to hear of replies.
    reader = new_page()
    complaints = policy_complaints(reader)
    reader.goto(f"{site.url}/{SLUG}/")
    grace = reader.locator("article.comment", has_text="Blameless post-mortems?")
    grace.get_by_role("link", name="Reply to Grace").click()
    form = reader.locator("form.comment-form")
    assert reader.evaluate("() => document.querySelector('form.comment-form').previousElementSibling.id").startswith(
        "comment-"
    )
    assert form.locator(".replying-to").inner_text().startswith("Replying to Grace")
    reader.fill("#id_name", "Linus")
    reader.fill("#id_email", "linus@example.com")
    reader.fill("#id_text", "Yes: write down what the system allowed, not who slipped.")
    reader.check("#id_notify")
    screens.shot(reader, "reply-form-under-the-comment")
    reader.wait_for_timeout(3200)
    reader.get_by_role("button", name="Post comment").click()
    reader.wait_for_url(re.compile(rf"/{SLUG}/#messages$"))
    assert "once a moderator approves it" in reader.locator(".messages").inner_text()

    # The moderator, on a phone and not logged in, approves from the mail: the link alone changes nothing.
    to_moderator = smtp.wait_for("moderator@example.com", "New comment from Linus")
    assert "answering Grace" in to_moderator.get_content()
    phone = new_page(**PHONE)
    phone.goto(link(to_moderator, "Approve: "))
    assert phone.locator("h1").inner_text() == "Approve this comment?"
    screens.shot(phone, "moderator-confirms-on-a-phone")
    phone.get_by_role("button", name="Approve").click()
    assert "now shows under its post" in phone.locator(".link-answer").inner_text()

    # Grace is told, and the reply shows under her comment.
    to_grace = smtp.wait_for("grace@example.com", "Linus replied to your comment")
    assert "linus@example.com" not in to_grace.as_string()
    reader.goto(f"{site.url}/{SLUG}/")
    reply = reader.locator("article.comment.depth-1", has_text="what the system allowed")
    assert reply.locator(".in-reply-to").inner_text() == "in reply to Grace"
    screens.shot(reader, "reply-shown-under-grace")
    assert accessibility_violations(reader) == []

    # The author answers Linus from the post's page in the admin; it is published at once, marked.
    editor = new_page(viewport={"width": 1400, "height": 1000})
    log_in(editor, site, "editor")
    editor.goto(f"{site.url}/admin/pages/{site.page_id('blog.BlogPage', slug=SLUG)}/edit/")
    editor.get_by_role("tab", name="Comments").click()
    editor.get_by_role("link", name="Reply to Linus").click()
    editor.fill("#id_text", "Agreed. The `git log` tells the story, not the blame.")
    screens.shot(editor, "author-replies")
    editor.get_by_role("button", name="Publish the reply").click()
    assert "Your reply to Linus is published" in editor.locator(".messages").inner_text()
    reader.goto(f"{site.url}/{SLUG}/")
    answer = reader.locator("article.comment.by-author", has_text="tells the story")
    assert answer.locator(".author-mark").inner_text().lower() == "author"
    assert "depth-2" in answer.get_attribute("class")

    # Linus is told, and stops the mails with the link in it.
    to_linus = smtp.wait_for("linus@example.com", "replied to your comment")
    unsubscribe = link(to_linus, "To stop these mails: ")
    assert unsubscribe.startswith(f"{site.url}/comments/unsubscribe/")
    assert to_linus["List-Unsubscribe"].strip() == f"<{unsubscribe}>"  # folded: the address is long
    reader.goto(unsubscribe)
    reader.get_by_role("button", name="Stop these mails").click()
    assert "no more mails" in reader.locator(".link-answer").inner_text()
    screens.shot(reader, "unsubscribed")
    assert complaints == []
