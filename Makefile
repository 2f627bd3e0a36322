# Two commands do everything on a fresh machine:
#   make run   - install, then extract the bundled corpus/ into outputs/
#   make test  - install, then run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install evaluate benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/extractor run corpus --out outputs
	$(BIN)/extractor evaluate --gold corpus/gold.jsonl --pred outputs

test: $(STAMP)
	sh scripts/install_chromium.sh || echo "chromium not installed: the review-page browser test cannot run here"
	$(BIN)/python -m pytest -q

evaluate: $(STAMP)
	for c in seed seed-ocr oncology-dev oncology-dev-ocr; do \
	  $(BIN)/extractor run ../shared/corpora/$$c --out outputs/eval/$$c --quiet && \
	  $(BIN)/extractor evaluate --gold ../shared/corpora/$$c/*.gold.jsonl --pred outputs/eval/$$c --json outputs/eval/$$c/scores.json; \
	done

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) outputs/*
