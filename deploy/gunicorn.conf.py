"""gunicorn settings for E-Scribe (``gunicorn -c deploy/gunicorn.conf.py site.wsgi:application``).

Sync workers sized from the CPU count: the app is CPU-bound rendering and
SQLite, and nginx in front absorbs slow clients.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 10
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
forwarded_allow_ips = "127.0.0.1"
