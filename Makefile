# SaferPlan: `make run` installs everything and serves the demo; `make test` runs every check and test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export SAFERPLAN_DATA_DIR ?= $(CURDIR)/var
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_ENV := SECRET_KEY=test-secret-key-not-for-production DJANGO_ALLOW_ASYNC_UNSAFE=true TASKS_BACKEND=immediate

.PHONY: run dev demo-data install system-packages test-packages test lint test-sqlite test-postgres benchmark

system-packages:
	@bash scripts/system-packages.sh

test-packages:
	@bash scripts/system-packages.sh --test

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: system-packages $(VENV)/.installed

demo-data: install
	$(VENV)/bin/saferplan migrate --noinput -v0
	$(VENV)/bin/saferplan collectstatic --noinput -v0
	$(VENV)/bin/saferplan demo --users

# Production serving: gunicorn + WhiteNoise and the task worker, stopped together by Ctrl-C
# (WEB_WORKERS, WEB_THREADS, WEB_TIMEOUT, BIND, LOG_FORMAT=json: src/saferplan/config/gunicorn.py).
run: demo-data
	@echo "SaferPlan is starting on http://$${BIND:-127.0.0.1:8000} (sign in with a demo user above)."
	@bash scripts/serve.sh

# Development: Django's runserver, reloading on every change (never for production).
dev: demo-data
	@echo "SaferPlan (development) is starting on http://127.0.0.1:8000 (sign in with a demo user above)."
	DEBUG=1 $(VENV)/bin/saferplan runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(TEST_ENV) SAFERPLAN_DATA_DIR=$$(mktemp -d) $(VENV)/bin/saferplan makemigrations --check --dry-run

test-sqlite: $(VENV)/.installed
	$(TEST_ENV) SAFERPLAN_DATA_DIR=$$(mktemp -d) DATABASE_URL= $(VENV)/bin/pytest -q

test-postgres: $(VENV)/.installed
	@bash scripts/ensure-postgres.sh
	$(TEST_ENV) SAFERPLAN_DATA_DIR=$$(mktemp -d) DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q

# The SQLite and PostgreSQL passes run side by side (each prints its output when it ends).
test: install test-packages lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

benchmark: install
	$(TEST_ENV) $(PY) benchmarks/plan_overview.py
	$(TEST_ENV) $(PY) benchmarks/assessment.py
	$(TEST_ENV) $(PY) benchmarks/police_import.py
	$(TEST_ENV) $(PY) benchmarks/delivery.py
	$(TEST_ENV) $(PY) benchmarks/reports.py
	$(TEST_ENV) $(PY) benchmarks/startup.py
