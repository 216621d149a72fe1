# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test lint bench reliability coverage-doc lock clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## make demo: the main job on the sandbox (no AWS credentials needed)
demo: $(STAMP)
	$(VENV)/bin/ppv2kit sandbox serve --seed demo

## make test: the whole suite (lint, unit, sandbox through both transports, AWS CLI interop)
test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## make bench: timings, printed as ratios against a baseline measured in the same run
bench: $(STAMP)
	$(PY) -m benchmarks

## regenerate docs/sandbox-coverage.md from the model and the sandbox
coverage-doc: $(STAMP)
	$(PY) -m ppv2kit.sandbox.coverage > docs/sandbox-coverage.md

## pin the versions of the current virtualenv into constraints.txt
lock: $(STAMP)
	( echo '# Exact versions the suite is proven with (pip -c). Regenerate with `make lock`.'; \
	  $(PY) -m pip freeze --exclude-editable | sort -f ) > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
