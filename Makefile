# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
# The moment `make test` moves the system clock to for its second pass (e.g. 2028-02-29T23:57:00Z);
# empty: a random one between now and five years ahead, printed so a failure reproduces.
FAKE_DATE ?=
# What runs under the moved clock: everything but the browser layer and the Binder rebuild
# (Chromium and pip's TLS check real dates; neither reads the product's clock), `make demo`'s
# JupyterLab server (no product clock; its start under libfaketime and a loaded CI host outlasts the
# test's deadlines) and the transport campaigns (threads, malformed HTTP, SIGKILL: no date in them,
# and slow under libfaketime).
FAKETIME_TESTS ?= --ignore=tests/browser --ignore=tests/test_binder.py \
	--ignore=tests/test_make_demo.py \
	--ignore=tests/test_concurrency.py --ignore=tests/test_crash_safety.py \
	--ignore=tests/test_http_robustness.py
DEMO_PORT ?= 8888

.PHONY: demo sandbox reports test test-faketime system-deps browser-deps lint bench reliability coverage-doc lock clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## make demo: JupyterLab on notebooks/ against the offline demo sandbox (no AWS credentials)
demo: $(STAMP)
	@token=$$($(PY) -c 'import secrets; print(secrets.token_hex(16))'); \
	root=$$(test "$$(id -u)" = 0 && echo --allow-root); \
	echo ""; \
	echo "  ppv2kit demo: JupyterLab on notebooks/, reading the offline demo sandbox"; \
	echo "  (no AWS credentials; every notebook's first cell says which backend it reads)."; \
	echo ""; \
	echo "  Open  http://127.0.0.1:$(DEMO_PORT)/lab/tree/01_inventory.ipynb?token=$$token"; \
	echo ""; \
	echo "  Stop with Ctrl-C."; \
	echo ""; \
	PPV2KIT_SANDBOX=demo exec $(VENV)/bin/jupyter-lab --no-browser --ip=127.0.0.1 \
	  --port=$(DEMO_PORT) --ServerApp.port_retries=0 --ServerApp.root_dir=notebooks \
	  --IdentityProvider.token=$$token --LabApp.news_url=None \
	  --LabApp.app_settings_dir=$(CURDIR)/jupyter/settings \
	  --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate $$root

## make sandbox: the demo sandbox over HTTP, for the AWS CLI and other SDKs
sandbox: $(STAMP)
	$(VENV)/bin/ppv2kit sandbox serve --seed demo

## make reports: every notebook headless on the demo sandbox -> reports/*.html
reports: $(STAMP)
	@mkdir -p reports
	@for nb in notebooks/[0-9]*.ipynb; do \
	  $(VENV)/bin/ppv2kit run $$nb --sandbox demo --output reports/$$(basename $$nb .ipynb).html \
	    || exit 1; \
	done

## make test: the whole suite (lint, unit, sandbox through both transports, AWS CLI interop,
## JupyterLab in headless Chromium), then the suite again but the browser layer with the system
## clock moved by libfaketime to another date (tests pass on any day)
test: $(STAMP) system-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-faketime

## make test-faketime [FAKE_DATE=2028-02-29T23:57:00Z]: the non-browser suite at another date
test-faketime: $(STAMP) system-deps
	$(PY) -m tests.faketime_run --date "$(FAKE_DATE)" -- \
	  $(PY) -m pytest -n 2 -p no:cacheprovider $(FAKETIME_TESTS) $(PYTEST_ARGS)

## Debian packages the tests need: chromium (Playwright cannot download browsers here) and
## faketime (libfaketime moves the clock of the second pass)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := chromium faketime
system-deps:
	@missing=""; for pkg in $(SYSTEM_PACKAGES); do \
	  command -v $$pkg >/dev/null || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; fi
browser-deps: system-deps

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## make bench: timings, printed as ratios against a baseline measured in the same run
bench: $(STAMP)
	$(PY) -m benchmarks

## make reliability: the long campaigns of docs/adr/0012 (generated requests, malformed HTTP,
## concurrency, SIGKILL trials) and the figures they establish; sizes come from the environment,
## e.g. PPV2KIT_CRASH_TRIALS=200 make reliability (README, "Reliability")
RELIABILITY_TESTS := tests/test_fuzz.py tests/test_fuzz_stateful.py tests/test_http_robustness.py \
	tests/test_concurrency.py tests/test_crash_safety.py tests/test_security.py tests/test_kit_faults.py
reliability: export PPV2KIT_RELIABILITY_LOG = test-artifacts/reliability.jsonl
reliability: $(STAMP)
	rm -f $$PPV2KIT_RELIABILITY_LOG
	PPV2KIT_CAMPAIGN=long $(PY) -m pytest -n 2 $(RELIABILITY_TESTS) $(PYTEST_ARGS)
	$(PY) -m tests.strategies

## regenerate docs/sandbox-coverage.md from the model and the sandbox
coverage-doc: $(STAMP)
	$(PY) -m ppv2kit.sandbox.coverage > docs/sandbox-coverage.md

## pin the versions of the current virtualenv into constraints.txt
lock: $(STAMP)
	( echo '# Exact versions the suite is proven with (pip -c). Regenerate with `make lock`.'; \
	  $(PY) -m pip freeze --exclude-editable | sort -f ) > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
