"""Two app nodes (issue "Two app nodes"): the site scaled out as the README's "Scaling out" describes it.

Two gunicorn nodes, each with a data folder of its own (nothing one node writes to disk is seen by the
other), share one PostgreSQL database, one Redis database (the page cache and its version, rate limits,
the worker's schedule), one S3 bucket (moto's server) and one SECRET_KEY, behind one nginx that balances
between them, with one worker beside them. Each test does something through one node and looks for it
where a reader or an editor would, through the other: nothing is patched, every step is an HTTP request
or the management command an admin would run.
"""

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import bs4
import pytest
import redis
import requests
from PIL import Image as PILImage

from .akismet_standin import AkismetStandIn
from .live_site import (
    PROJECT,
    free_port,
    needs_service,
    poll,
    postgresql_admin,
    postgresql_url,
    require,
    seconds_until,
    start_gunicorn,
    start_nginx,
    stop_server,
)
from .s3_server import CREDENTIALS, REGION, S3Server

REDIS_URL = "redis://127.0.0.1:6379/12"  # this module's own, emptied first: the suite's are /14 and /15
POST_SLUG = "what-happens-when-you-screw-up"  # a demo post open for comments
# Every node of a deployment shares one key (production requires it in the environment); dev.py would
# otherwise make one per data folder, and no node would accept another's sessions or comment tokens.
SECRET_KEY = "two-nodes-test-key-" + "x" * 40


def postgresql_server():
    """The PostgreSQL server the suite uses (make test-postgres's DATABASE_URL), else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else "postgres://postgres@127.0.0.1:5432/postgres"


@dataclass
class Node:
    """One gunicorn node, with a data folder of its own (collected static files, logs), as on a machine of its own."""

    name: str
    data_dir: Path
    env: dict = field(repr=False)
    port: int = field(default_factory=free_port)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args):
        """A management command with this node's environment, as an admin on that machine runs it."""
        command = [sys.executable, PROJECT / "manage.py", *args]
        return subprocess.run(command, env=self.env, check=True, capture_output=True, text=True).stdout

    def shell(self, code):
        """The last line ``code`` prints, run by ``manage.py shell`` on this node."""
        return self.manage("shell", "-c", code).splitlines()[-1]


@dataclass
class Cluster:
    a: Node
    b: Node
    nginx_url: str
    s3: S3Server
    bucket: str
    akismet: AkismetStandIn


def shared_environment(database_url, s3, bucket, akismet, public_url):
    """What every node and the worker share: the settings of one deployment, none of this machine's."""
    own = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ESCRIBE_DATA_DIR", "MEDIA_ROOT", "STATIC_ROOT")
    env = {k: v for k, v in os.environ.items() if k not in own and not k.startswith("AWS_")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "site.settings.dev",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": s3.url,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",
        **CREDENTIALS,
        "AKISMET_API_KEY": "two-nodes-key",
        "AKISMET_API_URL": akismet.url,
        "WAGTAILADMIN_BASE_URL": public_url,  # the address readers use: nginx's
    }


