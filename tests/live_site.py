"""The real site, as `make run` serves it: gunicorn on loopback over a fresh demo database.

Used by the browser tests, the live tests (nginx, rate limits, entry points) and the
benchmark: starting gunicorn and nginx, and waiting for them to answer, is written
once, here. bench/run.py imports this module; tests never import bench/. What a test
needs from this machine (Chromium, nginx) it asks for with ``require``: missing on a
developer's machine, the test skips; missing in CI (CI=true), it fails.
"""

import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .akismet_standin import AkismetStandIn

PROJECT = Path(__file__).resolve().parents[1]


# Changes a reader must see at once, made as the admin makes them (python manage.py shell -c ...).
PUBLISH = """
from blog.models import BlogIndexPage, BlogPage
post = BlogIndexPage.objects.get().add_child(instance=BlogPage(
    title={title!r}, slug={slug!r}, summary="Just out.", body="Just out.", live=False))
post.save_revision().publish()
"""
APPROVE = """
from blog.comments.models import Comment
from blog.models import BlogPage
from blog.comments.moderation import ApproveAction
comment = Comment.objects.create(post=BlogPage.objects.get(slug={slug!r}), name={name!r}, email="r@example.com",
                                 text="Hello.", ip="127.0.0.1")
ApproveAction.execute_action([comment])
"""


def poll(check, seconds, step):
    """Seconds until ``check()`` is true, asked every ``step`` seconds, or None after ``seconds``.

    The one waiting loop: servers starting and caches expiring both take a while we can only watch.
    """
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return round(time.monotonic() - started, 2)
        time.sleep(step)
    return None


def seconds_until(url, text, limit=10):
    """Seconds until ``text`` shows at ``url`` (asked twenty times a second), or None after ``limit``:
    how long a cache in front of the app keeps readers from seeing a change."""

    def shows():
        with urllib.request.urlopen(url, timeout=5) as response:
            return text in response.read().decode()

    return poll(shows, limit, 0.05)


def answers(url, process=None):
    """Whether anything answers at ``url``, even with an error status: the server is up, what it says is
    for the caller to judge. Raises if ``process``, the server being waited for, has exited."""
    if process is not None and process.poll() is not None:
        raise RuntimeError(f"{process.args[0]} exited while starting")
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def wait_until_answering(url, process=None, seconds=60):
    """Return once ``url`` answers, so a test or a measurement never meets a server still starting.
    A ``process`` that never answers is stopped: it must not outlive the run."""
    if poll(lambda: answers(url, process), seconds, 0.2) is None:
        if process is not None:
            stop_server(process)
        raise RuntimeError(f"{url} did not answer within {seconds} s")


def stop_server(process):
    """End a server started here and reap it, so its port is free again when this returns."""
    process.terminate()
    process.wait(timeout=30)


def require(condition, reason):
    """Skip when something is missing on a developer's machine; fail when CI should have it."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must run this test)")
        pytest.skip(reason)


def reachable(port):
    """Whether something listens on 127.0.0.1:``port`` (a service to use, or a leftover in the way)."""
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def needs_service(port, name):
    """Scale-out services (PostgreSQL, Redis) run on CI and this machine, not on a reader's laptop."""
    require(reachable(port), f"{name} is not running on 127.0.0.1:{port}")


