"""Settings for the test suite: fast hashing, in-memory mail, everything written to a temp folder.

SQLite and in-memory caches by default (``make test``). DATABASE_URL and REDIS_URL, as base.py
reads them, run the same suite on PostgreSQL and Redis (``make test-postgres``, which CI runs too).
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105  (the test database is thrown away)
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

DATA_DIR = Path(tempfile.mkdtemp(prefix="escribe-test-"))
MEDIA_ROOT = DATA_DIR / "media"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir()
# On PostgreSQL, pytest-django creates test_<name> beside the database DATABASE_URL names, and drops it.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["NAME"] = DATA_DIR / "escribe.sqlite3"  # noqa: F405
# Tests render pages without running collectstatic first.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
SERVE_MEDIA = True
if os.environ.get("REDIS_URL"):
    # base.py's Redis caches, one key prefix per alias. tests/conftest.py empties every cache around
    # each test, and on Redis cache.clear() is FLUSHDB: the whole database, every alias and whatever
    # else is in it. So the tests must have a Redis database of their own (make test-postgres uses /14).
    from django.core.exceptions import ImproperlyConfigured
    from redis.connection import parse_url

    if not parse_url(os.environ["REDIS_URL"]).get("db"):
        raise ImproperlyConfigured(
            "REDIS_URL must name a Redis database for the tests alone, such as redis://127.0.0.1:6379/14: "
            "they empty it before and after every test"
        )
else:
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in CACHES  # noqa: F405
        if alias != "fragments"
    } | {"fragments": CACHES["fragments"]}  # noqa: F405  (in front of "pages", as in production)
# The address Wagtail's first migration gives the Site record, so it stays as it is (machinery/site_address.py).
WAGTAILADMIN_BASE_URL = "http://localhost"
AKISMET_API_KEY = ""  # tests that need Akismet point it at the stand-in server
# Tasks run in the test's own process as they are enqueued; tests/test_worker.py runs the real worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
