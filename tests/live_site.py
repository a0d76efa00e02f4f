"""The real site, as `make run` serves it: gunicorn on loopback over a fresh demo database.

Used by the browser tests and by the nginx test. What a test needs from this
machine (Chromium, nginx) it asks for with ``require``: missing on a developer's
machine, the test skips; missing in CI (CI=true), it fails.
"""

import os
import socket
import subprocess
import sys
import time
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
from blog.models import BlogPage, Comment
from blog.moderation import ApproveAction
comment = Comment.objects.create(post=BlogPage.objects.get(slug={slug!r}), name={name!r}, email="r@example.com",
                                 text="Hello.", ip="127.0.0.1")
ApproveAction.execute_action([comment])
"""


def seconds_until(url, text, limit=10):
    """Seconds until ``text`` shows at ``url`` (asked twenty times a second), or None after ``limit``."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            if text in response.read().decode():
                return round(time.monotonic() - started, 2)
        time.sleep(0.05)
    return None


def require(condition, reason):
    """Skip when something is missing on a developer's machine; fail when CI should have it."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI must run this test)")
        pytest.skip(reason)


def reachable(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def needs_service(port, name):
    """Scale-out services (PostgreSQL, Redis) run on CI and this machine, not on a reader's laptop."""
    require(reachable(port), f"{name} is not running on 127.0.0.1:{port}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveSite:
    """A demo site served by gunicorn, as `make run` serves it, with Akismet's stand-in behind it."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.akismet = AkismetStandIn().start()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site.settings.dev",
            "DEBUG": "0",
            "ESCRIBE_DATA_DIR": str(data_dir),
            "AKISMET_API_KEY": "browser-test-key",
            "AKISMET_API_URL": self.akismet.url,
            "AKISMET_BLOG_URL": self.url,
            "WAGTAILADMIN_BASE_URL": self.url,
        }

    def manage(self, *args):
        command = [sys.executable, PROJECT / "manage.py", *args]
        return subprocess.run(command, env=self.env, check=True, capture_output=True, text=True).stdout

    def page_id(self, model, **lookup):
        """The primary key of a page, for going straight to its admin screens."""
        code = f"from django.apps import apps; print(apps.get_model('{model}').objects.get(**{lookup!r}).pk)"
        return int(self.manage("shell", "-c", code).split()[-1])

    def start(self):
        for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
            self.manage(*command)
        self.server = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "-c", PROJECT / "deploy" / "gunicorn.conf.py", "--workers", "2",
             "--bind", f"127.0.0.1:{self.port}", "--access-logfile", str(self.data_dir / "access.log"), "site.wsgi:application"],
            cwd=PROJECT, env=self.env, stdout=subprocess.DEVNULL, stderr=open(self.data_dir / "gunicorn.log", "w"),  # noqa: SIM115
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/robots.txt", timeout=5)  # noqa: S310
                return self
            except OSError:
                if time.monotonic() > deadline or self.server.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"gunicorn did not start: see {self.data_dir / 'gunicorn.log'}") from None
                time.sleep(0.3)

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=30)
        self.akismet.stop()

    def password(self, username):
        return (self.data_dir / f"{username}-password.txt").read_text().strip()
