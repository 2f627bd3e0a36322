"""Offsets always index the ORIGINAL text: text[start:end] == mention.text, everywhere."""
import json

import pytest

import extractor
from conftest import GOLD_FILES, REPO, require_shared

CORPUS = REPO / "corpus"


def _texts(name):
    if name == "corpus":
        for p in sorted(CORPUS.glob("*.txt")):
            yield p.stem, p.read_text(encoding="utf-8")
        return
    path = require_shared(GOLD_FILES[name])
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            yield row["id"], (path.parent / row["text_file"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["corpus", "seed", "seed-ocr", "oncology-dev", "oncology-dev-ocr"])
def test_offsets_every_mention_slices_the_original(nlp, name):
    n = 0
    for doc_id, text in _texts(name):
        result = extractor.extract(text, doc_id=doc_id, nlp=nlp)
        spans = []
        for m in result.mentions:
            assert text[m.start:m.end] == m.text, (doc_id, m)
            assert m.text and not m.text[0].isspace() and not m.text[-1].isspace(), (doc_id, m)
            spans.append((m.start, m.end))
            n += 1
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), f"{doc_id}: overlapping mentions"
        for ev in result.timeline:
            assert text[ev.event_start:ev.event_start + len(ev.event_text)] == ev.event_text
    assert n > 0


def test_offsets_bundled_gold_is_valid():
    from extractor.evaluate import read_jsonl

    docs = read_jsonl(CORPUS / "gold.jsonl")
    assert len(docs) >= 5
    assert sum(len(v) for v in docs.values()) > 150
    labels = {m["label"] for v in docs.values() for m in v}
    assert labels == {"STAGE", "DATE", "DRUG", "PROCEDURE", "BIOMARKER", "SURVIVAL"}


def test_offsets_bundled_gold_matches_its_sources():
    """corpus/*.txt and gold.jsonl are built from corpus/annotated/ and must be current."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build", REPO / "scripts" / "build_corpus_gold.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for source in sorted((CORPUS / "annotated").glob("*.md")):
        text, mentions = build.build(source)
        assert (CORPUS / f"{source.stem}.txt").read_text(encoding="utf-8") == text
