"""deploy/nginx.conf in front of the real site: static files straight from disk, anonymous pages
micro-cached for a second, people with a session never, and new content reaching readers at once."""

import gzip
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .live_site import APPROVE, PUBLISH, LiveSite, free_port, require, seconds_until, start_nginx, stop_server


def get(url, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return response.headers, response.read().decode()


@pytest.fixture(scope="module")
def nginx():
    """The demo site behind nginx; in a world-readable folder, as nginx's workers run as nobody under root."""
    require(shutil.which("nginx"), "nginx is not installed (make test installs it as root: apt-get install nginx)")
    folder = Path(tempfile.mkdtemp(prefix="escribe-nginx-"))
    folder.chmod(0o755)
    site = server = None
    try:
        site = LiveSite(folder).start()
        port = free_port()
        server = start_nginx(folder, site.port, port, folder)
        url = f"http://127.0.0.1:{port}"
        yield site, url
    finally:
        if server:
            stop_server(server)
        if site:
            site.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_hashed_static_files_come_from_disk_for_a_year(nginx):
    site, url = nginx
    stylesheet = re.search(r'href="(/static/css/escribe\.[0-9a-f]{12}\.css)"', get(url + "/")[1]).group(1)
    headers, body = get(url + stylesheet)
    assert "immutable" in headers["Cache-Control"] and "max-age=31536000" in headers["Cache-Control"]
    assert body == (site.data_dir / stylesheet.removeprefix("/")).read_text()


def test_pages_and_feeds_are_compressed_for_readers_who_take_it(nginx):
    site, url = nginx
    for address in (url, site.url):  # through nginx, and from gunicorn alone as make run serves it
        for path, headers in [("/", {}), ("/", {"Via": "1.1 a-proxy"}), ("/feed/", {})]:
            request = urllib.request.Request(address + path, headers={"Accept-Encoding": "gzip", **headers})
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.headers["Content-Encoding"] == "gzip", (address, path, headers)
                assert "Accept-Encoding" in response.headers["Vary"]
                assert gzip.decompress(response.read()).startswith(b"<")
    assert "Content-Encoding" not in get(url + "/")[0]  # nor for those who do not


def test_anonymous_pages_are_micro_cached_but_never_for_a_session(nginx):
    _, url = nginx
    statuses = [get(url + "/colophon/")[0]["X-Micro-Cache"] for _ in range(3)]
    assert statuses[0] == "MISS" and "HIT" in statuses[1:]  # a slow machine may let one second pass
    assert get(url + "/colophon/", Cookie="sessionid=an-editor")[0]["X-Micro-Cache"] == "BYPASS"


def test_junk_query_strings_share_one_micro_cached_page_and_searches_say_nothing(nginx):
    _, url = nginx
    statuses = [get(f"{url}/book/?utm_x={n}")[0]["X-Micro-Cache"] for n in range(100)]
    assert statuses.count("MISS") == 1, statuses
    assert "X-Micro-Cache" not in get(url + "/search/?q=django")[0]


def test_a_query_string_cannot_store_one_page_under_another_pages_key(nginx):
    _, url = nginx
    second_page = get(url + "/?page=2")[1]
    for poison in ["/?page=&page=2", "/?PAGE=2", "/?page=1&page=2", "/?page=1&Page=2"]:
        get(url + poison)
        assert get(url + "/")[1] != second_page, poison
    assert get(url + "/?page=2")[1] == second_page


def test_oversized_comments_are_refused_before_reaching_the_app(nginx):
    _, url = nginx
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    request = urllib.request.Request(f"{url}/comments/post/1/", data=b"text=" + b"x" * 100_000, headers=headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 413


def test_a_published_post_reaches_readers_at_once_through_the_app_and_soon_through_nginx(nginx):
    site, url = nginx
    for base in (site.url, url):
        get(base + "/")  # both caches hold the front page as it was
    site.manage("shell", "-c", PUBLISH.format(title="Fresh off the press", slug="fresh-off-the-press"))
    assert "Fresh off the press" in get(site.url + "/")[1]  # the very next request through the app
    assert seconds_until(url + "/", "Fresh off the press") is not None  # nginx: within its one second


def test_an_approved_comment_reaches_readers_at_once_through_the_app_and_soon_through_nginx(nginx):
    site, url = nginx
    slug = site.manage("shell", "-c", "from blog.models import BlogPage; print(BlogPage.objects.live().first().slug)")
    path = f"/{slug.split()[-1]}/"
    for base in (site.url, url):
        get(base + path)
    site.manage("shell", "-c", APPROVE.format(slug=slug.split()[-1], name="Ada the approved"))
    assert "Ada the approved" in get(site.url + path)[1]
    assert seconds_until(url + path, "Ada the approved") is not None


def test_an_old_wordpress_address_with_a_query_reaches_the_app_and_is_redirected(nginx):
    """nginx keeps only the parameters a page reads: WordPress's ?p= must get through to its redirect."""
    site, url = nginx
    site.manage(
        "shell",
        "-c",
        "from blog.models import BlogPage; from wagtail.contrib.redirects.models import Redirect; "
        "Redirect.objects.create(old_path='/?p=4242', redirect_page=BlogPage.objects.live().first())",
    )
    request = urllib.request.Request(url + "/?p=4242")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(request, timeout=10)
    assert answer.value.code == 301 and answer.value.headers["Location"].endswith("/")
    assert answer.value.headers["Location"] != "/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None
