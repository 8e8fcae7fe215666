# Two commands for a newcomer: `make run` and `make test`. Everything else is a detail.
PYTHON ?= python3
VENV := .venv
# `make run PORT=8080` when 8000 is taken.
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: setup run test lint bench clean browser frontend

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Set up, migrate, load the demo (once), and serve everything on http://127.0.0.1:$(PORT)
run: setup
	$(BIN)/ips db upgrade
	$(BIN)/ips demo-data --if-empty
	$(BIN)/ips serve --port $(PORT)

# Debian's Chromium for the browser tests, when missing. Only tried as root with apt-get, and never
# fails: without it the browser tests skip.
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || \
	  echo "make browser: no /usr/bin/chromium, so the browser tests will skip (as root: apt-get install chromium)"

# Lint, type-check, and run the whole suite on SQLite and PostgreSQL (127.0.0.1:5432, database test)
test: setup browser
	$(BIN)/ruff check .
	$(BIN)/mypy
	# Three workers on two cores: many tests wait on PostgreSQL, a browser or a subprocess, so a
	# third keeps the cores busy (8.3 min against 10.6 with two, measured 2026-11-29).
	$(BIN)/pytest -n 3 -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The NHS.UK frontend the pages serve, rebuilt from the versions pinned in frontend/package.json
# (npm, Node 18+). The output is committed, so neither `make run` nor CI needs Node.
NHSUK_STATIC := calculator/web/static/nhsuk
NHSUK_DIST := frontend/node_modules/nhsuk-frontend/dist/nhsuk
frontend:
	cd frontend && npm ci --no-audit --no-fund
	cd frontend && npx sass --style=compressed --no-source-map --load-path=node_modules --quiet-deps \
	  ips.scss ../$(NHSUK_STATIC)/nhsuk-frontend.min.css
	cp $(NHSUK_DIST)/nhsuk-frontend.min.js $(NHSUK_STATIC)/
	mkdir -p $(NHSUK_STATIC)/assets/images
	cp $(NHSUK_DIST)/assets/images/*.svg $(NHSUK_DIST)/assets/images/favicon.ico \
	  $(NHSUK_DIST)/assets/images/nhsuk-icon-180.png $(NHSUK_STATIC)/assets/images/

clean:
	rm -rf $(VENV) var .pytest_cache
