# newswire-enricher — every entry point goes through `make install` (.venv/ in the repo root).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
EVAL := $(SHARED)/eval

.PHONY: install demo test test-fast lint typecheck eval train-ner bench soak schemas clean

install: $(VENV)/.install-stamp

$(VENV)/.install-stamp: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	# torch first, pinned to the CPU build on local disk; camel-tools would otherwise pull a CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip check
	touch $@

demo: install
	$(BIN)/newswire demo --once

test: install
	$(BIN)/pytest -q -ra

test-fast: install
	$(BIN)/pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check services schemas tests
	$(BIN)/ruff format --check services schemas tests
	$(BIN)/mypy services schemas

eval: install
	$(BIN)/python -m services.enricher.evaluate --shared $(SHARED)

train-ner: install
	$(BIN)/python -m services.enricher.nlp.train --shared $(SHARED)

bench: install
	$(BIN)/python -m bench.run

soak: install
	NEWSWIRE_SOAK=1 $(BIN)/pytest -q -m soak tests

schemas: install
	$(BIN)/newswire schemas

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .newswire-data bench/results