@contextlib.contextmanager
def two_nodes(folder):
    """Everything started, in order, each thing's stop registered as soon as it runs: whatever fails,
    what was started is stopped and the database dropped (last, once nothing is connected)."""
    with contextlib.ExitStack() as stack:
        redis.Redis.from_url(REDIS_URL).flushdb()  # rate limits and pages of an earlier run
        stack.callback(lambda: redis.Redis.from_url(REDIS_URL).flushdb())

        server = postgresql_server()
        database = f"escribe_two_nodes_{os.getpid()}"
        with postgresql_admin(server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')  # a killed run's
            admin.execute(f'CREATE DATABASE "{database}"')
        stack.callback(drop_database, server, database)

        s3 = S3Server(log=folder / "moto.log").start()
        stack.callback(s3.stop)
        bucket = s3.create_bucket()
        s3.make_images_public(bucket)
        akismet = AkismetStandIn().start()
        stack.callback(akismet.stop)

        nginx_port = free_port()
        env = shared_environment(
            postgresql_url(server, database), s3, bucket, akismet, f"http://127.0.0.1:{nginx_port}"
        )
        a, b = (Node(name, folder / name, env | {"ESCRIBE_DATA_DIR": str(folder / name)}) for name in "ab")
        a.manage("migrate", "--noinput")
        a.manage("load_demo")
        for node in (a, b):
            node.manage("collectstatic", "--noinput")
            log = node.data_dir / "gunicorn.log"
            options = ["--workers", "2", "--access-logfile", str(node.data_dir / "access.log")]
            stack.callback(stop_server, start_gunicorn(node.port, node.env, *options, log=log))

        command = [sys.executable, PROJECT / "manage.py", "worker", "--no-reload", "--interval", "0.2"]
        with open(folder / "worker.log", "w") as log:
            worker = subprocess.Popen(command, env=a.env, stdout=log, stderr=subprocess.STDOUT)
        stack.callback(stop_server, worker)

        # Static files from node A's folder, as on a machine of its own; media are in the bucket.
        nginx = start_nginx(folder / "nginx", a.port, nginx_port, a.data_dir, more_upstream_ports=[b.port])
        stack.callback(stop_server, nginx)
        yield Cluster(a, b, f"http://127.0.0.1:{nginx_port}", s3, bucket, akismet)


def drop_database(server, database):
    """FORCE: a connection a stopped server left behind must not keep the database alive."""
    with postgresql_admin(server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture(scope="module")
def cluster():
    needs_service(5432, "PostgreSQL")
    needs_service(6379, "Redis")
    require(shutil.which("nginx"), "nginx is not installed (make test installs it as root: apt-get install nginx)")
    folder = Path(tempfile.mkdtemp(prefix="escribe-two-nodes-"))
    folder.chmod(0o755)  # nginx's workers run as nobody under root, and read the static files
    try:
        with two_nodes(folder) as running:
            yield running
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def admin(cluster):
    """The demo admin, logged in on node A only, as a browser holds the session: its cookies."""
    session = requests.Session()
    password = (cluster.a.data_dir / "admin-password.txt").read_text().strip()  # written by load_demo on A
    response = submit(session, cluster.a.url + "/admin/login/", {"username": "admin", "password": password})
    assert page_title(response.text) == "Dashboard - Wagtail", "the login on node A failed"
    return session


def submit(session, url, changes, files=None):
    """Send the page's own form (the one posting back to ``url``: the admin's pages hold others too) as a
    browser would: every field as the page gave it (CSRF token, hidden values), with ``changes`` typed in."""
    page = session.get(url, timeout=30)
    page.raise_for_status()
    soup = bs4.BeautifulSoup(page.text, "html.parser")
    path = urllib.parse.urlsplit(url).path
    form = next(f for f in soup.find_all("form") if urllib.parse.urlsplit(f.get("action", "")).path == path)
    data = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name, kind = element.get("name"), element.get("type", "text")
        if (
            not name
            or kind in ("file", "submit")
            or (kind in ("checkbox", "radio") and not element.has_attr("checked"))
        ):
            continue
        if element.name == "textarea":
            data[name] = element.text.removeprefix("\n")  # as browsers read a textarea
        elif element.name == "select":
            option = element.find("option", selected=True) or element.find("option")
            data[name] = option.get("value", "") if option else ""
        else:
            data[name] = element.get("value", "on" if kind == "checkbox" else "")
    action = urllib.parse.urljoin(url, form.get("action"))
    return session.post(action, data=data | changes, files=files, headers={"Referer": url}, timeout=60)


def page_title(html):
    return bs4.BeautifulSoup(html, "html.parser").title.get_text(strip=True)


def get(url):
    """What an anonymous reader gets at ``url``: no cookies, so from the caches whenever they have it."""
    response = requests.get(url, timeout=30)
    response.raise_for_status()
    return response.text


def comment_token(node, post_id):
    """A comment form's token from ``node``, as static/js/comments.js fetches it."""
    return requests.get(f"{node.url}/comments/token/{post_id}/", timeout=30).json()["token"]


def post_comment(node, post_id, token, forwarded_for=None, **fields):
    """The status of one comment sent to ``node`` as the form sends it (redirects not followed);
    ``forwarded_for``: the reader's address as a proxy on loopback (trusted) passes it on."""
    data = {"name": "Ada", "email": "ada@example.com", "text": "Hello.", "issued": token, "website": "", **fields}
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    url = f"{node.url}/comments/post/{post_id}/"
    return requests.post(url, data=data, headers=headers, allow_redirects=False, timeout=60).status_code


def post_id(node):
    return int(node.shell(f"from blog.models import BlogPage; print(BlogPage.objects.get(slug={POST_SLUG!r}).pk)"))


def comment(node, text):
    """(primary key, status, spam check) of the comment with ``text``, as the shared database has it."""
    fields = "'pk', 'status', 'spam_check'"
    code = f"from blog.comments.models import Comment as C; print(*C.objects.values_list({fields}).get(text={text!r}))"
    pk, status, check = node.shell(code).split()
    return int(pk), status, check


def png(colour, size=(300, 300)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_post_published_through_node_a_is_on_node_bs_very_next_response(cluster, admin):
    title = "Published on node A"
    for url in (cluster.b.url, cluster.nginx_url):
        assert title not in get(url + "/")  # B's page cache, and nginx's, now hold the front page without it
    index = cluster.a.shell("from blog.models import BlogIndexPage; print(BlogIndexPage.objects.get().pk)")
    add = f"{cluster.a.url}/admin/pages/add/blog/blogpage/{index}/"
    fields = {"title": title, "slug": "published-on-node-a", "summary": "Just out.", "body": "Written on A."}
    response = submit(admin, add, fields | {"action-publish": "action-publish"})
    assert response.url != add, "the page editor on node A refused the post"  # published: back to the listing
    assert title in get(cluster.b.url + "/")  # B's very next response
    assert seconds_until(cluster.nginx_url + "/", title) is not None  # nginx: within its one-second micro-cache


def test_an_admin_session_opened_on_node_a_works_on_node_b(cluster, admin):
    for url in (cluster.b.url, cluster.nginx_url):
        response = admin.get(url + "/admin/", timeout=30)
        assert response.url == url + "/admin/"  # not sent to the login page
        assert page_title(response.text) == "Dashboard - Wagtail"


def test_an_image_uploaded_through_node_a_is_served_on_node_bs_pages_from_the_bucket(cluster, admin):
    colour = (20, 160, 90)
    upload = ("portrait-from-a.png", png(colour), "image/png")
    response = submit(admin, f"{cluster.a.url}/admin/images/add/", {"title": "Portrait from A"}, {"file": upload})
    assert response.ok and "/admin/images/add/" not in response.url, "node A refused the upload"
    image = cluster.a.shell(
        "from wagtail.images.models import Image; print(Image.objects.get(title='Portrait from A').pk)"
    )
    about = cluster.a.shell("from home.models import AboutPage; print(AboutPage.objects.get().pk)")
    edit = f"{cluster.a.url}/admin/pages/{about}/edit/"
    response = submit(admin, edit, {"portrait": image, "action-publish": "action-publish"})
    assert response.url != edit, "the page editor on node A refused the portrait"

    html = get(cluster.b.url + "/about/")  # node B makes the rendition from the original A stored
    [source] = [img["src"] for img in bs4.BeautifulSoup(html, "html.parser").select("img.portrait-large")]
    assert source.startswith(f"{cluster.s3.url}/{cluster.bucket}/images/portrait-from-a.")
    served = requests.get(source, timeout=30)  # anonymous, unsigned, as a reader's browser asks
    assert served.status_code == 200
    picture = PILImage.open(io.BytesIO(served.content))
    assert picture.size == (240, 240) and picture.convert("RGB").getpixel((120, 120)) == colour
    assert "original_images/portrait-from-a.png" in cluster.s3.keys(cluster.bucket)
    assert not [*cluster.a.data_dir.parent.rglob("portrait-from-a*")]  # on no node's disk


def test_a_comment_posted_through_node_b_is_checked_then_approved_through_a_and_shown_on_both(cluster, admin):
    post, text = post_id(cluster.b), "Posted through node B, approved through node A."
    path = f"/{POST_SLUG}/"
    for node in (cluster.a, cluster.b):
        assert text not in get(node.url + path)  # each node's page cache holds the post without it
    token = comment_token(cluster.b, post)
    time.sleep(3.2)  # the form turns away posts sooner than a person could write one
    assert post_comment(cluster.b, post, token, name="Ada on B", text=text) == 302
    assert poll(lambda: comment(cluster.a, text)[2] == "ham", 60, 0.5) is not None  # the worker asked Akismet
    assert [fields["comment_content"] for fields in cluster.akismet.received("comment-check")].count(text) == 1
    pk, status, _ = comment(cluster.a, text)
    assert status == "pending" and text not in get(cluster.b.url + path)

    approve = f"{cluster.a.url}/admin/bulk/blog/comment/approve/?id={pk}&next=/admin/"
    response = submit(admin, approve, {})
    assert response.url == cluster.a.url + "/admin/", "node A did not approve the comment"
    assert comment(cluster.b, text)[1] == "approved"
    for node in (cluster.a, cluster.b):
        assert text in get(node.url + path)  # each node's very next response
    assert seconds_until(cluster.nginx_url + path, text) is not None


def test_a_readers_rate_limit_counts_their_comments_on_both_nodes(cluster):
    post, reader = post_id(cluster.a), "198.51.100.7"
    nodes = [(cluster.a, cluster.b)[n % 2] for n in range(12)]
    # Each form's token from the other node: nginx may send a reader's two requests to different nodes.
    tokens = [comment_token(cluster.b if node is cluster.a else cluster.a, post) for node in nodes]
    time.sleep(3.2)
    statuses = [
        post_comment(node, post, token, forwarded_for=reader, name="Busy reader", text=f"Comment number {n}.")
        for n, (node, token) in enumerate(zip(nodes, tokens, strict=True))
    ]
    assert statuses == [302] * 10 + [429] * 2  # COMMENT_RATE_LIMIT: 10 per 600 s per reader, on either node
    count = "from blog.comments.models import Comment; print(Comment.objects.filter(name='Busy reader').count())"
    assert cluster.b.shell(count) == "10"
