"""Shared fixtures: the pipeline (built once) and the ../shared corpora.

Tests that need ../shared fail loudly under CI=true when it is missing, and are
skipped with a reason elsewhere (a developer without the corpora)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("EXTRACTOR_SHARED", REPO.parent / "shared"))
CORPORA = SHARED / "corpora"
GOLD_FILES = {
    "seed": CORPORA / "seed" / "seed.gold.jsonl",
    "seed-ocr": CORPORA / "seed-ocr" / "ocr.gold.jsonl",
    "oncology-dev": CORPORA / "oncology-dev" / "oncology-dev.gold.jsonl",
    "oncology-dev-ocr": CORPORA / "oncology-dev-ocr" / "ocr.gold.jsonl",
}


def require_shared(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must have ../shared beside the clone")
        pytest.skip(f"{path} not available on this machine")
    return path


@pytest.fixture(scope="session")
def nlp():
    import extractor

    return extractor.load()


@pytest.fixture(scope="session")
def gold_file():
    def get(name: str) -> Path:
        return require_shared(GOLD_FILES[name])

    return get


def gold_docs(name: str):
    """(id, text, mentions) of each document of a shared gold file."""
    path = require_shared(GOLD_FILES[name])
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            yield row["id"], (path.parent / row["text_file"]).read_text(encoding="utf-8"), row["mentions"]


@pytest.fixture(scope="session")
def corpus_scores(nlp):
    """SCHEMA.md scores of the full pipeline on each shared gold file (computed once)."""
    from extractor.evaluate import evaluate_gold_file

    cache = {}

    def get(name: str):
        if name not in cache:
            cache[name] = evaluate_gold_file(require_shared(GOLD_FILES[name]), nlp=nlp)
        return cache[name]

    return get
