# Haocha: `make` lists the targets. Quick start: `make demo`, then `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# Test backends: PostgreSQL + Redis on this machine (as in CI), then the SQLite default.
PYTEST := $(BIN)/python -m pytest

.DEFAULT_GOAL := help
.PHONY: help demo serve test test-fast test-pg test-sqlite test-browser lint format typecheck bench bench-rankings bench-opendata evaluate db-upgrade db-reset demo-extract clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed  ## migrate SQLite, load the real demo data, serve on http://127.0.0.1:$(PORT)
	$(BIN)/haocha demo --port $(PORT)

serve: $(VENV)/.installed  ## serve without loading demo data
	$(BIN)/haocha serve --port $(PORT)

test: $(VENV)/.installed-dev  ## all tests: PostgreSQL + Redis + Chromium, then the API suite on SQLite
	$(PYTEST)
	HAOCHA_TEST_BACKEND=sqlite $(PYTEST) -m api

test-fast: $(VENV)/.installed-dev  ## unit tests only
	$(PYTEST) -m unit -q

test-pg: $(VENV)/.installed-dev  ## every suite against PostgreSQL + Redis
	$(PYTEST)

test-sqlite: $(VENV)/.installed-dev  ## API suite against the embedded SQLite default
	HAOCHA_TEST_BACKEND=sqlite $(PYTEST) -m api

test-browser: $(VENV)/.installed-dev  ## browser tests in Debian's Chromium
	$(PYTEST) -m browser

lint: $(VENV)/.installed-dev  ## ruff lint and format check
	$(BIN)/ruff check src tests migrations ml
	$(BIN)/ruff format --check src tests migrations ml

format: $(VENV)/.installed-dev  ## apply ruff format and safe fixes
	$(BIN)/ruff format src tests migrations ml
	$(BIN)/ruff check --fix src tests migrations ml

typecheck: $(VENV)/.installed-dev  ## mypy --strict
	$(BIN)/mypy

bench: $(VENV)/.installed-dev  ## page/API latency on the demo data vs /healthz (docs/benchmarks.md)
	$(BIN)/python -m tests.bench.pages

bench-rankings: $(VENV)/.installed-dev  ## ranking pages at 100k and 1M reviews vs /healthz (a few minutes)
	$(BIN)/python -m tests.bench.rankings

bench-opendata: $(VENV)/.installed-dev  ## full CSV export of 100k providers from /open/v1: rows/s and server peak RSS
	$(BIN)/python -m tests.bench.opendata

evaluate: $(VENV)/.installed  ## compare the score against mean/imdb/wilson on real data
	$(BIN)/haocha scoring evaluate --json

db-upgrade: $(VENV)/.installed  ## migrate the configured database to head
	$(BIN)/haocha db upgrade

db-reset: $(VENV)/.installed  ## drop and recreate the configured database (development)
	$(BIN)/haocha db reset --yes

demo-extract: $(VENV)/.installed  ## rebuild the shipped demo extract from ../shared/data
	$(BIN)/haocha demo-extract

clean:  ## remove the virtualenv and local data
	rm -rf $(VENV) var/*.db var/*.db-* var/sms-outbox.jsonl
