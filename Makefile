# Quick start: `make run` opens the app on the demo shop; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
endif
PY := $(BIN)/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
ORDERS ?= 1000000

.PHONY: run test lint bench soak build clean demo

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(PY) -m pdd_desktop

demo: $(STAMP)
	$(PY) -m pdd_desktop demo --orders 30000 --replace

lint: $(TEST_STAMP)
	$(BIN)/ruff check pdd_desktop tests bench
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not soak" --durations=10

soak: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m soak

bench: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench all --orders $(ORDERS)

build: $(STAMP)
	$(PY) -m pip install -e '.[build]'
	$(BIN)/pyinstaller --noconfirm build.spec

clean:
	rm -rf build dist .pytest_cache .ruff_cache
