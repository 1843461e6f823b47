# Two commands on a fresh machine: `make run` (install, migrate, load, serve) and `make test`.
# Every target is safe to rerun.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Settings for the development server and setup commands (production sets these itself).
DEV_ENV := DEBUG=1
# Static files are collected with production storage (hashed names), as tests and gunicorn use.
COLLECT_ENV := SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost

.PHONY: run setup test check lint bench system-deps clean

run: setup
	@echo "Portal SPBE: http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

setup: $(VENV)/.installed staticfiles/staticfiles.json .env.dev
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_framework
	$(DEV_ENV) $(PY) manage.py load_demo
	$(DEV_ENV) $(PY) manage.py sso_demo

.env.dev:
	@# What manage.py run by hand in this checkout uses (manage.py reads it only when DEBUG and SECRET_KEY are not
	@# set; production never runs make setup). Written once, so logins survive a rerun.
	@printf '# Written by make setup: development defaults for manage.py in this checkout (never production).\nDEBUG=1\nSECRET_KEY=%s\n' \
	  "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

system-deps:
	@bash scripts/system-deps.sh

$(VENV)/.installed: requirements.txt requirements-dev.txt scripts/system-deps.sh
	@bash scripts/system-deps.sh
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: apt-get install python3 python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

staticfiles/staticfiles.json: $(VENV)/.installed $(shell find static -type f 2>/dev/null)
	$(COLLECT_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0

# One pytest-xdist worker per core (at most 4: each gets its own test database and Redis database,
# tests/conftest.py); a test file stays on one worker. PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
test: $(VENV)/.installed staticfiles/staticfiles.json
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV_ENV) $(VENV)/bin/mypy .

check: lint
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	DEBUG=0 SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") ALLOWED_HOSTS=spbe.example.go.id \
	  $(PY) manage.py check --deploy --fail-level WARNING

# National scale (docs/benchmarks.md): seeds BENCH_DB (default spbe_bench, dropped and recreated) on the
# PostgreSQL at BENCH_PG, broker REDIS_URL; gunicorn, a Celery worker and locust on loopback.
# A smaller run while developing: make bench BENCH_ARGS="--instansi 50 --load-seconds 20".
# Then one web node against two behind nginx on the same database (NODES_ARGS="--load-seconds 20"),
# and evidence upload/download on disk against S3 (a moto server on loopback).
bench: $(VENV)/.installed staticfiles/staticfiles.json
	$(PY) bench/run.py
	$(PY) bench/simulator_bench.py
	$(PY) bench/national.py $(BENCH_ARGS)
	$(PY) bench/nodes_bench.py $(NODES_ARGS)
	$(PY) bench/storage_bench.py

clean:
	rm -rf $(VENV) staticfiles .env.dev
