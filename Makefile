# newsdigest: the usual targets. `make run` and `make test` are the two README commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
# sam build needs an interpreter matching the template's runtime (python3.13) on PATH; pyenv has one here.
SAM_PYENV := $(shell command -v pyenv >/dev/null 2>&1 && pyenv versions --bare 2>/dev/null | grep -E '^3\.13' | head -n1)
SAM_ENV := $(if $(SAM_PYENV),PYENV_VERSION=$(shell pyenv version-name 2>/dev/null | cut -d: -f1):$(SAM_PYENV),)
export AWS_DEFAULT_REGION ?= us-east-1
export AWS_REGION ?= us-east-1
# No usage reports from the SAM CLI (it sends them by default), here or in CI.
export SAM_CLI_TELEMETRY := 0

CHECKOV_VENV := .venv-checkov
# The Lambda runtime's interpreter, for `make test-runtime` (pyenv's python3.13, else one on PATH).
RUNTIME_PYTHON := $(if $(SAM_PYENV),$(shell pyenv root 2>/dev/null)/versions/$(SAM_PYENV)/bin/python3.13,python3.13)
RUNTIME_VENV := .venv-py313

.PHONY: help install run test test-runtime test-e2e lint format validate security build size bench tools-outdated clean

help:
	@echo "make run        install and run the whole pipeline locally on the shipped news page"
	@echo "make test       install and run the test suite"
	@echo "make test-runtime  the unit and security tests on python3.13, the Lambda runtime's Python"
	@echo "make lint       ruff (checks and format) + mypy"
	@echo "make validate   sam validate --lint"
	@echo "make security   cfn-lint + checkov policy scan of template.yaml"
	@echo "make build      sam build"
	@echo "make size       unzipped size of each built function and the layer"
	@echo "make bench      extraction, summarisation, pipeline, cold-start, load, cost and discovery benchmarks"
	@echo "make test-e2e   the tests against a deployed stack (NEWSDIGEST_STACK=name)"
	@echo "make tools-outdated  newer releases of the pinned tools (tools/*.txt)"

# Recipes that `make run` goes through are silent (@) and report on stderr: its stdout is the item alone.
$(BIN)/newsdigest: pyproject.toml
	@echo "setting up $(VENV) (first run only)" >&2
	@$(PYTHON) -m venv $(VENV) >&2
	@$(BIN)/pip install --quiet --upgrade pip >&2
	@$(BIN)/pip install --quiet -e '.[dev,bench]' >&2
	@touch $@

install: $(BIN)/newsdigest

run: install
	@$(BIN)/newsdigest run events/pages/tass-grain-harvest.html

test: install
	$(BIN)/pytest tests --ignore=tests/e2e -q -n auto

# The suite runs on the development Python; fetching and TLS differ on the runtime's (3.13 verifies
# certificates with VERIFY_X509_STRICT and releases a response's socket as soon as its body is read).
$(RUNTIME_VENV)/bin/pytest: pyproject.toml
	$(RUNTIME_PYTHON) -m venv $(RUNTIME_VENV)
	$(RUNTIME_VENV)/bin/pip install --quiet -e '.[dev]'
	@touch $@

test-runtime: $(RUNTIME_VENV)/bin/pytest
	$(RUNTIME_VENV)/bin/pytest tests/unit tests/security -q -n auto -p no:cacheprovider

# Without a stack there is nothing to test: say so and fail, rather than pass on tests that all skipped.
test-e2e: install
	@if [ -z "$$NEWSDIGEST_STACK" ]; then \
		echo "test-e2e: NEWSDIGEST_STACK is not set, so no deployed stack was tested: ran nothing" >&2; \
		echo "          deploy (README: Deploying) and run NEWSDIGEST_STACK=<stack name> make test-e2e" >&2; \
		exit 1; \
	fi
	$(BIN)/pytest tests/e2e -q

lint: install
	$(BIN)/ruff check shared functions tests benchmarks
	$(BIN)/ruff format --check shared functions tests benchmarks
	$(BIN)/mypy

format: install
	$(BIN)/ruff format shared functions tests benchmarks

# Tool versions are pinned in tools/*.txt; a changed pin file reinstalls its venv (tools/README.md).
$(SAM): tools/sam.txt
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/pip install --quiet -r tools/sam.txt
	@touch $@

validate: $(SAM)
	$(SAM) validate --lint --template template.yaml --region $(AWS_DEFAULT_REGION)

$(CHECKOV_VENV)/bin/checkov: tools/scan.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet -r tools/scan.txt
	@touch $@

security: $(CHECKOV_VENV)/bin/checkov
	$(CHECKOV_VENV)/bin/cfn-lint template.yaml
	$(CHECKOV_VENV)/bin/checkov --file template.yaml --framework cloudformation --skip-download --compact --quiet

build: $(SAM)
	$(SAM_ENV) $(SAM) build --template template.yaml

size:
	@test -d .aws-sam/build || { echo "run 'make build' first"; exit 1; }
	@$(PYTHON) benchmarks/size.py .aws-sam/build

bench: install
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/dates.py
	$(BIN)/python benchmarks/summarisation.py
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/coldstart.py  # measures .aws-sam/build (`make build`); else the source tree
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/cost.py
	$(BIN)/python benchmarks/discover.py $(if $(wildcard .aws-sam/build/DiscoverFunction/app.py),,--skip-coldstart)

tools-outdated: $(SAM) $(CHECKOV_VENV)/bin/checkov
	@$(SAM_VENV)/bin/pip list --outdated --disable-pip-version-check | grep -iE '^(Package|-+|aws-sam-cli) ' || echo "aws-sam-cli: up to date"
	@$(CHECKOV_VENV)/bin/pip list --outdated --disable-pip-version-check | grep -iE '^(Package|-+|checkov|cfn-lint) ' || echo "checkov, cfn-lint: up to date"

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache build *.egg-info
