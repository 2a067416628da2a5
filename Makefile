# Two commands on a fresh machine: `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: setup run test test-sqlite test-postgres connector-wheel connector-zipapp screenshots clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[server,dev]"
	touch $@

# What the upload page runs in the browser (Pyodide, an AES, the connector's pure Python
# libraries), pinned in deploy/browser/runtime.lock.json, fetched from npm and PyPI and checked.
RUNTIME := hub/web/static/runtime/manifest.json
$(RUNTIME): deploy/browser/runtime.lock.json deploy/browser/fetch_runtime.py $(VENV)/.installed
	$(PY) deploy/browser/fetch_runtime.py

setup: $(VENV)/.installed $(RUNTIME)

run: setup
	$(VENV)/bin/hub migrate
	$(VENV)/bin/hub demo
	$(VENV)/bin/hub serve --host 127.0.0.1 --port 8000

test: setup test-sqlite test-postgres

test-sqlite: setup
	HUB_TEST_DATABASE=sqlite $(PY) -m pytest -q -n 2

test-postgres: setup
	HUB_TEST_DATABASE=$(PG_TEST_URL) $(PY) -m pytest -q -n 2

# The partner's wheel: connectors/, schemas/ and privacy/ without OpenDP's part; no server code.
connector-wheel: setup
	$(PY) deploy/connector/build.py dist

# The same wheel and its dependencies in one file, dist/hub-connector.pyz (shiv), for a machine with
# a Python of this one's version and platform but nothing installed: `python3 hub-connector.pyz --help`.
connector-zipapp: setup
	$(PY) deploy/connector/build.py dist --zipapp

# PNGs of the main pages at desktop and phone width (docs/screenshots), from a demo hub of its own; needs chromium.
screenshots: setup
	$(PY) deploy/screenshots.py

clean:
	rm -rf $(VENV) var .pytest_cache build dist
