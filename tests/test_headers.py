"""Security headers on every public page, cached or not; absolute URLs from configuration, not from localhost."""

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.models import Site

from machinery.security_headers import SecurityHeadersMiddleware
from machinery.site_address import follow_configuration

pytestmark = [pytest.mark.django_db, pytest.mark.post(title="Headers post", slug="headers-post", tags=["Django"])]

PROJECT = Path(__file__).resolve().parents[1]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PUBLIC = [
    "/",
    "/headers-post/",
    "/tag/django/",
    "/archive/",
    "/search/?q=headers",
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/robots.txt",
    "/no-such-page/",
]


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    return {d.split()[0]: d.split()[1:] for d in response["Content-Security-Policy"].split(";") if d.strip()}


def assert_protected(response):
    csp = policy(response)
    assert csp["default-src"] == csp["script-src"] == csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"] and csp["frame-ancestors"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_forbid_inline_and_foreign_scripts_and_unused_features(client, post, path):
    response = client.get(path)
    assert response.status_code == (404 if path == "/no-such-page/" else 200)
    assert_protected(response)


def test_json_ld_is_a_data_block_that_the_policy_does_not_need_to_allow(client, post):
    # A <script> whose type is not JavaScript is never run, so script-src does not apply
    # to it (the browser journeys check that Chromium reports nothing on a post).
    response = client.get("/headers-post/")
    assert '<script type="application/ld+json">' in response.content.decode()
    assert "'unsafe-inline'" not in policy(response)["script-src"]


def test_pages_served_whole_from_the_page_cache_get_the_headers_as_configured_now(
    client, post, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = True
    first = client.get("/headers-post/")
    assert_protected(first)
    settings.PERMISSIONS_POLICY = "camera=(), geolocation=(), usb=()"
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]},
    }
    with django_assert_num_queries(0):  # served whole from the cache, no page rendered
        second = client.get("/headers-post/")
    assert second.content == first.content
    assert_protected(second)
    assert second["Permissions-Policy"] == "camera=(), geolocation=(), usb=()"
    assert policy(second)["img-src"] == ["'self'"]


def test_admin_keeps_its_inline_scripts_without_a_policy(client, admin_client):
    assert "Content-Security-Policy" not in client.get("/admin/login/")
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert "camera=()" in response["Permissions-Policy"]


def test_a_logged_in_users_public_page_is_private_and_a_readers_is_public(client, admin_client, post, settings):
    settings.PAGE_CACHE_ENABLED = True
    editor_view = admin_client.get("/headers-post/")
    assert "wagtail-userbar" in editor_view.content.decode()
    assert "private" in editor_view["Cache-Control"] and "public" not in editor_view["Cache-Control"]
    assert_protected(editor_view)
    reader_view = client.get("/headers-post/")
    assert "public" in reader_view["Cache-Control"] and "private" not in reader_view["Cache-Control"]


@pytest.mark.parametrize("cache_control", ["no-store", "private, max-age=0"])
def test_a_response_that_already_keeps_itself_out_of_shared_caches_is_left_as_it_is(admin_user, cache_control):
    request = RequestFactory().get("/")
    request.user = admin_user

    def view(request):
        response = HttpResponse()
        response["Cache-Control"] = cache_control
        return response

    assert SecurityHeadersMiddleware(view)(request)["Cache-Control"] == cache_control


# Absolute URLs: the default Site record follows WAGTAILADMIN_BASE_URL (machinery/site_address.py).


def absolute_urls(client):
    """Where the RSS feed, the sitemap and the post's JSON-LD say the post is."""
    feed = ET.fromstring(client.get("/feed/").content).find("channel/item").findtext("link")
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locs = [u.findtext(f"{SITEMAP}loc") for u in sitemap.findall(f"{SITEMAP}url")]
    html = client.get("/headers-post/").content.decode()
    json_ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    return feed, next(loc for loc in locs if loc.endswith("/headers-post/")), json_ld["url"]


