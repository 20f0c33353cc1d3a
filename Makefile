# Two commands set everything up on a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.installed
DATA        := $(or $(STS_DATA_DIR),data)
KEY_FILE    := $(DATA)/supportdesk.key
SUPPORTDESK_PORT ?= 8000
export STS_DATA_DIR := $(DATA)

# A Python 3.10 that really runs: PATH first, then pyenv's versions folder.
# (A pyenv shim for a version that is not selected fails to run, so it does not count.)
find_python = $(firstword $(foreach c,python3.10 $(sort $(wildcard $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions/3.10*/bin/python3.10)),$(shell $(c) -c 'import sys; assert sys.version_info[:2] == (3, 10); print(sys.executable)' 2>/dev/null)))

.PHONY: help install run test lint format clean
help:
	@echo "make run    set up if needed, then start the support desk with demo data"
	@echo "make test   set up if needed, then run the linter and every test"
	@echo "make lint | format | clean"

install: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  python310="$(call find_python)"; \
	  if [ -z "$$python310" ]; then \
	    echo "Python 3.10 is needed (Rasa 3.6 does not run on 3.11 or later): install it, for example with 'pyenv install 3.10' or your system's python3.10 package, then run make again." >&2; \
	    exit 1; \
	  fi; \
	  echo "Creating $(VENV) with $$python310"; \
	  "$$python310" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

# The service key lives in the data folder (never committed) unless the environment gives one.
$(KEY_FILE):
	@mkdir -p $(DATA)
	@umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(32))" > $@
	@echo "Created a support desk API key in $@"

run: $(STAMP) $(KEY_FILE)
	export SUPPORTDESK_API_KEY="$${SUPPORTDESK_API_KEY:-$$(cat $(KEY_FILE))}"; \
	exec $(PY) -m supportdesk serve --host 127.0.0.1 --port $(SUPPORTDESK_PORT) --seed-demo

test: $(STAMP) lint
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) results .pytest_cache .ruff_cache
