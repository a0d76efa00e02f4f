"""The real site for browser tests: gunicorn on loopback over a fresh demo database, driven by Chromium.

Chromium is Debian's (``make test`` installs it when it can); Playwright's own
browser download does not work here. Without Chromium the tests skip locally and
fail under CI=true, where they must run. Screenshots of each journey's key screens,
and of the last screen when a test fails, go to test-artifacts/<run>/<test>/.
"""

import datetime
import os
from pathlib import Path

import pytest

from ..live_site import PROJECT, LiveSite, require

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = PROJECT / "test-artifacts" / datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    require(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM}")
    live = LiveSite(tmp_path_factory.mktemp("browser-site")).start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class Screens:
    """Numbered screenshots of what the browser saw, in a folder per test."""

    def __init__(self, name):
        self.folder = ARTIFACTS / name
        self.count = 0

    def shot(self, page, label):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        page.screenshot(path=self.folder / f"{self.count:02d}-{label}.png", full_page=True)


@pytest.fixture
def screens(request):
    return Screens(request.node.name.replace("/", "_"))


@pytest.fixture
def new_page(browser, screens, request):
    """Open a fresh browser context (its own cookies) and page; on failure, keep a picture of the last screen."""
    pages = []

    def open_page(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        page = context.new_page()
        pages.append(page)
        return page

    yield open_page
    failed = getattr(request.node, "report_call", None) and request.node.report_call.failed
    for page in pages:
        if failed:
            screens.shot(page, "failure")
        page.context.close()
    if failed or screens.count:
        print(f"\nScreenshots: {screens.folder}")


def log_in(page, site, username):
    page.goto(site.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", site.password(username))
    page.click("button[type=submit]")
    page.wait_for_url(site.url + "/admin/")


def accessibility_violations(page):
    """Serious and critical axe-core findings on the current page."""
    require(AXE.exists(), "axe-core is not installed (npm ci)")
    # Not as a <script> tag, which the page's Content-Security-Policy refuses: code the
    # browser is asked to run from outside the page (DevTools) is not the page's.
    page.evaluate(AXE.read_text())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def policy_complaints(page):
    """From now on, what the browser console says against the page's Content-Security- or Permissions-Policy."""
    complaints = []

    def listen(message):
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            complaints.append(f"{page.url}: {message.text}")

    page.on("console", listen)
    return complaints
