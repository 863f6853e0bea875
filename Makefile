# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STORE ?= var/store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install build run serve test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: install
	$(BIN)/ietfkg build --store $(STORE)

run: install
	$(BIN)/ietfkg build --store $(STORE) --if-missing
	$(BIN)/ietfkg serve --store $(STORE) --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/build_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache
