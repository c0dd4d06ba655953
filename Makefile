# Parley: `make run` serves on http://127.0.0.1:5000, `make test` runs every check.
# Each target sets itself up from nothing (a .venv made with Python 3.11+).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app app

.PHONY: run demo test pytest bench screenshots lint check-python clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Parley needs Python 3.11 or newer; set PYTHON=python3.x")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.test-deps: pyproject.toml $(VENV)/.run-deps
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,postgres]'
	@touch $@

run: $(VENV)/.run-deps
	$(FLASK) db upgrade
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# axe-core for the browser tests' accessibility checks; skipped (and said so) without npm.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: browser accessibility checks will be skipped"; fi

$(VENV)/.bench-deps: pyproject.toml $(VENV)/.run-deps
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench,postgres]'
	@touch $@

bench: $(VENV)/.bench-deps
	$(BIN)/python bench/run.py

demo: $(VENV)/.run-deps
	$(FLASK) db upgrade
	$(FLASK) demo

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: lint node_modules/.installed
	$(FLASK) content check
	$(BIN)/python -m pytest

pytest: $(VENV)/.test-deps node_modules/.installed
	$(BIN)/python -m pytest

# Refresh the README tour from the browser tests' screenshots.
screenshots: $(VENV)/.test-deps node_modules/.installed
	$(BIN)/python -m pytest -q tests/browser/test_pages.py
	mkdir -p docs/screenshots
	for name in lesson quiz-result dashboard instructor-grid; do \
	  cp test-artifacts/screenshots/tour-$$name.png docs/screenshots/$$name.png; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
