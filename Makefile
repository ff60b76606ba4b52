# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-fast lint dev bench clean-warehouse system-deps

setup: $(STAMP)

# Re-install only when the lock file or the project metadata changed: setup is idempotent.
$(STAMP): requirements.lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: setup
	$(BIN)/budget-etl ingest data/raw --warehouse data/warehouse/budget.duckdb

lint: setup
	$(BIN)/ruff check pipeline assets budget_cli tests benchmarks tools

# The full suite needs Debian's chromium and a CJK font (system-deps) for the HTML report's browser test
# and the OCR tests' scans; `make run` needs neither.
# The tests run in TEST_WORKERS processes (pytest-xdist), a module's tests in one of them so that its
# fixtures are built once: about 6 minutes on two cores instead of 9. TEST_WORKERS=0 runs them in one.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

test: lint system-deps
	$(PYTEST)

# Lint and the unit tests only: no Dagster run, no `dagster dev`, no PDF of the corpus (tests/conftest.py
# marks those `slow`). Under a minute on two cores.
test-fast: lint
	$(PYTEST) -m "not slow"

# `dg dev` (dagster-dg-cli), the current idiom: pyproject.toml's [tool.dg] names assets.definitions.
# assets/dev_server.py runs it in a session of its own: Ctrl-C cancels the runs in flight, stops the
# UI and the daemon, and leaves no process behind.
dev: setup
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/dagster_home} ; mkdir -p $$DAGSTER_HOME ; \
	DAGSTER_HOME=$$DAGSTER_HOME exec $(BIN)/python -m assets.dev_server --host 127.0.0.1 --port $${PORT:-3000}

bench: setup
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/ingest_speed.py --profile
	$(BIN)/python benchmarks/ocr_speed.py

clean-warehouse:
	rm -f data/warehouse/budget.duckdb data/warehouse/budget.duckdb.wal

# System packages the tests need beyond the lock file: Debian's chromium (tests/test_html_report.py
# screenshots the HTML report headless), a CJK font for it and for the generated scans, and
# LibreOffice Calc (the generated disclosures' second producer, tests/office_pdfs.py). Installs only
# what is missing; sudo only when not root. `make test` skips what needs a missing one.
system-deps:
	@SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); PKGS=""; \
	command -v chromium >/dev/null 2>&1 || PKGS="chromium"; \
	[ -n "$$(fc-list :lang=zh 2>/dev/null)" ] || PKGS="$$PKGS fonts-wqy-microhei"; \
	command -v soffice >/dev/null 2>&1 || PKGS="$$PKGS libreoffice-calc-nogui"; \
	if [ -n "$$PKGS" ]; then $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends $$PKGS; \
	else echo "system-deps: chromium, a CJK font and LibreOffice are installed"; fi
