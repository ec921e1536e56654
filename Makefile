# Cairn — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ASSETS := src/cairn/web/static/vendor

.PHONY: run test lint install assets postgres chromium bench clean

run: install assets
	@mkdir -p var
	$(BIN)/cairn demo
	$(BIN)/cairn serve --with-worker

test: install assets lint
	scripts/test.sh

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

assets: $(ASSETS)/.installed

$(ASSETS)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(ASSETS)
	cp node_modules/scorm-again/dist/scorm-again.min.js $(ASSETS)/
	@touch $@

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

postgres:
	scripts/postgres.sh start

chromium:
	scripts/chromium.sh

bench: install
	$(BIN)/python bench/lrs.py

clean:
	rm -rf $(VENV) node_modules $(ASSETS) var
