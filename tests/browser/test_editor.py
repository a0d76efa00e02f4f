"""The editor's journey in Wagtail's admin: write, tag, preview and publish a post; keep the sidebar."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .conftest import log_in, policy_complaints

pytestmark = pytest.mark.browser

LOCKOUT = "Too many failed attempts. Please wait 15 minutes and try again."

BODY = """Caching pages whole is the cheapest speed-up there is.

```python
def cached(request):
    return cache.get(request.path)
```
"""


def publish(page):
    """The page editor's footer: open the actions menu and publish."""
    page.locator("footer .w-dropdown__toggle").click()
    page.locator("button[name=action-publish]").click()


def test_editor_writes_previews_and_publishes_a_post(site, new_page, screens):
    page = new_page(viewport={"width": 1400, "height": 1000})
    elsewhere = []  # every request that leaves the site: the admin loads nothing from a CDN
    page.on("request", lambda request: request.url.startswith(site.url) or elsewhere.append(request.url))
    log_in(page, site, "editor")
    screens.shot(page, "dashboard")
    blog = site.page_id("blog.BlogIndexPage")
    page.goto(f"{site.url}/admin/pages/{blog}/add_subpage/")
    # About, Book and Colophon exist already, so a blog post is the only kind to add: no type chooser.
    page.wait_for_url(re.compile(r"/admin/pages/add/blog/blogpage/"))

    page.fill("#id_title", "Caching for the impatient")
    page.fill("#id_summary", "Whole-page caching in one afternoon.")
    page.evaluate("([text]) => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", [BODY])
    tags = page.locator("#id_tags").locator("xpath=..").locator("input.ui-autocomplete-input")
    tags.fill("caching")
    tags.press("Enter")
    tags.type("Djan", delay=50)
    page.locator(".ui-autocomplete .ui-menu-item", has_text="Django").click()
    screens.shot(page, "new-post-filled-in")

    page.get_by_role("button", name="Toggle Preview", exact=True).click()  # the Markdown editor's own preview
    assert "def cached(request):" in page.locator(".editor-preview-active").inner_text()
    page.get_by_role("button", name="Toggle Preview", exact=True).click()

    page.get_by_role("button", name="Toggle preview", exact=True).click()  # Wagtail's preview of the real page
    preview = page.frame_locator("#w-preview-iframe")  # Wagtail swaps in a fresh frame once it has loaded
    expect(preview.locator("h1.post-title")).to_have_text("Caching for the impatient")
    expect(preview.locator(".highlight .k", has_text="def")).to_have_count(1)
    screens.shot(page, "preview")

    publish(page)
    assert "published" in page.locator(".messages").inner_text()
    assert [url for url in elsewhere if not url.startswith(("data:", "blob:", "about:"))] == []
    screens.shot(page, "published")

    reader = new_page()
    reader.goto(site.url + "/")
    assert reader.locator(".post-title").first.inner_text() == "Caching for the impatient"
    reader.locator(".tag-cloud").get_by_role("link", name="caching").click()
    assert reader.locator(".post-title").first.inner_text() == "Caching for the impatient"
    assert "Django" in reader.locator(".post-tags").first.inner_text()
    screens.shot(reader, "tag-page")

    page.goto(site.url + "/admin/settings/home/sidebarsettings/")
    page.get_by_role("button", name="Add tool").click()
    page.locator("input[name^='stuff_i_use-'][name$='-name']").last.fill("Caching")
    page.get_by_role("button", name="Save").first.click()
    assert "Sidebar updated." in page.locator(".messages").inner_text()

    about = site.page_id("home.AboutPage")
    page.goto(f"{site.url}/admin/pages/{about}/edit/")
    page.fill("#id_blurb", "I'm Paul Bissex. These days I write about caching.")
    publish(page)
    assert "published" in page.locator(".messages").inner_text()

    reader.goto(site.url + "/")
    sidebar = reader.locator(".sidebar")
    assert sidebar.get_by_role("link", name="Caching", exact=True).get_attribute("href") == "/tag/caching/"
    assert "These days I write about caching." in sidebar.locator(".about-me").inner_text()
    screens.shot(reader, "sidebar-changed")


def start_post(site, new_page, title, summary, body):
    """The editor, logged in, on a new post saved as a draft with these fields: the page, ready for more."""
    page = new_page(viewport={"width": 1400, "height": 1000})
    log_in(page, site, "editor")
    page.goto(f"{site.url}/admin/pages/{site.page_id('blog.BlogIndexPage')}/add_subpage/")
    page.wait_for_url(re.compile(r"/admin/pages/add/blog/blogpage/"))
    page.fill("#id_title", title)
    # Wagtail fills the slug from the title a moment after typing: saving sooner fails on an empty slug.
    page.locator("#id_title").blur()
    page.wait_for_function("() => document.querySelector('#id_slug').value !== ''")
    page.fill("#id_summary", summary)
    page.evaluate("([text]) => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", [body])
    # Saved as a draft first, so that Wagtail 8's autosave updates this page rather than racing to create it.
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    return page


