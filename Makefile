# Campus to Commerce — the commands a newcomer needs. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Installs exactly what the lock files pin, with their hashes; `make lock` regenerates them from pyproject.toml.
LOCK := requirements-dev.lock
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) | cksum | cut -d' ' -f1)
LOCK_FLAGS := --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock"
# Test assets from npm (axe-core, the Nu HTML checker), pinned in package-lock.json; never served.
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)

# `make up` runs the production stack locally: Postgres and Redis, DEBUG off, no demo logins unless SEED_DEMO=1.
UP_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/c2c
UP_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test up lint format install test-assets lock clean bench bench-load

$(STAMP): $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && rm -f node_modules/.installed-* && touch $@; \
	else \
		echo "npm not found: the browser tests' accessibility and HTML checks will be skipped (CI fails instead)"; \
	fi

test-assets: $(NODE_STAMP)

## make lock: after changing dependencies in pyproject.toml, pin them again (runtime, then runtime + dev tools).
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) --extra dev -c requirements.lock -o requirements-dev.lock

## make run: the zero-set-up demo (SQLite, Celery eager, emails on the console).
run: export DEBUG ?= true
run: export PORT := $(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make test: the whole suite, in parallel (TEST_PROCESSES=0 for one process). Uses DATABASE_URL (Postgres)
## when set, SQLite otherwise; nothing else from the environment or .env (see tests/hermetic.py).
TEST_PROCESSES ?= auto
test: install test-assets
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

## make up: gunicorn + Celery worker + beat against Postgres and Redis (Ctrl-C stops all); it migrates
## itself, so the Procfile's release step is not run. Listens on 127.0.0.1 only (HOST=0.0.0.0 to share it).
up: export DEBUG := false
up: export DATABASE_URL ?= $(UP_DATABASE_URL)
up: export REDIS_URL ?= $(UP_REDIS_URL)
up: export SITE_URL ?= http://127.0.0.1:$(PORT)
up: export SECURE_SSL_REDIRECT ?= false
up: export SECURE_COOKIES ?= false
up: export SECURE_HSTS_SECONDS ?= 0
up: export PORT := $(PORT)
up: export HOST ?= 127.0.0.1
up: install .secret_key
	SECRET_KEY=$$(cat .secret_key) $(BIN)/python manage.py ensure_database
	SECRET_KEY=$$(cat .secret_key) $(BIN)/python manage.py migrate --noinput
	SECRET_KEY=$$(cat .secret_key) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(if $(SEED_DEMO),SECRET_KEY=$$(cat .secret_key) $(BIN)/python manage.py seed_demo --random-passwords,@echo "No demo data loaded (make up SEED_DEMO=1 loads it, with random passwords printed once)")
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a worker and beat  (Ctrl-C to stop)"
	SECRET_KEY=$$(cat .secret_key) PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/honcho start web worker beat

# A key made once per checkout, so `make up` needs no configuration but never runs on the default key.
.secret_key:
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

## make bench: every benchmark under bench/ against DATABASE_URL (Postgres), each ending with one JSON line.
bench: export DEBUG ?= true
bench: export DATABASE_URL ?= $(UP_DATABASE_URL)
bench: install
	$(BIN)/python manage.py ensure_database
	$(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BIN)/python bench/browse.py
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/outage.py
	$(BIN)/python bench/impact.py

## make bench-load: the site under gunicorn driven by wrk (apt-get install wrk); several minutes. See bench/load.py.
bench-load: export DATABASE_URL ?= $(UP_DATABASE_URL)
bench-load: install
	$(BIN)/python bench/load.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache db.sqlite3 test-artifacts