def free_port():
    """A loopback port nothing listens on now: servers started side by side (or by two runs) never collide."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port, env, *options, cwd=PROJECT, log=None, app="site.wsgi:application"):
    """gunicorn started as `make run` starts it (deploy/gunicorn.conf.py, site.wsgi) on 127.0.0.1:``port``,
    and answering, so what tests and the benchmark meet is what gets deployed. ``options`` are more
    gunicorn flags; its stderr goes to the file ``log`` if given; ``app`` another WSGI app (the bench's floor)."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    config = PROJECT / "deploy" / "gunicorn.conf.py"
    command = [gunicorn, "-c", config, *options, "--bind", f"127.0.0.1:{port}", app]
    with open(log or os.devnull, "w") as errors:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    wait_until_answering(f"http://127.0.0.1:{port}/robots.txt", process)
    return process


def render_nginx_conf(values):
    """deploy/nginx.conf with its ${NAME} placeholders filled, as envsubst would; nginx's $variables stay.
    Tests and the benchmark must run the very configuration that is deployed."""
    template = (PROJECT / "deploy" / "nginx.conf").read_text()
    return re.sub(r"\$\{(\w+)\}", lambda m: str(values[m.group(1)]), template)


def upstream_servers(ports):
    """deploy/nginx.conf's ${UPSTREAM} for app nodes on these loopback ports. The template writes
    ``server ${UPSTREAM};``, so each address after the first opens a ``server`` line of its own:
    several nodes are listed in the configuration that is deployed, not in a copy of it."""
    return "; server ".join(f"127.0.0.1:{port}" for port in ports)


def start_nginx(prefix, upstream_port, port, data_dir, more_upstream_ports=()):
    """nginx with deploy/nginx.conf on 127.0.0.1:``port``, in front of the app on ``upstream_port``
    (and on each of ``more_upstream_ports``: nodes it balances between, as a site scaled out runs),
    serving the static and media files under ``data_dir``; started and answering. Its files
    (configuration, cache, logs) go under ``prefix``, so nothing of the machine's nginx is touched."""
    prefix.mkdir(parents=True, exist_ok=True)
    values = {
        "PREFIX": prefix,
        "MIME_TYPES": "/etc/nginx/mime.types",
        "UPSTREAM": upstream_servers([upstream_port, *more_upstream_ports]),
        "LISTEN": f"127.0.0.1:{port}",
        "SERVER_NAME": "127.0.0.1",
        "STATIC_ROOT": data_dir / "static",
        "MEDIA_ROOT": data_dir / "media",
    }
    (prefix / "nginx.conf").write_text(render_nginx_conf(values))
    command = ["nginx", "-p", str(prefix), "-c", "nginx.conf", "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_answering(f"http://127.0.0.1:{port}/robots.txt", process)
    return process


def postgresql_url(url, database):
    """``url`` (a PostgreSQL DATABASE_URL) naming ``database`` instead."""
    return urllib.parse.urlsplit(url)._replace(path=f"/{database}").geturl()


def postgresql_admin(url):
    """A connection, outside any transaction, to the server's ``postgres`` database, to create and drop others."""
    import psycopg

    return psycopg.connect(postgresql_url(url, "postgres"), autocommit=True, connect_timeout=10)


class LiveSite:
    """A demo site served by gunicorn, as `make run` serves it, with Akismet's stand-in behind it.

    Its data are its own, whatever the suite runs on: its SQLite file in ``data_dir``, or, when the
    suite runs on PostgreSQL (DATABASE_URL), a database created for it and dropped when it stops, so
    sites side by side never share a page, a comment or a queued task. Its caches are files in
    ``data_dir``, never REDIS_URL's database: the suite empties that one around every test, and
    sites sharing it would share rate limits too (every reader here is 127.0.0.1). A test that wants
    Redis gives the site a Redis database of its own (tests/test_live_limits.py).
    """

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.akismet = AkismetStandIn().start()
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
            "DJANGO_SETTINGS_MODULE": "site.settings.dev",
            "DEBUG": "0",
            "ESCRIBE_DATA_DIR": str(data_dir),
            "AKISMET_API_KEY": "browser-test-key",
            "AKISMET_API_URL": self.akismet.url,
            "AKISMET_BLOG_URL": self.url,
            "WAGTAILADMIN_BASE_URL": self.url,
        }
        self.server_url = None  # the PostgreSQL server the site's own database is on, if any
        suite_database = os.environ.get("DATABASE_URL", "")
        if suite_database.startswith(("postgres://", "postgresql://")):
            self.server_url = suite_database
            self.database = f"escribe_live_{os.getpid()}_{self.port}"
            self.env["DATABASE_URL"] = postgresql_url(suite_database, self.database)

    def manage(self, *args):
        command = [sys.executable, PROJECT / "manage.py", *args]
        return subprocess.run(command, env=self.env, check=True, capture_output=True, text=True).stdout

    def page_id(self, model, **lookup):
        """The primary key of a page, for going straight to its admin screens."""
        code = f"from django.apps import apps; print(apps.get_model('{model}').objects.get(**{lookup!r}).pk)"
        return int(self.manage("shell", "-c", code).split()[-1])

    def start(self):
        """A fresh demo database, then gunicorn over it, answering; on failure nothing is left running."""
        access, log = self.data_dir / "access.log", self.data_dir / "gunicorn.log"
        options = ["--workers", "2", "--access-logfile", str(access)]
        try:
            self.create_database()
            for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
                self.manage(*command)
            try:
                self.server = start_gunicorn(self.port, self.env, *options, log=log)
            except RuntimeError:
                raise RuntimeError(f"gunicorn did not start: see {log}") from None
        except BaseException:
            self.akismet.stop()
            self.drop_database()
            raise
        self.worker = self.start_worker()
        return self

    def create_database(self):
        if self.server_url:
            with postgresql_admin(self.server_url) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}"')  # a killed run's, with our pid and port
                admin.execute(f'CREATE DATABASE "{self.database}"')

    def drop_database(self):
        """Once gunicorn and the worker have stopped; FORCE ends a connection one of them left behind."""
        if self.server_url:
            with postgresql_admin(self.server_url) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def start_worker(self):
        """The worker beside gunicorn, as `make run` starts it: spam checks, mails and search indexing."""
        command = [sys.executable, PROJECT / "manage.py", "worker", "--no-reload", "--interval", "0.2"]
        with open(self.data_dir / "worker.log", "a") as log:
            return subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def stop(self):
        stop_server(self.worker)
        stop_server(self.server)
        self.akismet.stop()
        self.drop_database()

    def comment_token(self, post_id):
        """A comment form's token, as static/js/comments.js fetches it (the form takes it 3 s later at the soonest)."""
        with urllib.request.urlopen(f"{self.url}/comments/token/{post_id}/", timeout=30) as response:
            return json.loads(response.read())["token"]

    def post_comment(self, post_id, token, **fields):
        """The status of one comment POST, as a browser sends the form; redirects are not followed."""
        data = {"name": "Ada", "email": "ada@example.com", "text": "Hello.", "issued": token, "website": "", **fields}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", f"/comments/post/{post_id}/", urllib.parse.urlencode(data), headers)
            return connection.getresponse().status
        finally:
            connection.close()

    def password(self, username):
        return (self.data_dir / f"{username}-password.txt").read_text().strip()


@contextlib.contextmanager
def running_site(prefix, **env):
    """A LiveSite in a temporary folder of its own, with ``env`` added; stopped and removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    live = LiveSite(folder)
    live.env |= env
    try:
        yield live.start()
    finally:
        if getattr(live, "server", None):
            live.stop()
        shutil.rmtree(folder, ignore_errors=True)
