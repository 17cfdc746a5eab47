# Two commands on a fresh machine: `make run` and `make test`. Everything else is set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
CHROMIUM ?= /usr/bin/chromium

.PHONY: run worker test bench chaos production-check api-fuzz lint check-deploy static system-deps \
	browser-deps production-deps clean

# Beside the web server: the background worker (alert emails, documents) and the scheduler
# (expiry reminders, safety reviews, team alerts, a signed audit checkpoint, email and document
# retries every 15 minutes; the stored-file sweep and checks, old sign-in records: ADR 0036),
# each started again if it ever stops. Ctrl+C stops all.
run: $(VENV)/.run-installed static system-deps
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@echo "OrderWatch is at http://127.0.0.1:8000 (Ctrl+C to stop)."
	@( trap 'kill $$run $$pause 2>/dev/null; exit 0' TERM; while true; do \
	  $(BIN)/python manage.py run_worker --no-reload & run=$$!; wait $$run; \
	  echo "The background worker stopped; starting it again in 5 seconds."; \
	  sleep 5 & pause=$$!; wait $$pause; \
	done ) & worker=$$!; \
	( trap 'kill $$run $$pause 2>/dev/null; exit 0' TERM; while true; do \
	  $(BIN)/python manage.py run_scheduler & run=$$!; wait $$run; \
	  echo "The scheduler stopped; starting it again in 5 seconds."; \
	  sleep 5 & pause=$$!; wait $$pause; \
	done ) & schedule=$$!; \
	trap '{ kill $$worker $$schedule; wait; } 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Just the background worker, for when the web server runs elsewhere (or in production, under
# a supervisor that starts it again: see the README).
worker: $(VENV)/.run-installed
	$(BIN)/python manage.py run_worker

# The suite runs in one process per core (pytest-xdist), each with its own test database and
# browser; `--dist load` keeps pytest-django's order (transactional tests last) in each worker.
# TEST_WORKERS=0 runs it in this process alone.
TEST_WORKERS ?= auto
test: $(VENV)/.test-installed static system-deps browser-deps lint check-deploy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

# Speed is measured here, not asserted in tests: the pattern analysis of 10,000 incidents; an
# evidence upload against sha256sum and an evidence bundle against zip -6; then, on PostgreSQL
# (BENCH_DATABASE_URL, or DATABASE_URL), the service at national scale for each of BENCH_SIZES
# (10k, 100k, 1m; each in a fresh database named after it). See docs/performance.md.
BENCH_SIZES ?= 10k
bench: $(VENV)/.test-installed
	$(BIN)/python -m benchmarks.bench_pattern_analysis
	$(BIN)/python -m benchmarks.bench_files
	@case "$${BENCH_DATABASE_URL:-$$DATABASE_URL}" in \
	  postgres://*|postgresql://*) $(BIN)/python -m benchmarks.national.run --sizes $(BENCH_SIZES);; \
	  *) echo "National scale skipped: set BENCH_DATABASE_URL to a PostgreSQL database.";; \
	esac

# Not part of `make test`: breaches and evidence saved while the web server and a PostgreSQL
# cluster of its own are killed with kill -9 (CHAOS_CYCLES times); prints what was lost,
# duplicated or orphaned. Needs Debian's postgresql package. See docs/performance.md.
CHAOS_CYCLES ?= 50
chaos: $(VENV)/.test-installed
	$(BIN)/python -m benchmarks.chaos.run --cycles $(CHAOS_CYCLES)

# Not part of `make test` (.ci/run runs it after both suites): the production stack on loopback
# (PostgreSQL, moto's S3 server, two gunicorn instances behind nginx with TLS, two workers, one
# scheduler; deploy/) and one browser journey through nginx, killing an app instance part-way.
# PostgreSQL: a cluster of its own, or a fresh database PRODUCTION_CHECK_DATABASE_URL names.
production-check: $(VENV)/.test-installed static system-deps browser-deps production-deps
	$(BIN)/python -m deploy.production_check

# Not part of `make test` (.ci/run runs it after the suites): schemathesis against the API of a
# live server (a fresh demo database on loopback) with a real API client's token (checks/).
api-fuzz: $(VENV)/.test-installed static
	$(BIN)/python -m checks.api_fuzz

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r orderwatch config --severity-level high
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# Production settings must pass Django's deployment checks (throwaway values, never used).
check-deploy: $(VENV)/.test-installed
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	ORDERWATCH_FIELD_KEYS="$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
	DATABASE_URL=sqlite:///:memory: ALLOWED_HOSTS=orderwatch.example \
	ORDERWATCH_BASE_URL=https://orderwatch.example \
	ORDERWATCH_EVIDENCE_SIGNING_KEY="$$($(BIN)/python -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')" \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet pip==26.3

$(VENV)/.run-installed: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $@ $(VENV)/.run-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The stylesheet is built from the npm packages; nothing compiled is committed.
static: node_modules/.installed build/static/orderwatch/application.css
build/static/orderwatch/application.css: node_modules/.installed $(wildcard orderwatch/core/frontend/*.scss)
	npm run --silent build

# PDFs are made with WeasyPrint, which needs Pango (and a font) from the system.
system-deps:
	@ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && fc-list 2>/dev/null | grep -q . || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fontconfig; }

# Browser tests drive Debian's Chromium; Playwright never downloads a browser.
browser-deps:
	@test -x $(CHROMIUM) || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# The production check runs Debian's nginx and, without PRODUCTION_CHECK_DATABASE_URL, its
# PostgreSQL (only the check's own instances are started; none is left running).
production-deps:
	@test -x /usr/sbin/nginx && { [ -n "$$PRODUCTION_CHECK_DATABASE_URL" ] || \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    nginx $$( [ -n "$$PRODUCTION_CHECK_DATABASE_URL" ] || echo postgresql ); }

clean:
	rm -rf $(VENV) node_modules build staticfiles
