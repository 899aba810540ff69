# graphkit: the two Quick start commands (`make build`, `make test`) and the checks behind them.
# Each target sets up what it needs on a fresh machine (Python 3.11): a virtualenv with graphkit,
# and for the tests headless Chromium from Debian's packages.

PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: build test check lint typecheck pytest browser neo4j bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Set everything up and run the main job on the embedded local database.
build: $(STAMP)
	$(BIN)/graphkit build

## Set everything up and run the whole test suite (lint, types, unit, database on every engine, browser, notebook).
test: $(STAMP) browser neo4j check

check: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check graphkit tests bench
	$(BIN)/ruff format --check graphkit tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest --doctest-modules graphkit tests

## Headless Chromium and its driver for the browser tests (Debian packages; needs root or sudo).
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; fi

## Neo4j for the database tests: its jars from Maven Central (cached in ~/.m2), run on Java 17 / 25.
neo4j: $(STAMP)
	@command -v mvn >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null; }
	$(BIN)/python tests/neo4j_server.py fetch --profile gds

## Benchmarks (see README): load, metrics, GTD scale.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_metrics.py --sizes 1000,10000

clean:
	rm -rf $(VENV) .graphkit out .mypy_cache .ruff_cache .pytest_cache
