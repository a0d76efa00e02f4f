"""Settings for the test suite: fast hashing, in-memory mail, everything written to a temp folder."""

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
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["NAME"] = DATA_DIR / "escribe.sqlite3"  # noqa: F405
# Tests render pages without running collectstatic first.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
SERVE_MEDIA = True
CACHES = {alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias} for alias in CACHES}  # noqa: F405
# The address Wagtail's first migration gives the Site record, so it stays as it is (machinery/site_address.py).
WAGTAILADMIN_BASE_URL = "http://localhost"
AKISMET_API_KEY = ""  # tests that need Akismet point it at the stand-in server
# Tasks run in the test's own process as they are enqueued; tests/test_worker.py runs the real worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
