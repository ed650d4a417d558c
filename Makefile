# The two commands of the README: `make run` and `make test`. Everything else is set up on demand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
STAMP := $(VENV)/.requirements.sha

.PHONY: run test venv translations browser office axe lint serve-production bench-deps
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): requirements.txt
	@echo "→ Python virtual environment and requirements (first run: a minute or two)…"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --disable-pip-version-check -q --upgrade pip
	@$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@sha256sum requirements.txt > $(STAMP)

venv: $(STAMP)

translations: venv
	@$(VENV)/bin/pybabel compile -d translations > /dev/null
	@$(VENV)/bin/pybabel compile -d translations -D family > /dev/null

# The server of `make run` and of production: Granian (HTTP in Rust), one process, 16 Python threads — requests
# mostly wait on Neo4j, which they leave the interpreter to do. Measured best on this 2-core machine and steady
# under overload where waitress fell behind (docs/benchmarks.md#load-test). Idle connections cost it nothing (a
# browser keeps several open); it reads request bodies in those threads, so on the network it goes behind a
# proxy that buffers them (docs/operations.md#production-server). HTTP/1.1 only: what proxies and browsers speak
# to it (HTTP/2 in clear would take 16 MiB of headers). bench/served.py and
# tests/integration/test_production_server.py read this line.
SERVER_OPTIONS = --interface wsgi --http 1 --blocking-threads 16 --no-ws --factory app:create_app

run: venv translations
	@$(FLASK) neo4j start
	@$(FLASK) graph init
	@$(FLASK) seed demo
	@echo "→ Réseau EI on http://127.0.0.1:5000 (Ctrl-C to stop the site; \`$(FLASK) neo4j stop\` stops Neo4j)"
	@$(VENV)/bin/granian --host 127.0.0.1 --port 5000 $(SERVER_OPTIONS)

# The test session starts its own throw-away Neo4j (another port, a temporary data folder) and stops it.
test: venv translations browser office axe
	@$(PY) -m pytest -q tests

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "→ Installing Debian's chromium for the browser tests…"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# LibreOffice Calc, headless, opens the CSV exports as a spreadsheet would (tests/integration/test_evaluation_exports.py).
office:
	@command -v soffice >/dev/null 2>&1 || { echo "→ Installing Debian's LibreOffice Calc (headless) for the export tests…"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	  libreoffice-calc-nogui >/dev/null; }

# axe-core for the accessibility tests, at the exact version package-lock.json pins (Node.js and npm needed).
# npm writes node_modules/.package-lock.json: newer than the lock file once installed from it.
axe: node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json
	@echo "→ Installing axe-core for the accessibility tests…"
	@npm ci --no-audit --no-fund

lint: venv
	@$(VENV)/bin/ruff check .

# Before / after comparison on a synthetic 10,000 / 100,000 / 1,000,000 network in its own Neo4j.
bench-deps:  # Locust for bench/load_test.py, in a virtual environment of its own (it patches sockets)
	@python3 -m venv .venv-bench && .venv-bench/bin/pip install --disable-pip-version-check -q -r bench/requirements.txt

bench-evaluation: venv
	@$(PY) bench/evaluation_benchmark.py $(ARGS)

serve-production: venv translations
	@EI_ENV=production $(VENV)/bin/granian --host 127.0.0.1 --port 8000 $(SERVER_OPTIONS)
