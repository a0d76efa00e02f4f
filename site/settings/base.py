"""Settings shared by every environment.

Values that differ between machines come from the environment; ``dev``,
``test`` and ``production`` only change what must differ.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Everything the running site writes (database, media, collected static files,
# generated credentials) lives under one folder outside the code.
DATA_DIR = Path(os.environ.get("ESCRIBE_DATA_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "home",
    "blog",
    "search",
    "machinery",
    "wagtailmarkdown",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache, so that pages it serves whole get the headers too.
    "csp.middleware.CSPMiddleware",
    "machinery.security_headers.SecurityHeadersMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "machinery.query_redirects.QueryRedirectMiddleware",  # /?p=123 from WordPress, which the cache would answer
    "machinery.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "machinery.site_lookup.SiteLookupMiddleware",  # once the host is checked: Wagtail's Site, once per process
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "site.urls"
WSGI_APPLICATION = "site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "machinery.page_cache.page_cache_version",
            ],
        },
    },
]

# SQLite by default, in DATA_DIR. WAL lets readers and a writer work at once,
# IMMEDIATE takes the write lock at BEGIN (so a read-then-write transaction
# never fails half-way with "database is locked"), and the timeout makes a
# writer wait its turn instead of failing. DATABASE_URL switches engines.
# Each gunicorn worker keeps its connection between requests, whatever the engine: opening a SQLite one
# (Django's functions, the PRAGMAs) took 0.85 ms, a third of a search page built afresh.
DATABASE_CONN_MAX_AGE = 60
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", DATA_DIR / "escribe.sqlite3"))
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=DATABASE_CONN_MAX_AGE)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Wagtail's database search backend ranks with PostgreSQL's full-text search only with it.
        INSTALLED_APPS.append("django.contrib.postgres")
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "CONN_MAX_AGE": DATABASE_CONN_MAX_AGE,
            "OPTIONS": SQLITE_OPTIONS,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Logins hold against guessing (django-axes, machinery/login_throttle.py). After
# AXES_FAILURE_LIMIT failures from one client IP, or for one username, within
# the cool-off, that IP or username is refused at every password form (Wagtail's
# admin login, the login form of "login required" pages, the shared password of
# private pages; the right password too) until AXES_COOLOFF_TIME has passed
# since the failure that locked it. Failures are kept in the database, so every gunicorn
# worker and machine sees them, whatever the cache. To lift a lockout at once:
# python manage.py axes_reset_username editor (or axes_reset_ip, axes_reset).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out client before any password is checked
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one alone: guessing many accounts, or one from many IPs
AXES_CLIENT_IP_CALLABLE = "machinery.ratelimit.client_ip"  # the same reader's IP as every other limit
AXES_LOCKOUT_CALLABLE = "machinery.login_throttle.lockout_response"  # the login page itself, with a plain message
AXES_DISABLE_ACCESS_LOG = True  # failures are what we need; no table of every successful login
# A try during a lockout does not start the wait again: else one guess every 15 minutes,
# from anywhere, would keep an editor out of the admin for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Password-reset mails: at most this many, per this many seconds, per client IP and per address.
PASSWORD_RESET_RATE_LIMIT_PER_IP = (5, 60 * 60)
PASSWORD_RESET_RATE_LIMIT_PER_EMAIL = (3, 60 * 60)

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
# Uploaded images and documents, and the renditions Wagtail makes of images, all go to the
# default storage: this machine's disk (MEDIA_ROOT) unless AWS_STORAGE_BUCKET_NAME names a
# bucket on S3 or an S3-compatible service (AWS_S3_ENDPOINT_URL). Credentials are never
# settings: boto3 finds them itself (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the
# environment, a profile, an instance role).
MEDIA_BUCKET = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if MEDIA_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # A CDN or the bucket's public domain (media.example.com): image URLs use it.
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # "path" for services that have no bucket-name subdomains (MinIO and the like).
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            # A second upload of photo.png becomes photo_<random>.png: nothing is ever replaced.
            "file_overwrite": False,
            # Plain, unsigned URLs. Signed ones expire (an hour by default), yet pages holding
            # them are kept whole in the page cache and by browsers: readers would get broken
            # images. A blog's images are public anyway, so the bucket makes them readable by
            # anyone (README, "Media on object storage") and every URL stays valid for good.
            "querystring_auth": False,
            # No ACL sent with each upload by default: new AWS buckets refuse ACLs (object
            # ownership "bucket owner enforced"); a bucket policy makes images/ and
            # original_images/ public instead, leaving documents/ private. Services that
            # still use ACLs: AWS_DEFAULT_ACL=public-read (every file public, documents too).
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
            # As nginx keeps /media/ (deploy/nginx.conf): file names never change meaning.
            "object_parameters": {"CacheControl": "public, max-age=2592000"},
        },
    }
    # Documents keep going through /documents/<id>/<name>, where Wagtail checks their
    # collection's privacy, and are streamed from the bucket: never a redirect to it.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Renditions are made on the first request that shows one ({% image %}, Markdown image:
# references), read from and written to the same storage, then looked up in the database.
# Uploaded exports (blog/importers/models.py) hold commenters' addresses: never where media is served
# from. On disk, beside the database; in the bucket, under imports/, which the bucket policy leaves
# private as it does documents/ (README, "Media on object storage"), signed and never given an ACL.
if MEDIA_BUCKET:
    IMPORTS_STORAGE = {
        "BACKEND": MEDIA_STORAGE["BACKEND"],
        "OPTIONS": {
            **MEDIA_STORAGE["OPTIONS"],
            "location": "imports",
            "default_acl": None,
            "custom_domain": None,
            "querystring_auth": True,
        },
    }
else:
    IMPORTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "imports", "base_url": None},
    }
STORAGES = {
    "default": MEDIA_STORAGE,
    "imports": IMPORTS_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "E-Scribe"
# The site's public address: links in mails, and, through the default Site record
# it sets at every migrate, in feeds, the sitemap and JSON-LD (machinery/site_address.py).
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Unset: a Site an admin pointed at another public hostname keeps it; 1: configuration always wins; 0: never.
SITE_FOLLOWS_BASE_URL = {"1": True, "0": False}.get(os.environ.get("SITE_FOLLOWS_BASE_URL", ""))
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "zip", "png", "jpg"]
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the admin must not call out to the internet
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # nor load avatars from a third party
TAGGIT_CASE_INSENSITIVE = True  # "Django" and "django" are one tag

# wagtail-markdown gives us its editor; Markdown is rendered by blog/markdown.py
# (its extensions and sanitiser are there, and why not wagtail-markdown's own).
WAGTAILMARKDOWN = {
    # EasyMDE would fetch Font Awesome from a CDN; its toolbar works without it.
    "autodownload_fontawesome": False,
}

# Content-Security-Policy (django-csp) on every public page: scripts, styles and
# fonts from this site only, no inline script or <style>, images from anywhere
# over https (posts show pictures from other sites). No style attributes either:
# blog/markdown.py writes table alignment as align="…" and strips editors' styles.
# Wagtail's admin relies on inline scripts, so it is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],  # Wagtail's preview panel frames pages from the admin
    },
}
# Browser features the site never uses, off for every page (machinery/security_headers.py).
UNUSED_FEATURES = [
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
]
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in UNUSED_FEATURES)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "escribe": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Background work (spam checks, mails, Akismet feedback, Wagtail's search and reference
# indexes) waits in a queue in the database and runs in the worker (``manage.py worker``,
# started by ``make run`` and deploy/escribe-worker.service), never in a reader's request.
# A task survives restarts; one left running by a worker that died is run again
# (machinery/worker.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK_STALE_SECONDS = int(os.environ.get("TASK_STALE_SECONDS", 10 * 60))
# Tasks that may rightly run longer, while their worker's heartbeat goes on: a big blog's import.
TASK_STALE_SECONDS_FOR = {"blog.importers.tasks.run_import": 6 * 60 * 60}
TASK_HEARTBEAT_SECONDS = int(os.environ.get("TASK_HEARTBEAT_SECONDS", 30))  # a worker silent this long has stopped
# What the worker runs on a schedule (management command: every so many seconds), once
# across all workers sharing the cache. publish_scheduled hourly, as Wagtail recommends.
WORKER_SCHEDULE = {
    "publish_scheduled": 60 * 60,
    "recheck_comments": 15,
    "purge_spam": 24 * 60 * 60,
    "prune_db_task_results": 24 * 60 * 60,
}

# No mail server may hold a worker: a stalled one fails after this many seconds, and the mail is tried again.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 10))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))

# Caches shared by every gunicorn worker on this machine (rate limits must count
# across workers); REDIS_URL shares them across machines. Each alias has its own
# folder: a file cache culls a third of its entries at random when full, so whole
# pages ("pages") must never take the page cache's version ("default") or a rate
# limit ("ratelimit", whose file backend adds and increments under a lock) with them.
CACHE_FOLDERS = {"default": "cache", "pages": "page-cache", "ratelimit": "ratelimit"}
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {
            "BACKEND": "machinery.redis_cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": alias,
        }
        for alias in CACHE_FOLDERS
    }
else:
    CACHES = {
        alias: {
            "BACKEND": "machinery.file_cache.FileCache",
            "LOCATION": DATA_DIR / folder,
            # Every 50th write lists the folder, so a file cache is no place for millions: use Redis.
            "OPTIONS": {"MAX_ENTRIES": 10_000, "CHECK_EVERY": 50},
        }
        for alias, folder in CACHE_FOLDERS.items()
    }

# What is kept under the page-cache version (fragments, feeds, counts): in each process in front of "pages".
CACHES["fragments"] = {
    "BACKEND": "machinery.fragment_cache.FragmentCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": 300},
}

# Whole pages for anonymous readers (machinery/page_cache.py); PAGE_CACHE=0 turns it off.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE", "1") == "1"
PAGE_CACHE_SECONDS = 60 * 60  # a safety net only: changes invalidate at once
# Never cached: the admin, posting comments, documents (their own permissions), Wagtail's
# login and password forms under /_util/, and drafts shown by private preview links.
PAGE_CACHE_SKIPPED_PREFIXES = ("/admin/", "/comments/", "/documents/", "/_util/", "/preview/")
# The query parameters each page reads (URL name: parameters); every other page reads only
# ``page``. Other parameters (utm_source, cache busters) get the same cached page, so junk
# query strings can neither bypass the cache nor fill it. deploy/nginx.conf keys the same way.
PAGE_CACHE_KEY_PARAMETERS = {"search": ("q", "page"), "sitemap": ("p",)}

# Proxies in front of gunicorn whose X-Forwarded-For is believed (addresses or
# networks, comma-separated): the reader's IP, which rate limits and Akismet need,
# is the first address from the right that is not one of them (machinery/ratelimit.py).
TRUSTED_PROXIES = [
    ipaddress.ip_network(net.strip())
    for net in os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
    if net.strip()
]

# Akismet. Key and blog URL come from the environment only, never from the
# database where editors could read them. No key: comments skip the check.
AKISMET_API_KEY = os.environ.get("AKISMET_API_KEY", "")
AKISMET_BLOG_URL = os.environ.get("AKISMET_BLOG_URL", WAGTAILADMIN_BASE_URL)
AKISMET_TIMEOUT = float(os.environ.get("AKISMET_TIMEOUT", "3"))
# After a failure, new comments wait this long before Akismet is asked again; recheck_comments
# (every 15 seconds in the worker's schedule) finds it back and queues the backlog.
AKISMET_RETRY_SECONDS = 30
# Send Akismet's requests elsewhere (a stand-in server for tests and benchmarks).
AKISMET_API_URL = os.environ.get("AKISMET_API_URL", "")
AKISMET_IS_TEST = True  # production.py turns this off

# Comment form defences: a form sent sooner than this after it was shown is a
# robot; one older than the max age must be sent again; per-IP posting limit.
COMMENT_MIN_SECONDS = 3
COMMENT_MAX_AGE_SECONDS = 60 * 60 * 24
COMMENT_RATE_LIMIT = (10, 600)  # posts, per this many seconds, per IP
COMMENT_PREVIEW_RATE_LIMIT = (30, 600)  # previews, likewise
PREVIEW_LINK_DAYS = 7  # how long a private link to a draft works (blog/previews.py)
COMMENT_MODERATION_LINK_DAYS = 4  # how long the Approve, Spam and Reject links in the moderators' mail work
SPAM_PURGE_DAYS = 15
