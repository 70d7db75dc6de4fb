# gongkai — `make run` sets everything up and starts the app; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
VENDOR := web/static/vendor

.PHONY: setup run test browser ocr lint vendor bench clean

setup: $(VENV)/.installed $(VENDOR)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]' --config-settings editable_mode=compat
	touch $@

# bpmn-js, dmn-js, form-js and axe-core (the browser tests' accessibility check) from npm (pinned by
# package-lock.json), copied next to our static files.
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/bpmn-js $(VENDOR)/dmn-js $(VENDOR)/form-js $(VENDOR)/axe-core
	cp -r node_modules/bpmn-js/dist/bpmn-modeler.production.min.js node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js node_modules/bpmn-js/dist/assets $(VENDOR)/bpmn-js/
	cp -r node_modules/dmn-js/dist/dmn-modeler.production.min.js node_modules/dmn-js/dist/assets $(VENDOR)/dmn-js/
	cp -r node_modules/@bpmn-io/form-js/dist/form-viewer.umd.js node_modules/@bpmn-io/form-js/dist/form-editor.umd.js node_modules/@bpmn-io/form-js/dist/assets $(VENDOR)/form-js/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe-core/
	touch $@

vendor: $(VENDOR)/.installed

run: setup
	@$(PY) -m tests.support.tesseract --warn
	$(PY) -m web.cli init --demo
	$(PY) -m web.cli serve --host 127.0.0.1 --port 5000

# One test process per core (at most 4): each holds its own PostgreSQL schema, Redis database and
# data folder (tests/conftest.py), so they never see each other's rows or jobs.
# Every test runs at a moved date (tests/support/clock.py), never the real one; the date-sensitive
# tests run again at a new year's first working day, a day inside the Spring Festival holiday and a
# year's last day (on SQLite: the main pass already runs them on both databases).
MOVED_DATES := 2027-01-04 2027-02-08 2027-12-31
DATED_TESTS := tests/workplan tests/requests tests/disclosure/test_deadlines.py tests/disclosure/test_take_down.py \
               tests/engine/test_calendar.py tests/engine/test_timers.py tests/engine/test_events.py
test: setup browser ocr
	$(PY) -m pytest -q -n auto --maxprocesses 4
	@for day in $(MOVED_DATES); do echo "== the date-sensitive tests on $$day"; \
	  GONGKAI_TEST_TODAY=$$day $(PY) -m pytest -q -n auto --maxprocesses 4 -p no:cacheprovider \
	    -m "not browser" -k "not postgres" $(DATED_TESTS) || exit 1; done

# The browser tests drive Debian's Chromium: installed here when the machine allows it (root, apt),
# otherwise this stops at once with one line saying what to install.
browser: setup
	@$(PY) -m tests.support.chromium --ensure

# OCR of scanned files uses Debian's tesseract with its Chinese model: installed here when the machine
# allows it (root, apt), otherwise this stops at once with one line saying what to install.
ocr: setup
	@$(PY) -m tests.support.tesseract --ensure

lint: setup
	$(VENV)/bin/ruff check engine web workers forms tests bench workflows

bench: setup
	$(PY) -m pip install -q -e '.[dev,bench]' --config-settings editable_mode=compat
	$(PY) bench/engine.py
	$(PY) bench/deid.py
	$(PY) bench/real_http.py
	$(PY) bench/files.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance
