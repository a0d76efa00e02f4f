# E-Scribe: `make run` serves the demo site, `make test` runs every check.
# Both start from nothing but Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test test-postgres check-services lint test-tools bench bench-import install pygments-css clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Each stamp is remade when its requirements file changes.
$(VENV)/.installed-run: requirements.txt sitepackage.py | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/python sitepackage.py
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed-run
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed-run

# Links in feeds, the sitemap, JSON-LD and mails name the port served (machinery/site_address.py).
run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo ""
	@echo "  E-Scribe is at   http://$(HOST):$(PORT)/"
	@echo "  The admin is at  http://$(HOST):$(PORT)/admin/  (logins printed above)"
	@echo ""
	@# The worker (spam checks, mails, search indexing, the schedule) runs beside gunicorn; Ctrl-C stops both,
	@# and the worker stops with gunicorn whatever ends it.
	DEBUG=0 $(BIN)/python manage.py worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=0 $(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind $(HOST):$(PORT) site.wsgi:application

# The browser tests drive Debian's Chromium and inject axe-core from npm; the nginx
# test puts Debian's nginx in front of the site. As root, make installs what is missing.
CHROMIUM ?= /usr/bin/chromium
MISSING   = $(if $(wildcard $(CHROMIUM)),,chromium) $(if $(shell command -v nginx),,nginx)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-tools:
	@if command -v npm >/dev/null; then $(MAKE) -s node_modules/.installed; \
	  else echo "npm is missing: the accessibility checks need Node.js (Debian: apt-get install npm)."; fi
	@if [ -n "$(strip $(MISSING))" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's $(strip $(MISSING)) for the browser and nginx tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(MISSING) >/dev/null; \
	  else \
	    echo "Some tests need $(strip $(MISSING)): run 'sudo apt-get install $(strip $(MISSING))' (or set CHROMIUM=/path/to/chromium)."; \
	  fi; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=site.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# SQLite and in-memory caches, whatever DATABASE_URL or REDIS_URL this shell has.
test: lint test-tools
	env -u DATABASE_URL -u REDIS_URL CHROMIUM=$(CHROMIUM) $(BIN)/pytest

# The same suite on PostgreSQL and Redis, as CI runs it after `make test` (.ci/run). pytest-django
# creates test_escribe beside TEST_DATABASE_URL's database and drops it; the Redis database is the
# tests' alone, as they empty it around every test (site/settings/test.py).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/escribe
TEST_REDIS_URL    ?= redis://127.0.0.1:6379/14

check-services: $(VENV)/.installed-dev
	@missing=; start=; \
	$(BIN)/python -c 'import psycopg, sys; psycopg.connect(sys.argv[1], dbname="postgres", connect_timeout=3).close()' \
	  '$(TEST_DATABASE_URL)' 2>/dev/null || { missing="PostgreSQL ($(TEST_DATABASE_URL))"; start=postgresql; }; \
	$(BIN)/python -c 'import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()' \
	  '$(TEST_REDIS_URL)' 2>/dev/null || { missing="$${missing:+$$missing and }Redis ($(TEST_REDIS_URL))"; \
	  start="$${start:+$$start }redis-server"; }; \
	if [ -n "$$missing" ]; then \
	  echo "make test-postgres: no answer from $$missing. Start: sudo systemctl start $$start (Debian: sudo apt-get install $$start), or set TEST_DATABASE_URL / TEST_REDIS_URL."; \
	  exit 1; \
	fi

test-postgres: check-services test-tools
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CHROMIUM=$(CHROMIUM) $(BIN)/pytest

# Throughput, latency, queries and memory at 100 and 10,000 posts (bench/run.py).
bench: $(VENV)/.installed-dev
	@for tool in wrk nginx; do command -v $$tool >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null; \
	  else echo "make bench needs $$tool: sudo apt-get install wrk nginx"; exit 1; fi; }; done
	$(BIN)/python bench/run.py

bench-import: $(VENV)/.installed-dev
	$(BIN)/python bench/import_export.py

# The code-highlighting stylesheet, light and dark, generated from Pygments with readable colours.
pygments-css: $(VENV)/.installed-run
	$(BIN)/python manage.py pygments_css

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
