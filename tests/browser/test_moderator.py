"""The moderator's journey: from the dashboard to the queue, bulk decisions, and what readers then see."""

import re

import pytest

from .conftest import log_in

pytestmark = pytest.mark.browser

POST = "/hello-django-10/"


def spam_count(page):
    return int(page.locator(".spam-count").inner_text())


def test_moderator_approves_two_and_marks_one_as_spam(site, new_page, screens):
    reader = new_page()
    reader.goto(site.url + POST)
    spam_before = spam_count(reader)
    site.manage(
        "shell",
        "-c",
        "from blog.comments.models import Comment\n"
        "from blog.models import BlogPage\n"
        "post = BlogPage.objects.get(slug='hello-django-10')\n"
        "for name, text in [('Ada', 'First useful remark'), ('Linus', 'Second useful remark'),\n"
        "                   ('Spammer', 'Cheap pills here')]:\n"
        "    Comment.objects.create(post=post, name=name, email=f'{name.lower()}@example.com', text=text,\n"
        "                           ip='198.51.100.4')",
    )

    page = new_page()
    log_in(page, site, "moderator")
    screens.shot(page, "dashboard")
    page.get_by_role("link", name=re.compile(r"\d+ comments waiting for you")).click()
    page.wait_for_url(re.compile(r"/admin/snippets/blog/comment/\?status=pending"))
    screens.shot(page, "pending-queue")

    def select(*names):
        for name in names:
            page.locator("tr", has_text=name).locator("input[type=checkbox]").check()

    select("First useful remark", "Second useful remark")
    page.get_by_role("link", name="approve the selected comments").click()
    page.get_by_role("button", name="Yes").click()
    assert "2 comments approved" in page.locator(".messages").inner_text()
    screens.shot(page, "approved-two")

    select("Cheap pills here")
    page.get_by_role("link", name="mark the selected comments as spam").click()
    page.get_by_role("button", name="Yes").click()
    assert "1 comment marked as spam" in page.locator(".messages").inner_text()
    screens.shot(page, "marked-spam")
    assert site.akismet.received("submit-spam")[-1]["comment_content"] == "Cheap pills here"

    reader.goto(site.url + POST)
    comments = reader.locator("#comments").inner_text()
    assert "First useful remark" in comments and "Second useful remark" in comments
    assert "Cheap pills" not in comments
    assert spam_count(reader) == spam_before + 1
    screens.shot(reader, "reader-sees-approved")

    for forbidden in ["/admin/pages/", "/admin/settings/home/sidebarsettings/", "/admin/images/"]:
        response = page.goto(site.url + forbidden)
        assert response.status == 403 or not page.url.startswith(site.url + forbidden), forbidden
    assert page.get_by_role("link", name="Pages").count() == 0
    assert page.get_by_role("link", name="Settings").count() == 0
