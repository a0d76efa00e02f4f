"""The editor's journey through the Import screen: try a WordPress export, import it, and readers find it."""

import pytest
from playwright.sync_api import expect

from ..import_samples import EXPORT
from .conftest import log_in

pytestmark = pytest.mark.browser


def test_editor_tries_then_imports_an_export_and_readers_follow_old_links(site, new_page, screens, tmp_path):
    export = tmp_path / "old-blog.xml"
    export.write_bytes(EXPORT)
    page = new_page(viewport={"width": 1400, "height": 1000})
    log_in(page, site, "editor")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_role("link", name="Add import").first.click()
    page.select_option("#id_kind", "wordpress")
    page.set_input_files("#id_source", export)
    expect(page.locator("#id_dry_run")).to_be_checked()  # a trial first, unless the editor says otherwise
    screens.shot(page, "upload")
    page.get_by_role("button", name="Upload and start").click()

    # The page follows the worker by itself until the report is there.
    expect(page.get_by_text("What the import would do")).to_be_visible(timeout=60_000)
    assert "1 created" in page.locator(".import-report").inner_text()
    screens.shot(page, "trial-report")
    page.get_by_role("button", name="Import it for real").click()
    expect(page.get_by_text("What the import did")).to_be_visible(timeout=60_000)
    screens.shot(page, "import-report")

    reader = new_page()
    reader.goto(site.url + "/2011/02/03/hello-world/")  # the post's WordPress permalink
    assert reader.url == site.url + "/hello-world/"
    expect(reader.locator("h1.post-title")).to_have_text("Hello from WordPress")
    expect(reader.get_by_text("Nice post!")).to_be_visible()
    reader.goto(site.url + "/?p=7")
    assert reader.url == site.url + "/hello-world/"
    screens.shot(reader, "old-link-followed")
