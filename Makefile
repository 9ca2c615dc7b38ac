# Two commands do all set-up on a fresh machine (Python 3.11 and pip only):
#   make review   quarterly employment review on the embedded data; last line = path of the HTML
#   make test     the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup compile review test lab fetch benchmark clean strip

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@$(MAKE) --no-print-directory compile
	touch $(STAMP)

compile: ## byte-compile the package (an editable install is not; each new process compiled it)
	@$(PY) -m compileall -q src

setup: $(STAMP) ## create .venv and install the package with its dependencies

review: $(STAMP) ## run the default quarterly review (Keski-Pohjanmaa, latest quarter) and print its path
	@$(PY) -m analysis review $(ARGS)

test: $(STAMP) ## lint (ruff) and run the whole test suite
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -m pytest -n auto --dist loadgroup $(ARGS)

lab: $(STAMP) ## JupyterLab in work/ (copies of the notebooks: safe to duplicate and edit) with the project's kernel; ARGS=... passes options
	@$(PY) -m analysis workspace
	@$(PY) -m ipykernel install --user --name employment-analytics --display-name "Python (employment-analytics)" >/dev/null
	$(VENV)/bin/jupyter lab --notebook-dir=work $(if $(filter 0,$(shell id -u)),--allow-root) $(ARGS)

fetch: $(STAMP) ## load the latest tables from the StatFin PxWeb API into data/fetched
	$(PY) -m analysis fetch $(ARGS)

benchmark: $(STAMP) compile ## run the speed and accuracy benchmarks
	$(PY) benchmarks/review_speed.py
	$(PY) benchmarks/forecast_accuracy.py
	$(PY) benchmarks/outlook_accuracy.py

strip: $(STAMP) ## remove outputs from every notebook (never commit outputs)
	$(PY) -m analysis strip-notebooks

clean: ## remove the environment, caches and outputs (published reviews included)
	rm -rf $(VENV) data/cache outputs/*/ outputs/index.html
