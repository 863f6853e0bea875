# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STORE ?= var/store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install vendor chromium virtuoso wrk build run serve test bench loadtest soak clean

install: $(VENV)/.installed vendor chromium

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Front-end libraries from the npm registry (pinned in package-lock.json), served from api/static/vendor/.
vendor: api/static/vendor/.installed

# The list of files is api/assets.py's; `pip install .` runs the same step (setup.py).
api/static/vendor/.installed: package.json package-lock.json api/assets.py
	$(PY) api/assets.py

# Debian's Chromium for the headless explorer test (playwright drives it; it never downloads browsers).
chromium:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

# Debian's Virtuoso Open Source, the second real SPARQL server the remote-store tests build into
# (each test server gets its own data directory and loopback ports; no system service is used).
virtuoso:
	@command -v virtuoso-t >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource)

build: install
	$(BIN)/ietfkg build --store $(STORE)

run: install
	$(BIN)/ietfkg build --store $(STORE) --if-missing
	$(BIN)/ietfkg serve --store $(STORE) --host $(HOST) --port $(PORT)

test: install virtuoso
	$(BIN)/pytest

# wrk (Debian) drives the SPARQL bench: a C load generator is not the bottleneck, a Python client is.
wrk:
	@command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)

bench: install wrk
	$(BIN)/python bench/build_bench.py
	$(BIN)/ietfkg build --store $(STORE) --if-missing -q
	$(BIN)/python bench/store_bench.py --store $(STORE)
	$(BIN)/python bench/graphql_bench.py --store $(STORE)
	$(BIN)/python bench/graphql_wrk.py --store $(STORE)
	$(BIN)/python bench/sparql_wrk.py --store $(STORE)

# A bounded mixed GraphQL/SPARQL/entity-page load on a server it starts on 127.0.0.1 (README "Load test").
loadtest: install
	$(BIN)/ietfkg build --store $(STORE) --if-missing -q
	$(BIN)/python bench/loadtest.py --store $(STORE)

# Five minutes of mixed load on a remote store (oxigraph serve on loopback) with a rebuild and swap
# in the middle; fails on any error, 5xx or memory growth (README "Reliability").
soak: install
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) var .pytest_cache
