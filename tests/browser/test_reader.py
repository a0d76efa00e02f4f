"""The reader's journey through the real site in Chromium, on a desktop and on a phone."""

import json
import re

import pytest

from .conftest import accessibility_violations, policy_complaints

pytestmark = pytest.mark.browser

SEED_POST = "What happens when you screw up?"


def test_reader_browses_comments_and_searches(site, new_page, screens):
    page = new_page()
    complaints = policy_complaints(page)
    page.goto(site.url + "/")
    # The newest post, or among the links to those before it (an editor's journey may have posted since).
    assert SEED_POST in page.locator(".post-title, .older-posts li a").all_inner_texts()
    screens.shot(page, "front-page")

    page.locator(".tag-cloud").get_by_role("link", name="engineering").click()
    page.wait_for_url(re.compile(r"/tag/engineering/$"))
    assert "Posts tagged “engineering”" in page.locator("h1").inner_text()
    screens.shot(page, "tag-page")

    page.get_by_role("link", name=SEED_POST).click()
    page.wait_for_url(re.compile(r"/what-happens-when-you-screw-up/$"))
    # Absolute URLs name the address the site is served at (machinery/site_address.py), not localhost.
    structured_data = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert structured_data["url"] == site.url + "/what-happens-when-you-screw-up/"
    page.fill("#id_name", "Grace Hopper")
    page.fill("#id_email", "grace-at-navy")  # the mistake
    page.fill("#id_text", "A bug is a lesson for the whole team.")
    page.wait_for_timeout(3200)  # a person takes a few seconds; the form turns away faster posts
    page.get_by_role("button", name="Post comment").click()
    assert page.locator("#id_email_error").inner_text() == "That email address looks wrong."
    assert page.input_value("#id_text") == "A bug is a lesson for the whole team."
    assert page.input_value("#id_name") == "Grace Hopper"
    screens.shot(page, "comment-error")

    page.fill("#id_email", "grace@example.com")
    page.wait_for_timeout(3200)
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url(re.compile(r"/what-happens-when-you-screw-up/#messages$"))
    assert "once a moderator approves it" in page.locator(".messages").inner_text()
    assert page.locator(".messages").is_visible()
    screens.shot(page, "comment-awaiting-approval")
    assert site.akismet.received("comment-check")[-1]["comment_author"] == "Grace Hopper"

    page.fill("#site-search-q", "post-mortem")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=post-mortem"))
    assert page.get_by_role("link", name=SEED_POST).is_visible()
    screens.shot(page, "search-results")
    assert complaints == []  # nothing on the way was blocked by the Content-Security-Policy


def test_keyboard_alone_reaches_the_search_box_and_the_comment_form(site, new_page):
    page = new_page()
    page.goto(site.url + "/what-happens-when-you-screw-up/")
    reached = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id"))
        if {"site-search-q", "id_name", "id_email", "id_url", "id_text"} <= reached:
            break
    assert {"site-search-q", "id_name", "id_email", "id_url", "id_text"} <= reached
    assert "id_website" not in reached  # the robots' trap is out of the way


def test_skip_link_jumps_to_the_content(site, new_page):
    page = new_page()
    page.goto(site.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_phone_sized_reader_sees_no_sideways_scrolling(site, new_page, screens):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    complaints = policy_complaints(page)
    for path in ["/", "/what-happens-when-you-screw-up/", "/tag/django/", "/archive/", "/search/?q=django"]:
        page.goto(site.url + path)
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), path
    assert complaints == []
    page.goto(site.url + "/")
    screens.shot(page, "phone-front-page")
    sidebar = page.locator(".sidebar")
    sidebar.scroll_into_view_if_needed()
    assert sidebar.get_by_text("Spam Report").is_visible()
    screens.shot(page, "phone-sidebar")


CODE_POST = "/counting-spam-with-a-single-sql-update/"  # a demo post with highlighted code


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path", ["/", "/what-happens-when-you-screw-up/", CODE_POST, "/tag/django/", "/search/?q=django"]
)
def test_no_serious_accessibility_problems(site, new_page, path, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(site.url + path)
    if path == CODE_POST:  # the code's colours are checked too: each token's contrast on the code panel
        assert page.locator(".highlight pre span").count() > 5
    assert accessibility_violations(page) == []
