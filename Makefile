# The two commands: `make run` (set up and serve with a worker) and `make test`.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run migrate demo test test-fast bench lint frontend chromium clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,redis]'
	$(BIN)/python -m pip install -q --no-deps 'dioptra-platform==1.2.2'
	$(BIN)/python -m pip install -q --no-deps --upgrade --target $(VENV)/dioptra-client-1.1.0 'dioptra-platform==1.1.0'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Serves the app on $(HOST):$(PORT) with a job worker beside it; Ctrl-C stops both.
run: demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runworker & \
	worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The browser tests drive Debian's Chromium (Playwright's own browser downloads are not used).
CHROMIUM := /usr/bin/chromium

chromium:
	@test -x $(CHROMIUM) || { \
	  echo "make test: the browser tests need Chromium at $(CHROMIUM)."; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing it: apt-get install chromium"; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; \
	  else \
	    echo "Install it with: sudo apt-get install chromium   (or run make test-fast without them)"; \
	    exit 1; \
	  fi; }

test: install chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -m "not browser and not slow" $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m benchmarks

lint: install
	$(BIN)/ruff check .

# Rebuilds static/js/editor.js and graph.js from frontend/ (committed: running needs no Node).
frontend:
	cd frontend && npm ci && npm run build

clean:
	rm -rf $(VENV) var/static
