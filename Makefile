# GVI Portal — the two commands are `make run` and `make test`. Needs only python3 (3.11+) and GNU make.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Re-install only when a requirements file changed (or the virtualenv is new).
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core by default; PYTEST_WORKERS=0 runs in this process (for pdb).
PYTEST_WORKERS ?= auto

MANAGE := $(BIN)/python manage.py
# Playwright's pip package never fetches a browser itself, but its tooling might: the tests use Debian's
# /usr/bin/chromium and nothing is ever downloaded.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.DEFAULT_GOAL := help
.PHONY: help install run migrate seed test lint format typecheck messages worker beat clean benchmark-national mutation

help:
	@echo "make run        virtualenv, install, migrate, demo data, serve http://$(HOST):$(PORT)"
	@echo "make test       install and run the whole test suite on every core (PYTEST_ARGS=... to narrow it)"
	@echo "make lint       ruff check + ruff format --check"
	@echo "make format     ruff format + ruff check --fix"
	@echo "make typecheck  mypy with django-stubs"
	@echo "make messages   update locale/en .po files and compile them (needs GNU gettext)"
	@echo "make worker     a Celery worker (needs CELERY_BROKER_URL; without one tasks run in-process)"
	@echo "make beat       Celery beat, the periodic schedule in settings.CELERY_BEAT_SCHEDULE"
	@echo "make mutation   mutation testing of the access gate and the consent services (mutmut; slow)"
	@echo "make clean      remove the virtualenv and local state under var/"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0] + " (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(INSTALLED)

var:
	mkdir -p var

migrate: $(INSTALLED) | var
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

run: seed
	@echo "Serving http://$(HOST):$(PORT)/ — demo logins above (password demo-losen-2026). Ctrl-C stops."
	$(MANAGE) runserver $(HOST):$(PORT)

test: $(INSTALLED)
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Issue 10's national-scale benchmark: rebuilds the tables of BENCH_DATABASE_URL (a scratch PostgreSQL database).
benchmark-national: $(INSTALLED)
	@test -n "$(BENCH_DATABASE_URL)" || (echo "Set BENCH_DATABASE_URL to a scratch PostgreSQL database" && exit 2)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m benchmarks.national_scale --persons 500000 --agencies 300 --grants 1750000 --repeat 9

typecheck: $(INSTALLED)
	$(BIN)/mypy gvi_portal agencies cases outreach dashboards retention extracts tests_browser benchmarks conftest.py manage.py

messages: $(INSTALLED)
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=var --ignore=staticfiles
	$(MANAGE) compilemessages --ignore=.venv

worker: $(INSTALLED)
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) — without it tasks run in-process and no worker is needed."; exit 1; }
	$(BIN)/celery -A gvi_portal worker --loglevel=INFO

beat: $(INSTALLED) | var
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) for beat to send to."; exit 1; }
	$(BIN)/celery -A gvi_portal beat --loglevel=INFO --schedule var/celerybeat-schedule

# mutmut mutates agencies/access.py and cases/services/consents.py in a copy under mutants/ and runs the tests
# that reach each mutant ([tool.mutmut] in pyproject.toml). A fresh copy each time, so the result is today's.
# By default the mutants of the gate's functions that decide who sees and changes what, and of the share,
# revocation and consent services (GATE_MUTANTS, about 1,500; with one child 60–90 minutes on a quiet
# two-core machine, about half that in two copies of the tree: docs/testing.md). The services run their body in `with transaction.atomic():`, not under the decorator,
# because mutmut 3 does not mutate a decorated function.
# `make mutation MUTANTS=` runs every mutant of both files, `MUTANTS='agencies.access.x_can__mutmut_*'` one
# function's. One child by default: the children share one SQLite test database on disk, and two writing at
# once can fail a test with "database is locked", which would count a mutant as killed.
GATE_FUNCTIONS = visible visible_ids visible_page _branch find get_or_404 can can_each _live _group_grants \
	_user_grants _exists_grant _permission_filter _permission_id actor_for require_actor owns owned_ids acts_for \
	may_revoke agency_sees sync_grants _check_consent _close _drop_unjustified_grants \
	share revoke revoke_all_as_system expire_due_shares
# The consent services: recording a consent (it shares itself), its withdrawal and the nightly expiry.
CONSENT_FUNCTIONS = shares_resting_on consent_record consent_withdraw expire_lapsed_consents
GATE_MUTANTS = $(foreach f,$(GATE_FUNCTIONS),'agencies.access.x_$(f)__mutmut_*') \
	$(foreach f,$(CONSENT_FUNCTIONS),'cases.services.consents.x_$(f)__mutmut_*')
MUTANTS ?= $(GATE_MUTANTS)
MUTMUT_CHILDREN ?= 1
mutation: $(INSTALLED)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTMUT_CHILDREN) $(MUTANTS)
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) mutants var/*.sqlite3 var/celerybeat-schedule* staticfiles .pytest_cache .ruff_cache .mypy_cache
