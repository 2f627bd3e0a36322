"""Training path of the NER model: brat reading, DocBin conversion, split, a smoke run.

CI does not retrain the shipped model; the smoke test trains on four MACCROBAT
documents for a few steps in a temporary folder."""
from __future__ import annotations

import json

import pytest
import spacy

from extractor import train
from extractor.train import LABELS, brat_docs, read_ann, split_ids

from conftest import CORPORA, require_shared

MACCROBAT = CORPORA / "maccrobat"


@pytest.mark.parametrize("line, expected", [
    ("T1\tMedication 10 21\taspirin 1 g", [(10, 21, "Medication")]),
    ("T2\tDiagnostic_procedure 0 2\tCT", [(0, 2, "Diagnostic_procedure")]),
    ("T3\tDosage 5 9\t8 mg\t\u2005", []),                              # label not learnt
    ("T4\tMedication 5 9;12 20\tfoo bar", []),                         # discontinuous
    ("T5\tLab_value 5 9\t8 mg\t\u2005", [(5, 9, "Lab_value")]),         # stray extra tab field
    ("E1\tMedication:T1 ", []),                                        # event line
    ("R1\tMODIFY Arg1:T1 Arg2:T2\t", []),
    ("#1\tAnnotatorNotes T1\tnote", []),
])
def test_read_ann(line, expected):
    assert read_ann(line) == expected


@pytest.mark.parametrize("n", [2, 5, 10, 160])
def test_split_is_seeded_disjoint_and_a_fifth(n):
    ids = [f"doc{i:03d}" for i in range(n)]
    tr, dev = split_ids(ids, seed=0)
    assert split_ids(list(reversed(ids)), seed=0) == (tr, dev)   # order of input does not matter
    assert not set(tr) & set(dev) and sorted(tr + dev) == ids
    assert len(dev) == max(1, round(n * 0.2))
    assert split_ids(ids, seed=1) != (tr, dev) or n <= 5   # another seed, another split


@pytest.fixture(scope="module")
def tok_nlp():
    return train.make_tokenizer_nlp()


def test_brat_docs_one_doc_per_line_longest_overlap_wins(tok_nlp):
    text = "She took oral aspirin daily.\n\nA chest CT scan was done on 3 May."
    i = text.index("chest CT scan")
    j = text.index("CT")
    k = text.index("3 May")
    ents = [(text.index("aspirin"), text.index("aspirin") + 7, "Medication"),
            (i, i + len("chest CT scan"), "Diagnostic_procedure"),
            (j, j + 2, "Diagnostic_procedure"),         # nested: dropped, the longer span stays
            (k, k + 5, "Date")]
    docs, counts = brat_docs(tok_nlp, text, ents)
    assert [d.text for d in docs] == ["She took oral aspirin daily.", "A chest CT scan was done on 3 May."]
    assert [(e.text, e.label_) for e in docs[0].ents] == [("aspirin", "Medication")]
    assert [(e.text, e.label_) for e in docs[1].ents] == [("chest CT scan", "Diagnostic_procedure"), ("3 May", "Date")]
    assert counts["entities"] == 4 and counts["dropped"] == 1


def test_brat_docs_uses_the_pipeline_tokenizer(tok_nlp):
    """Tokens of the training docs are those the extractor's tokenizer makes at inference."""
    import extractor

    line = "Given 5-FU/LV and CAPOX (q3w), then re-staged by PET-CT."
    docs, _ = brat_docs(tok_nlp, line, [])
    assert [t.text for t in docs[0]] == [t.text for t in extractor.load(families=[])(line)]


def test_config_is_small_seeded_cpu_ner():
    cfg = spacy.util.load_config(train.REPO_CONFIG)
    assert cfg["nlp"]["pipeline"] == ["ner"]
    assert cfg["system"]["seed"] == 0
    t2v = cfg["components"]["ner"]["model"]["tok2vec"]
    assert t2v["@architectures"].startswith("spacy.HashEmbedCNN")
    assert t2v["width"] <= 128 and t2v["embed_size"] <= 5000


def test_clear_pipeline_dir_refuses_a_folder_that_is_not_a_pipeline(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        train._clear_pipeline_dir(tmp_path)
    assert (tmp_path / "notes.txt").exists()


def test_smoke_train_on_four_documents(tmp_path):
    corpus = require_shared(MACCROBAT)
    out = tmp_path / "model"
    scores = train.train_model(corpus, out, seed=0, max_steps=4, n_docs=4, quiet=True)
    assert scores["n_train_docs"] + scores["n_dev_docs"] == 4 and scores["n_dev_docs"] == 1
    assert {"precision", "recall", "f1", "per_label"} <= set(scores)
    assert (out / "meta.json").exists() and (out / "ner").is_dir()
    assert json.loads((out / "validation.json").read_text())["dev_ids"] == scores["dev_ids"]
    nlp = spacy.load(out)
    assert set(nlp.get_pipe("ner").labels) <= set(LABELS)
    # a second run with the same seed, into the same folder, replaces the pipeline with
    # an identical one (fixed seed: training is reproducible)
    weights = (out / "ner" / "model").read_bytes()
    again = train.train_model(corpus, out, seed=0, max_steps=4, n_docs=4, quiet=True)
    assert again["dev_ids"] == scores["dev_ids"]
    assert (out / "ner" / "model").read_bytes() == weights
