# Quick start: `make demo` then `make test`. Everything installs into .venv from the project's own files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SYSTEM_STAMP := $(VENV)/.system-stamp
# Debian packages the tests use: chromium drives the review-page tests, fonts-wqy-microhei renders Chinese,
# libreoffice-writer-nogui converts .doc/.wps/.rtf (its tests skip without it).
SYSTEM_PACKAGES := chromium fonts-wqy-microhei libreoffice-writer-nogui

.PHONY: install demo test lint eval bench wheel-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Installed when missing and we may (root with apt); otherwise the tests that need them skip and say why.
$(SYSTEM_STAMP):
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi" \
	    || ! command -v soffice >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "note: $(SYSTEM_PACKAGES) not installed and not installable here; browser and LibreOffice tests will skip"; fi; \
	fi
	mkdir -p $(VENV) && touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/extractor batch corpus -o out/demo --review
	$(BIN)/extractor check corpus/seed.docx --fail-on never
	$(BIN)/extractor compare out/demo --field budget.basic.execution_rate
	@echo "records: out/demo/records.jsonl (one JSON record per report); tables: out/demo/facts.csv," \
	  "out/demo/facts.parquet, out/demo/reports.duckdb; review pages: out/demo/review/index.html"

eval: $(STAMP)
	$(BIN)/extractor eval ../shared/corpus-dev

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

test: $(STAMP) $(SYSTEM_STAMP) lint
	$(BIN)/python -m pytest

# Lint, format check and type check; line length and rules in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check extractor tests benchmarks scripts
	$(BIN)/ruff format --check extractor tests benchmarks scripts
	$(BIN)/mypy

# The built wheel alone in a clean venv (with its extras): every module imports and `extractor --version` runs.
wheel-check: $(STAMP)
	$(BIN)/python scripts/check_wheel.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis
