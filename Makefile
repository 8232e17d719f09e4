# newsarchive: `make demo` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
ARTICLES ?= 300
PORT ?= 8765
DB ?= data/archive.db

.PHONY: install demo test test-fast lint typecheck pytest pytest-fast bench eval clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	ARTICLES=$(ARTICLES) PORT=$(PORT) DB=$(DB) bash scripts/demo.sh

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

# Two workers (the machine's two cores; most crawl tests wait on sockets and subprocesses), a test
# file per worker at a time so module fixtures are built once: 11 min 17 s serially, ~6 min so.
PYTEST_WORKERS ?= 2
pytest: install
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile

test: lint typecheck pytest

# The quick lane: everything but the tests that start a real crawl, a browser or redis (marked `crawl`).
pytest-fast: install
	$(BIN)/pytest -q -m "not crawl" -n $(PYTEST_WORKERS) --dist loadfile

test-fast: lint typecheck pytest-fast

# Speed, memory and size against issue 7's limits (bench/README.md). BENCH_ARGS: e.g. --articles 20000;
# TRAFILATURA_PYTHON: an interpreter with trafilatura (a throwaway venv) for the parse reference.
BENCH_ARGS ?=
TRAFILATURA_PYTHON ?= $(wildcard /tmp/trafvenv/bin/python)
bench: install
	$(PY) bench/run.py $(if $(TRAFILATURA_PYTHON),--trafilatura-python $(TRAFILATURA_PYTHON)) $(BENCH_ARGS)

# Extraction quality against the labelled sets beside the project (bench/extraction.py), with
# trafilatura's figures from the same run when TRAFILATURA_PYTHON is there. SETS: where they are.
SETS ?= ../shared/datasets
EVAL_ARGS ?=
eval: install
	@if [ -f "$(SETS)/score.py" ]; then \
		$(PY) bench/extraction.py --sets $(SETS) $(if $(TRAFILATURA_PYTHON),--trafilatura-python $(TRAFILATURA_PYTHON)) $(EVAL_ARGS); \
		$(PY) bench/generic_recall.py --sets $(SETS); \
	else \
		echo "make eval: no labelled sets at $(SETS) (score.py missing), nothing measured; SETS=path to point elsewhere"; \
	fi

clean:
	rm -rf $(VENV) .venv-pywb data .mypy_cache .ruff_cache .pytest_cache
