# One place for every check. CI runs `make test` (see .ci/run).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck imports unit bench clean docker-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: ingest the bundled demo feed into demo.db and print what the bot would post
demo: $(STAMP)
	$(BIN)/storyline --db demo.db demo

## test: ruff, mypy, the import contracts (pyproject.toml, [tool.importlinter]) and pytest
test: lint typecheck imports unit

lint: $(STAMP)
	$(BIN)/ruff check digests bot tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports --no-cache --no-logo

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py

## docker-check: build the image and run it for real (needs a Docker engine; not part of
## `make test`, see docs/self-hosting.md). Uses only the standard library: no .venv needed.
docker-check:
	$(PYTHON) -m tests.docker.docker_check $(DOCKER_CHECK_ARGS)

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm
