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

# The bundle is built with Python 3.12+ (immortal None; docs/ARCHITECTURE.md), in its own venv.
# BUILD_PYTHON may be given; otherwise the first Python 3.12/3.13 found (PATH, then pyenv), and
# failing that $(PYTHON) with a warning.
BUILD_VENV ?= .venv-build
BUILD_PYTHON ?= $(shell for p in python3.12 $$(ls -d $$HOME/.pyenv/versions/3.12*/bin/python3 2>/dev/null) \
	python3.13 $$(ls -d $$HOME/.pyenv/versions/3.13*/bin/python3 2>/dev/null); do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null && { echo $$p; break; }; done)
ifeq ($(OS),Windows_NT)
BUILD_BIN := $(BUILD_VENV)/Scripts
else
BUILD_BIN := $(BUILD_VENV)/bin
endif
BUILD_STAMP := $(BUILD_VENV)/.installed
# numpy is there for pyqtgraph's arrays; the app does no linear algebra, so the bundle carries a
# numpy compiled without OpenBLAS (21 MB less; compiled once, then pip's wheel cache has it).
# NUMPY_WITHOUT_BLAS=0 keeps PyPI's wheel (no compiler needed).
NUMPY_WITHOUT_BLAS ?= 1

# The texts Qt's extractor reads (docs/ARCHITECTURE.md, Translation).
I18N_SOURCES := $(sort $(wildcard pdd_desktop/ui/*.py pdd_desktop/ui/*/*.py pdd_desktop/ui/*/*/*.py)) pdd_desktop/app.py
I18N_TS := resources/i18n/pdd_desktop_en.ts

.PHONY: run test lint bench soak build selftest-bundle clean demo translations

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

$(BUILD_STAMP): pyproject.toml
	@test -n "$(BUILD_PYTHON)" || echo "build: no Python 3.12+ found; building with $(PYTHON) (None is pinned by the app on 3.11)"
	$(or $(BUILD_PYTHON),$(PYTHON)) -m venv $(BUILD_VENV)
	$(BUILD_BIN)/python -m pip install --upgrade pip
	$(BUILD_BIN)/python -m pip install -e '.[build]'
ifneq ($(NUMPY_WITHOUT_BLAS),0)
	$(BUILD_BIN)/python -m pip install --force-reinstall --no-deps --no-binary numpy \
	  "numpy==$$($(BUILD_BIN)/python -c 'import numpy; print(numpy.__version__)')" \
	  -Csetup-args=-Dallow-noblas=true -Csetup-args=-Dblas=none -Csetup-args=-Dlapack=none \
	  || echo "build: numpy without OpenBLAS did not build; the bundle keeps the standard numpy (+21 MB)"
endif
	touch $@

# dist/PDDDesktop/: the one-folder app (build.spec explains what it holds and leaves out).
build: $(BUILD_STAMP)
	$(BUILD_BIN)/pyinstaller --noconfirm --log-level WARN build.spec

# The frozen program checks itself (demo shop, every page, every document, import, sync).
selftest-bundle: build
	QT_QPA_PLATFORM=offscreen dist/PDDDesktop/PDDDesktop selftest

# The English catalogue for a translator: every UI text (Chinese sources), no translations yet.
translations: | $(STAMP)
	$(BIN)/pyside6-lupdate $(I18N_SOURCES) -source-language zh_CN -target-language en \
		-no-obsolete -locations none -ts $(I18N_TS)

clean:
	rm -rf build dist .pytest_cache .ruff_cache $(BUILD_VENV)
