"""Local development and ``make run``: debug on, a throwaway key, local hosts."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# gunicorn without nginx: Django serves uploaded media itself (see site/urls.py).
SERVE_MEDIA = True
