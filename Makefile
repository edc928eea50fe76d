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

CHECKOV_VENV := .venv-checkov

.PHONY: help install run test test-e2e lint format validate security build size bench clean

help:
	@echo "make run        install and run the whole pipeline locally on the shipped news page"
	@echo "make test       install and run the test suite"
	@echo "make lint       ruff + mypy"
	@echo "make validate   sam validate --lint"
	@echo "make security   cfn-lint + checkov policy scan of template.yaml"
	@echo "make build      sam build"
	@echo "make size       unzipped size of each built function and the layer"
	@echo "make bench      extraction, summarisation, pipeline, cold-start and load benchmarks"

$(BIN)/newsdigest: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@touch $@

install: $(BIN)/newsdigest

run: install
	$(BIN)/newsdigest run events/pages/tass-grain-harvest.html

test: install
	$(BIN)/pytest tests --ignore=tests/e2e -q

test-e2e: install
	$(BIN)/pytest tests/e2e -q

lint: install
	$(BIN)/ruff check shared functions tests benchmarks
	$(BIN)/mypy

format: install
	$(BIN)/ruff format shared functions tests benchmarks

$(SAM):
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/pip install --quiet aws-sam-cli

validate: $(SAM)
	$(SAM) validate --lint --template template.yaml --region $(AWS_DEFAULT_REGION)

$(CHECKOV_VENV)/bin/checkov:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet checkov cfn-lint

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

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache build *.egg-info
