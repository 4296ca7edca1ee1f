# Communs — the two documented commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_LINK_MODE ?= copy
UV = $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN = $(UV) run --locked
PYTEST_WORKERS ?= auto
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install uv migrate demo run worker test lint format migrations-check imports-check unit bench screenshots clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

uv:
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --user --quiet uv || python3 -m pip install --user --quiet --break-system-packages uv

install: uv ## Install the locked dependencies in .venv
	$(UV) sync --locked

migrate: install ## Create or update the database (embedded SQLite unless DATABASE_URL is set)
	$(RUN) communs migrate --no-input

demo: migrate ## Load the territorial reference and the demo data (idempotent)
	$(RUN) communs demo

run: demo ## Install, migrate, load demo data, start the worker and serve http://$(HOST):$(PORT)
	$(RUN) communs collectstatic --no-input --verbosity 0
	@$(RUN) communs demo --accounts
	@echo "Communs : http://$(HOST):$(PORT)/"
	@trap 'kill 0' EXIT INT TERM; \
	  $(RUN) communs db_worker --verbosity 0 & \
	  $(RUN) communs runserver $(HOST):$(PORT)

worker: install ## Run the background worker only
	$(RUN) communs db_worker

lint: install ## ruff format --check and ruff check
	$(RUN) ruff format --check src tests bench scripts
	$(RUN) ruff check src tests bench scripts

format: install ## Reformat the code
	$(RUN) ruff format src tests bench scripts
	$(RUN) ruff check --fix src tests bench scripts

imports-check: install ## import-linter contracts (pure engines, layers, independent services)
	$(RUN) lint-imports

migrations-check: install ## Fail if a model change has no migration
	COMMUNS_ENV=test $(RUN) communs makemigrations --check --dry-run

unit: install ## The pytest suite only (parallel)
	COMMUNS_ENV=test $(RUN) pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint imports-check migrations-check unit ## Everything CI runs: lint, contracts, migrations, unit, web, API, browser

screenshots: install ## Crawl every page as every demo role (checks + full-page screenshots in var/screenshots/<role>/)
	COMMUNS_ENV=test $(RUN) pytest -n 0 -p no:cacheprovider -s tests/browser/test_browser_crawl.py -k every_page

bench: install ## Benchmarks (outside the test suite); each prints its figures
	COMMUNS_ENV=test $(RUN) python -m bench

clean: ## Remove the local database, static files and caches
	rm -rf var .pytest_cache .ruff_cache
