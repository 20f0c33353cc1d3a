# Two commands set everything up on a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.installed
DATA        := $(or $(STS_DATA_DIR),var)
export STS_DATA_DIR := $(DATA)

# A Python 3.10 that really runs: PATH first, then pyenv's versions folder.
# (A pyenv shim for a version that is not selected fails to run, so it does not count.)
find_python = $(firstword $(foreach c,python3.10 $(sort $(wildcard $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions/3.10*/bin/python3.10)),$(shell $(c) -c 'import sys; assert sys.version_info[:2] == (3, 10); print(sys.executable)' 2>/dev/null)))

RASA        := $(VENV)/bin/rasa
# Security fixes (CVE-2025-8869, CVE-2026-1703, -3219, -6357, -8643: see "Dependency audit" in
# README); pip is a tool of the venv, not one of Rasa's requirements, so no pin holds it back.
PIP_VERSION := 26.1.2
WIDGET      := web/vendor/rasa-webchat/index.js
WIDGET_NPM  := rasa-webchat@1.0.1

# make run PROFILE=prod: PostgreSQL, Redis and several servers of each kind behind HAProxy.
PROFILE     ?= embedded
# The whole-stack tests run again in the production profile by make test: the four steps, the
# handoff, the faults and the browser pages. Each module starts a stack of its own (about a
# minute in this profile); the channel, edge and bind-host modules run in the embedded profile.
WHOLE_STACK_TESTS := tests/test_end_to_end.py tests/test_handoff_end_to_end.py \
	tests/test_faults_end_to_end.py tests/web

# pytest workers for make test: the whole-stack modules share one (tests/conftest.py).
TEST_WORKERS ?= 2

AUDIT_VENV  := .venv-audit
AUDIT_STAMP := $(AUDIT_VENV)/.installed

.PHONY: help install run train test evaluate bench audit lint format clean browser-deps postgres-deps \
	prod-deps
help:
	@echo "make run       set up and train if needed, then start every service (Ctrl-C stops them)"
	@echo "make run PROFILE=prod   the same in the production profile (PostgreSQL, Redis, HAProxy)"
	@echo "make test      set up and train if needed, then the linter, data checks and every test"
	@echo "make train     train the assistant if the model is missing or older than the data"
	@echo "make evaluate  NLU cross-validation, all simulated shoppers on both catalogues, the blind sets (help center too), 5,000 fuzzed messages"
	@echo "make bench     load over REST, 1 and 20 conversations, both profiles, beside a stock rasa init"
	@echo "make audit     check the installed packages against public advisory data (see README)"
	@echo "make lint | format | clean"
	@echo "make browser-deps  install Debian's chromium for the browser tests (make test does it)"
	@echo "make postgres-deps install Debian's postgresql for the PostgreSQL tests (make test does it)"
	@echo "make prod-deps install Debian's postgresql, redis-server and haproxy (make test does it)"

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
	$(PY) -m pip install --quiet --upgrade "pip==$(PIP_VERSION)"
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

# The help page's chat widget, from the npm registry into web/vendor/ (ignored by git).
$(WIDGET):
	@command -v npm >/dev/null || { echo "npm is needed to fetch the chat widget ($(WIDGET_NPM)): install Node.js and npm, for example 'apt-get install -y npm'." >&2; exit 1; }
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; set -e; \
	  (cd "$$tmp" && npm pack --silent $(WIDGET_NPM) >/dev/null); \
	  tar -xzf "$$tmp"/rasa-webchat-*.tgz -C "$$tmp" package/lib/index.js; \
	  mkdir -p $(@D); cp "$$tmp/package/lib/index.js" $@.part; mv $@.part $@
	@echo "Fetched $(WIDGET_NPM) into $@"

# Headless Chromium for the browser tests in tests/web: Debian's package, never a download.
browser-deps:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	  else echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium', then make test again." >&2; exit 1; fi; }

# PostgreSQL's server for the tests that need one (tests/postgres.py starts a throwaway cluster).
postgres-deps:
	@command -v pg_ctl >/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q postgresql; \
	  else echo "The PostgreSQL tests need Debian's postgresql: run 'sudo apt-get install postgresql', then make test again." >&2; exit 1; fi; }

# The production profile's servers, from Debian's packages; scripts/stack.py starts them.
prod-deps: postgres-deps
	@missing="$$(for p in redis-server:redis-server haproxy:haproxy; do \
	  command -v $${p%%:*} >/dev/null || [ -x /usr/sbin/$${p%%:*} ] || echo $${p##*:}; done)"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q $$missing; \
	  else echo "The production profile needs Debian's $$missing: run 'sudo apt-get install $$missing', then make again." >&2; exit 1; fi; \
	fi

# Keys live in the data folder (created on first run, never committed) unless the environment
# gives them; ports come from RASA_PORT, ACTIONS_PORT and SUPPORTDESK_PORT.
run: $(STAMP) $(WIDGET) $(if $(filter prod,$(PROFILE)),prod-deps)
	exec $(PY) -m scripts.stack --profile $(PROFILE)

train: $(STAMP)
	$(PY) -m scripts.stack train

test: $(STAMP) $(WIDGET) browser-deps prod-deps lint train
	$(RASA) data validate
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup
	STS_TEST_PROFILE=prod $(PY) -m pytest $(WHOLE_STACK_TESTS)
	$(RASA) test core --stories tests/stories --fail-on-prediction-errors --out results/core

# ARGS: the bench's options, e.g. make bench ARGS="--profile prod --turns 600".
bench: $(STAMP) prod-deps
	$(PY) -m scripts.bench $(ARGS)

evaluate: $(STAMP)
	$(RASA) test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5 --out results
	$(PY) scripts/nlu_macro_f1.py
	status=0; for catalogue in supportdesk/catalogues/demo.json tests/shoppers/catalogues/outdoor.json; do \
	  $(PY) -m tests.shoppers --all --catalogue $$catalogue \
	    --out results/shoppers-$$(basename $$catalogue .json).json || status=1; \
	done; \
	for set in tests/blind/sets/first*/; do \
	  $(PY) -m tests.blind.first_messages $$set/first_messages.json \
	    --out results/blind-$$(basename $$set).json || status=1; \
	done; \
	for set in tests/blind/sets/conv*/; do \
	  $(PY) -m tests.blind.conversations $$set --out results/blind-$$(basename $$set).json || status=1; \
	done; \
	for set in tests/blind/sets/hc*/; do \
	  $(PY) -m tests.blind.help_center $$set/questions.json --stack \
	    --out results/blind-$$(basename $$set).json || status=1; \
	done; \
	$(PY) -m tests.chat_fuzz --messages 5000 --chaos || status=1; \
	exit $$status

# pip-audit lives in a venv of its own: its requirements (packaging>=23, CacheControl>=0.13)
# clash with Rasa 3.6's pins, and installing it into .venv would change what it audits.
$(AUDIT_STAMP): scripts/audit-requirements.txt | $(STAMP)
	$(PY) -m venv --clear $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet --upgrade "pip==$(PIP_VERSION)"
	$(AUDIT_VENV)/bin/python -m pip install --quiet -r scripts/audit-requirements.txt
	@touch $@

# Not part of `make test`: it needs an advisory service (or AUDIT_OSV_DATA) and its answer changes daily.
audit: $(STAMP) $(AUDIT_STAMP)
	$(AUDIT_VENV)/bin/python -m scripts.audit --venv $(VENV)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) $(AUDIT_VENV) results models .pytest_cache .ruff_cache
