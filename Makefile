# newswire-enricher — every entry point goes through `make install` (.venv/ in the repo root).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
EVAL := $(SHARED)/eval

.PHONY: install test-deps demo test test-fast lint typecheck eval train-ner bench soak schemas clean

install: $(VENV)/.install-stamp

$(VENV)/.install-stamp: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	# torch first, pinned to the CPU build on local disk; camel-tools would otherwise pull a CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip check
	touch $@

# System tools the deploy checks (tests/deploy) run: promtool + prometheus and docker-compose, from Debian.
# Installed when missing and possible (root + apt); otherwise those tests skip and say why.
# A temporary policy-rc.d (exit 101) keeps apt from starting a system Prometheus service.
DEPLOY_TOOLS := promtool prometheus docker-compose
test-deps:
	@missing=$$(for t in $(DEPLOY_TOOLS); do command -v $$t >/dev/null || echo $$t; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "test-deps: installing prometheus docker-compose (missing: $$missing)"; \
		rcd=/usr/sbin/policy-rc.d; own_rcd=; \
		if [ ! -e $$rcd ]; then printf '#!/bin/sh\nexit 101\n' > $$rcd && chmod +x $$rcd && own_rcd=1; fi; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			prometheus docker-compose >/dev/null) || echo "test-deps: apt-get failed; deploy tests will skip"; \
		if [ -n "$$own_rcd" ]; then rm -f $$rcd; fi; \
	else \
		echo "test-deps: cannot install $$missing (needs root and apt-get); deploy tests will skip"; \
	fi

demo: install
	$(BIN)/newswire demo --once

test: install test-deps
	$(BIN)/pytest -q -ra

test-fast: install test-deps
	$(BIN)/pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check services schemas tests
	$(BIN)/ruff format --check services schemas tests
	$(BIN)/mypy services schemas

eval: install
	$(BIN)/python -m services.enricher.evaluate --shared $(SHARED)
	$(BIN)/python -m services.enricher.nlp.train evaluate --shared $(SHARED)

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
