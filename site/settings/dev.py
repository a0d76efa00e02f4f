"""Local development and ``make run``: a key made on first run, local hosts, media served by Django."""

import os
import secrets

from .base import *  # noqa: F403


def _local_secret_key(path):
    """A random key made on first run and kept beside the database, never in the repository."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = SECRET_KEY or _local_secret_key(DATA_DIR / "secret-key")  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")  # on the console
# gunicorn without nginx: Django serves uploaded media itself (see site/urls.py), and compresses pages, which nginx
# does in production (deploy/nginx.conf). Django's gzip pads each response against BREACH.
SERVE_MEDIA = True
MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]  # noqa: F405
