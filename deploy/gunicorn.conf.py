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
# The app is loaded once, in the master, and each worker is a fork of it: a worker starts in milliseconds
# instead of the 1.4 s that importing Wagtail takes, so recycling one costs readers nothing. New code
# therefore needs a restart (systemctl restart escribe-web), not a reload (HUP), to be served.
preload_app = True
# Recycle workers now and then so a slow leak can never grow without bound, each at its own moment: with
# a jitter as wide as the interval, workers that started together do not restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests
# No control socket (gunicorn 25+, for gunicornc, which nothing here uses): the master stops and restarts
# its thread around every fork, and with it on, a recycled worker's replacement came up to 2 s late (p99
# 351-1,000 ms through restarts in make bench's recycling row; 41-53 ms without); and every gunicorn on
# the machine would share its one default path.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
forwarded_allow_ips = "127.0.0.1"


def when_ready(server):
    """In the master, once the app is loaded (preload_app) and before any worker is forked: compile the site's
    own templates and URL patterns, so that every worker, a recycled one too, serves its first request warm
    (reverse()'s map alone took 37 ms of a first request).
    Nothing that opens a database connection, which forked workers would share; and should loading the app have
    opened one, it is closed here: workers keep theirs between requests (CONN_MAX_AGE), so each opens its own."""
    from pathlib import Path

    from django.conf import settings
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018  (read for what it builds: the patterns, and the map reverse() reads)
    for folder in (folder for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])):
        for template in Path(folder).rglob("*.html"):
            get_template(str(template.relative_to(folder)))
    connections.close_all()


def worker_exit(server, worker):
    """A worker leaving (recycled after max_requests, or stopped) ends at once, with the status gunicorn gave it.
    Python's own teardown of a process this size took 0.46 s, and the master forks a replacement only once the old
    worker is gone: readers behind a recycled worker waited up to 0.6 s (make bench's recycling row). Database
    connections are closed and the logs flushed first; nothing else in a worker needs the teardown. gunicorn's master
    calls this hook too, for a worker found already gone: there it does nothing."""
    if worker.pid != os.getpid():
        return
    import logging
    import sys

    from django.db import connections

    leaving = sys.exc_info()[1]  # the SystemExit gunicorn raised, on its way out
    status = (leaving.code or 0) if isinstance(leaving, SystemExit) else 1
    connections.close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status if isinstance(status, int) else 1)
