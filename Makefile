# Two commands do all set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: site serve test validate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## Validate faq/ and build the help site into site/ (the previous site stays if anything fails).
site: $(VENV)/.installed
	$(BIN)/faqkb validate faq
	$(BIN)/mkdocs build --strict

## Live preview at http://127.0.0.1:8000, rebuilt when a YAML file changes.
serve: $(VENV)/.installed
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

validate: $(VENV)/.installed
	$(BIN)/faqkb validate faq

## Install everything the tests need (Debian's chromium included) and run the whole suite.
test: $(VENV)/.installed-test
	@command -v chromium >/dev/null 2>&1 || scripts/install-browser.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python scripts/bench_build.py

clean:
	rm -rf site .site.faqkb-new .site.faqkb-old
