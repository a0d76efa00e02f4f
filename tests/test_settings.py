"""Settings read from the environment: production refuses to guess, SQLite waits instead of failing."""

import os
import subprocess
import sys
from pathlib import Path

from .live_site import needs_service

PROJECT = Path(__file__).resolve().parent.parent


def manage(tmp_path, *args, **env):
    # The site's defaults (SQLite, file caches), whatever the suite runs on: a test names what it switches.
    unset = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(ESCRIBE_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, PROJECT / "manage.py", *args], env=environment, capture_output=True, text=True, timeout=120
    )


def dev_shell(tmp_path, code, **env):
    """Run `code` in `manage.py shell` under the dev settings; return the words it printed.

    In `code`, `c` is the database connection, and `cache` and `caches` are imported.
    """
    code = "from django.core.cache import cache, caches; from django.db import connection as c; " + code
    result = manage(tmp_path, "shell", "-c", code, DJANGO_SETTINGS_MODULE="site.settings.dev", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage(tmp_path, "check", DJANGO_SETTINGS_MODULE="site.settings.production", ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_the_deploy_checklist(tmp_path):
    result = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="site.settings.production",
        SECRET_KEY="x" * 20 + "-a-long-and-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="blog.example.com",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_sqlite_uses_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    code = (
        "cur = c.cursor(); print(cur.execute('PRAGMA journal_mode').fetchone()[0], "
        "cur.execute('PRAGMA busy_timeout').fetchone()[0], c.transaction_mode, c.settings_dict['NAME'])"
    )
    mode, timeout, transaction_mode, name = dev_shell(tmp_path, code)[-4:]
    assert (mode, transaction_mode) == ("wal", "IMMEDIATE")
    assert int(timeout) >= 5000
    assert Path(name) == tmp_path / "escribe.sqlite3"  # outside the code, where ESCRIBE_DATA_DIR says


def test_database_url_switches_to_postgresql(tmp_path):
    needs_service(5432, "PostgreSQL")
    code = "c.ensure_connection(); print(c.vendor, c.settings_dict['NAME'], c.pg_version > 0)"
    words = dev_shell(tmp_path, code, DATABASE_URL="postgres://postgres@127.0.0.1:5432/test")
    assert words[-3:] == ["postgresql", "test", "True"]


def test_redis_url_switches_the_cache_to_redis(tmp_path):
    needs_service(6379, "Redis")
    code = "cache.set('escribe-test', 42, 10); print(type(caches['default']).__name__, cache.get('escribe-test'))"
    words = dev_shell(tmp_path, code, REDIS_URL="redis://127.0.0.1:6379/0")
    assert words[-2:] == ["RedisCache", "42"]


def test_each_process_keeps_its_database_connection_between_requests(tmp_path):
    """Opening a SQLite connection cost a third of a search page built afresh (issue 14): a process opens one and
    serves request after request on it. Django closes what is too old at each request's start and end."""
    code = (
        "from django.core.signals import request_started, request_finished\n"
        "from django.db.backends.signals import connection_created\n"
        "opened = []\n"
        "connection_created.connect(lambda connection, **kwargs: opened.append(connection), weak=False)\n"
        "for _ in range(3):\n"
        "    request_started.send(None); c.cursor().execute('SELECT 1'); request_finished.send(None)\n"
        "print(len(opened), c.vendor)"
    )
    assert dev_shell(tmp_path, code)[-2:] == ["1", "sqlite"]