def test_editor_puts_an_uploaded_picture_in_a_post_with_the_toolbar_and_sets_the_post_image(
    site, new_page, screens, tmp_path
):
    from PIL import Image

    photo = tmp_path / "racks.png"
    Image.new("RGB", (1600, 1000), (40, 90, 160)).save(photo)
    page = start_post(site, new_page, "Racks of servers", "What a server room looks like.", "Our servers:\n\n")
    page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.execCommand('goDocEnd')")

    # The toolbar's picture button: Wagtail's image chooser, upload, alt text, inserted at the cursor.
    page.locator(".editor-toolbar button.picture").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("#id_image-chooser-upload-title").fill("Server racks")
    modal.locator("#id_image-chooser-upload-file").set_input_files(str(photo))
    modal.get_by_role("button", name="Upload").click()
    modal.locator("input[name='image-chooser-insertion-format'][value='fullwidth']").check()
    modal.locator("#id_image-chooser-insertion-alt_text").fill("Three racks of blinking servers")
    screens.shot(page, "alt-text-in-the-chooser")
    modal.get_by_role("button", name="Insert image").click()
    page.wait_for_function("() => document.querySelector('.CodeMirror').CodeMirror.getValue().includes('image:')")
    body = page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert re.search(r"Our servers:\s*!\[Three racks of blinking servers\]\(image:\d+\)", body), body

    # The same picture as the post image, from the chooser's library.
    page.locator("[data-chooser-action-choose]", has_text="Choose an image").first.click()
    page.locator(".modal-dialog").get_by_role("link", name="Server racks").first.click()
    screens.shot(page, "post-image-chosen")
    publish(page)
    # Wagtail 8 autosaves drafts as the editor works: an autosave of the half-written post may have left its
    # "could not be created" message on screen until the publish's page arrives.
    expect(page.locator(".messages")).to_contain_text("published")

    reader = new_page()
    reader.goto(f"{site.url}/racks-of-servers/")
    picture = reader.locator(".post-body img")
    assert picture.get_attribute("alt") == "Three racks of blinking servers"
    assert picture.get_attribute("width") == "960" and "1440w" in picture.get_attribute("srcset")
    assert reader.evaluate("() => document.querySelector('.post-body img').naturalWidth") > 0  # the rendition loads
    og = reader.locator("meta[property='og:image']").get_attribute("content")
    assert og.startswith(site.url + "/media/images/racks.") and ".fill-1200x630." in og
    screens.shot(reader, "post-with-picture")


def test_editor_shares_a_draft_by_a_private_link_and_withdraws_it(site, new_page, screens):
    page = start_post(site, new_page, "A draft for a friend", "Not ready yet.", "Tell me what you *think*.")
    page.get_by_role("tab", name="Settings").click()
    page.get_by_role("link", name="Make or withdraw preview links").click()
    page.get_by_role("button", name="Make a preview link").click()
    link = page.locator("input.preview-link-url").first.input_value()
    assert link.startswith(site.url + "/preview/")
    screens.shot(page, "preview-link-made")

    friend = new_page()
    response = friend.goto(link)
    assert response.status == 200 and response.headers["x-robots-tag"] == "noindex, nofollow"
    assert friend.locator(".draft-banner").inner_text().startswith("Draft: not published yet.")
    assert friend.locator(".post-body em").inner_text() == "think"
    screens.shot(friend, "friend-reads-the-draft")

    page.get_by_role("button", name=re.compile(r"^Withdraw")).click()
    assert "no longer works" in page.locator(".messages").inner_text()
    assert friend.goto(link).status == 404
    assert "expired or was withdrawn" in friend.locator("main").inner_text()


def test_editor_uses_the_user_bar_on_public_pages_under_the_content_security_policy(site, new_page):
    page = new_page()
    log_in(page, site, "editor")
    complaints = policy_complaints(page)
    response = page.goto(site.url + "/what-happens-when-you-screw-up/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "private" in response.headers["cache-control"]  # for the editor's eyes only, never a shared cache
    userbar = page.locator("wagtail-userbar")
    userbar.locator("#wagtail-userbar-trigger").click()
    expect(userbar.locator("[data-content-checker-count]").first).to_have_text(re.compile(r"\d+"))  # its checker ran
    userbar.get_by_role("menuitem", name="Edit this page").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    assert complaints == []


def try_password(page, password):
    page.fill("#id_username", "editor")
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_admin_login_locks_out_a_password_guesser(site, new_page, screens):
    """django-axes in front of Wagtail's admin login, in the browser: after a few wrong
    passwords the login page itself says to wait, and the right password is refused too."""
    page = new_page()
    try:
        page.goto(site.url + "/admin/login/")
        for n in range(settings.AXES_FAILURE_LIMIT - 1):
            try_password(page, f"not-the-password-{n}")
            assert "didn't match" in page.locator(".messages").inner_text()
        try_password(page, "still-not-it")
        expect(page.locator(".messages")).to_have_text(LOCKOUT)
        screens.shot(page, "locked-out")

        try_password(page, site.password("editor"))
        expect(page.locator(".messages")).to_have_text(LOCKOUT)
        assert page.url == site.url + "/admin/login/"
        expect(page.locator("#id_password")).to_be_visible()  # the normal login page, to try again later
    finally:
        # Every browser here comes from 127.0.0.1: lift the lockout for the other journeys.
        site.manage("axes_reset")

    log_in(page, site, "editor")
    expect(page.locator("h1")).to_be_visible()