@pytest.mark.parametrize(
    ("base_url", "root_url", "hostname", "port"),
    [
        ("http://127.0.0.1:8001", "http://127.0.0.1:8001", "127.0.0.1", 8001),  # make run PORT=8001
        ("https://blog.example.com", "https://blog.example.com", "blog.example.com", 443),  # production
    ],
)
def test_migrate_gives_the_site_the_configured_address_and_every_absolute_url_follows(
    client, post, settings, base_url, root_url, hostname, port
):
    assert absolute_urls(client) == ("http://localhost/headers-post/",) * 3  # Wagtail's first Site
    settings.WAGTAILADMIN_BASE_URL = base_url
    call_command("migrate", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (hostname, port, root_url)
    assert absolute_urls(client) == (f"{root_url}/headers-post/",) * 3


@pytest.mark.parametrize(
    ("hostname", "port", "follows", "moves"),
    [
        ("localhost", 80, None, True),  # Wagtail's placeholder
        ("127.0.0.1", 8000, None, True),  # an earlier make run on another port
        ("blog.example.com", 80, None, True),  # the same name: only the port (here: https) changes
        ("www.example.org", 443, None, False),  # an admin chose another name: kept
        ("www.example.org", 443, True, True),  # ... unless SITE_FOLLOWS_BASE_URL=1
        ("localhost", 80, False, False),  # SITE_FOLLOWS_BASE_URL=0: never
    ],
)
def test_a_site_an_admin_pointed_elsewhere_is_kept_unless_configuration_says_so(
    blog, settings, hostname, port, follows, moves
):
    Site.objects.filter(is_default_site=True).update(hostname=hostname, port=port)
    settings.WAGTAILADMIN_BASE_URL = "https://blog.example.com"
    settings.SITE_FOLLOWS_BASE_URL = follows
    follow_configuration()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == (("blog.example.com", 443) if moves else (hostname, port))


def test_make_run_links_to_the_port_it_serves(tmp_path):
    """`make run PORT=8001` hands http://127.0.0.1:8001 to migrate (so to the Site record) and to gunicorn (mails)."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("python", "gunicorn"):  # stand-ins that say what they were asked to do and with which address
        (tools / tool).write_text('#!/bin/sh\necho "given $WAGTAILADMIN_BASE_URL to $(basename $0) $2"\n')
        (tools / tool).chmod(0o755)
    (tmp_path / ".installed-run").touch()  # newer than requirements.txt: nothing to install
    env = {k: v for k, v in os.environ.items() if k not in ("WAGTAILADMIN_BASE_URL", "MAKEFLAGS", "MAKELEVEL")}
    run = subprocess.run(
        ["make", "-s", "run", f"VENV={tmp_path}", "PORT=8001"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    given = [line for line in run.stdout.splitlines() if line.startswith("given")]
    # The worker, started in the background, may be stopped with gunicorn's stand-in before it speaks.
    assert sorted(line for line in given if "worker" not in line) == [
        "given http://127.0.0.1:8001 to gunicorn deploy/gunicorn.conf.py",
        "given http://127.0.0.1:8001 to python collectstatic",
        "given http://127.0.0.1:8001 to python load_demo",
        "given http://127.0.0.1:8001 to python migrate",
    ]
    assert all(line == "given http://127.0.0.1:8001 to python worker" for line in given if "worker" in line)


# No inline script or style in our own templates: the policy would block it.

PUBLIC_TEMPLATES = [p for p in (PROJECT / "templates").rglob("*") if p.is_file() and "admin" not in p.parts]
INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.I),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
}


def test_no_public_template_has_inline_script_or_style():
    assert len(PUBLIC_TEMPLATES) > 10
    found = [
        f"{path.relative_to(PROJECT)}: {what}"
        for path in PUBLIC_TEMPLATES
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert found == []
