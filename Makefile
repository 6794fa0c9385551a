# Two commands do all the set-up on a fresh machine (see README.md):
#   make run   - the portal with demo data on SQLite, a real Celery worker and beat
#                on kombu's filesystem transport (nothing else to install)
#   make test  - everything, against real PostgreSQL and Redis
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/safetyportal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint bench vendor install clean messages backup restore load fuzz

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[test]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@scripts/run-demo

test: $(STAMP)
	@scripts/ensure-system-packages
	@scripts/ensure-services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DATABASE_URL=sqlite://:memory: SECRET_KEY=mypy-check $(VENV)/bin/mypy
	DATABASE_URL=sqlite://:memory: SECRET_KEY=makemigrations-check $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=sqlite://:memory: SECRET_KEY=schema-check $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DATABASE_URL=sqlite://:memory: SECRET_KEY=mypy-check $(VENV)/bin/mypy

# The key pages and background jobs at a county's size (SCALE=city for a city's); see
# bench/results/README.md for how to read the table.
SCALE ?= county
bench: $(STAMP)
	@scripts/ensure-system-packages
	@scripts/ensure-services
	SCALE=$(SCALE) $(PY) bench/run.py

# Refresh the vendored front-end assets from the npm registry (never a CDN).
vendor:
	scripts/vendor-assets

clean:
	rm -rf $(VENV) var staticfiles

# Refresh the English catalogue after changing interface strings, translate the new
# entries in locale/en/LC_MESSAGES/django.po, then compile (tests/test_i18n.py checks both).
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=static --ignore=var \
		--ignore=tests --ignore=bench --no-location
	DEBUG=1 $(PY) manage.py compilemessages -l en --ignore=.venv

# Backup and restore (README "Backup and restore", ADR 0041). DATABASE_URL must be PostgreSQL.
#   make backup                                   -> var/backups/<timestamp>/ (or BACKUP_DIR)
#   make restore BACKUP=var/backups/<timestamp>   -> RESTORE_DATABASE_URL / RESTORE_MEDIA_ROOT
#                                                    (FORCE=1 to overwrite a non-empty target)
backup: $(STAMP)
	@scripts/backup

restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=<backup folder> [FORCE=1]" >&2; exit 2; }
	@scripts/restore "$(BACKUP)" $(if $(FORCE),--force)

# The long load run (tests/faults/test_load_pages.py for LOAD_SECONDS, with its figures);
# `make test` runs the same test for a few seconds.
LOAD_SECONDS ?= 30
load: $(STAMP)
	@scripts/ensure-system-packages
	@scripts/ensure-services
	LOAD_SECONDS=$(LOAD_SECONDS) DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -s -q tests/faults/test_load_pages.py

# The long API fuzz run (tests/fuzz/test_api_fuzz.py, ADR 0044): FUZZ_EXAMPLES positive and as
# many negative cases per operation and role (`make test` sends one of either per operation);
# each role's failures are written to $(FUZZ_REPORT)-<role>.txt.
FUZZ_EXAMPLES ?= 25
FUZZ_REPORT ?= var/fuzz/report
fuzz: $(STAMP)
	@scripts/ensure-system-packages
	@scripts/ensure-services
	@mkdir -p $(dir $(FUZZ_REPORT))
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_REPORT=$(FUZZ_REPORT) DATABASE_URL=$(TEST_DATABASE_URL) \
		REDIS_URL=$(TEST_REDIS_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(VENV)/bin/pytest -s -q -p no:logging tests/fuzz/test_api_fuzz.py
