"""Settings shared by every environment.

Values that differ between machines come from the environment; ``dev``,
``test`` and ``production`` only change what must differ.
"""

import os
from pathlib import Path

import dj_database_url

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
    "django.middleware.http.ConditionalGetMiddleware",
    "home.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
                "home.context_processors.page_cache_version",
            ],
        },
    },
]

# SQLite by default, in DATA_DIR. WAL lets readers and a writer work at once,
# IMMEDIATE takes the write lock at BEGIN (so a read-then-write transaction
# never fails half-way with "database is locked"), and the timeout makes a
# writer wait its turn instead of failing. DATABASE_URL switches engines.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", DATA_DIR / "escribe.sqlite3"))
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
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

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "E-Scribe"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "txt", "zip", "png", "jpg"]
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the admin must not call out to the internet
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # nor load avatars from a third party
TAGGIT_CASE_INSENSITIVE = True  # "Django" and "django" are one tag

WAGTAILMARKDOWN = {
    # EasyMDE would fetch Font Awesome from a CDN; its toolbar works without it.
    "autodownload_fontawesome": False,
    # toc gives headings stable anchors; "extra" (on by default) brings
    # fenced code, tables and footnotes; codehilite uses Pygments' classes.
    "extensions": ["toc"],
    "extension_configs": {
        "codehilite": [("guess_lang", False), ("css_class", "highlight")],
        "toc": [("permalink", False)],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "escribe": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Background work (Wagtail's own and our spam checks) runs through django_tasks.
# The immediate backend runs a task in-process right after the enqueuing
# transaction commits; a database-backed backend moves it to a worker with no
# code change.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Caches shared by every gunicorn worker on this machine (rate limits must count
# across workers); REDIS_URL shares them across machines. Whole pages go to their
# own cache, "pages": a file cache culls a third of its entries at random when
# full, and pages must never take the page cache's version or a rate limit with them.
if os.environ.get("REDIS_URL"):
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        for alias in ("default", "pages")
    }
else:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / folder,
            # Each write lists the folder, so a file cache is no place for millions: use Redis.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
        for alias, folder in (("default", "cache"), ("pages", "page-cache"))
    }

# Whole pages for anonymous readers (home/page_cache.py); PAGE_CACHE=0 turns it off.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE", "1") == "1"
PAGE_CACHE_SECONDS = 60 * 60  # a safety net only: changes invalidate at once

# Proxies in front of gunicorn that append to X-Forwarded-For (1 behind nginx).
# The reader's IP, which rate limits and Akismet need, is counted from the right.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

# Akismet. Key and blog URL come from the environment only, never from the
# database where editors could read them. No key: comments skip the check.
AKISMET_API_KEY = os.environ.get("AKISMET_API_KEY", "")
AKISMET_BLOG_URL = os.environ.get("AKISMET_BLOG_URL", WAGTAILADMIN_BASE_URL)
AKISMET_TIMEOUT = float(os.environ.get("AKISMET_TIMEOUT", "3"))
# Send Akismet's requests elsewhere (a stand-in server for tests and benchmarks).
AKISMET_API_URL = os.environ.get("AKISMET_API_URL", "")
AKISMET_IS_TEST = True  # production.py turns this off

# Comment form defences: a form sent sooner than this after it was shown is a
# robot; one older than the max age must be sent again; per-IP posting limit.
COMMENT_MIN_SECONDS = 3
COMMENT_MAX_AGE_SECONDS = 60 * 60 * 24
COMMENT_RATE_LIMIT = (10, 600)  # posts, per this many seconds, per IP
SPAM_PURGE_DAYS = 15
