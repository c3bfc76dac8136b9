# The only setup anyone needs: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test run: DATABASE_URL when set, else the local server.
PG_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/test)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run test test-sqlite test-postgresql lint format bench lock clean

install: $(VENV)/.installed
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null || \
	  echo "WARNING: could not install chromium; the browser tests will fail"; }

$(VENV)/.installed: pyproject.toml requirements.lock requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-dev.lock
	@touch $@

# The development server's secret key: random, per checkout, never committed.
var/development-secret-key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

run: install var/development-secret-key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py resume_change_emails
	@echo "Serving the demo conference on http://$(HOST):$(PORT)/pytorch-conference-europe-2026/"
	@echo "with a task worker beside it (the schedule-change e-mails); Ctrl-C stops both"
	@SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	@rm -rf test-results && mkdir -p test-results
	@if [ -n "$(DATABASE_URL)" ] || $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "Running the suite on SQLite and on PostgreSQL side by side (one core each); logs in test-results/"; \
	  $(MAKE) --no-print-directory test-sqlite > test-results/sqlite.log 2>&1 & sqlite=$$!; \
	  $(MAKE) --no-print-directory test-postgresql > test-results/postgresql.log 2>&1; postgresql=$$?; \
	  wait $$sqlite; sqlite=$$?; \
	  cat test-results/sqlite.log test-results/postgresql.log; \
	  $(BIN)/python tests/report.py test-results; \
	  [ $$sqlite = 0 ] && [ $$postgresql = 0 ]; \
	else \
	  $(MAKE) --no-print-directory test-sqlite; status=$$?; \
	  echo "PostgreSQL: no server answers at $(PG_URL); set DATABASE_URL to run the suite on it" | tee test-results/postgresql-skipped.txt; \
	  $(BIN)/python tests/report.py test-results; \
	  [ $$status = 0 ]; \
	fi

# Tests marked `once` bring databases and servers of their own (never the suite's), or check
# nothing that depends on the database: they run in the SQLite run only.
test-sqlite:
	@echo "== Test suite on SQLite =="
	DATABASE_URL= $(BIN)/pytest -p no:cacheprovider --junitxml=test-results/sqlite.xml $(PYTEST_ARGS)

test-postgresql:
	@echo "== Test suite on PostgreSQL =="
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider -m "not once" --junitxml=test-results/postgresql.xml $(PYTEST_ARGS)

# Benchmarks (figures, not pass/fail): server-side time and queries, page weight, load.
# wrk drives the load; Lighthouse (from npm, run by npx) needs Node.js and the chromium of `install`.
bench: install
	@command -v wrk >/dev/null && command -v npx >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nodejs npm >/dev/null; }
	@echo "== Server-side time and queries =="
	$(BIN)/python bench/pages.py
	@echo "== Page weight =="
	$(BIN)/python bench/weight.py
	@echo "== Against a static file (gunicorn 2 workers, PostgreSQL, Redis, wrk, Lighthouse) =="
	$(BIN)/python bench/static_ratio.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DATABASE_URL= DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the pinned versions after changing pyproject.toml.
# requirements.lock is what production installs; requirements-dev.lock adds the test tools.
lock: $(VENV)/.installed
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev -c requirements.lock --python-version 3.11 -o requirements-dev.lock

clean:
	rm -rf $(VENV) test-results staticfiles .pytest_cache .ruff_cache
