"""The shipped NER model and its integration: candidates, acceptance, regression.

The model only proposes (``doc.spans["case_ner"]``); a candidate becomes a DRUG or
PROCEDURE mention only when the family normaliser accepts it (or, for a drug name no
lexicon lists, ``vouch_drug`` does) and no rule mention overlaps it. Rules-only
stays the default."""
from __future__ import annotations

import json

import pytest

import extractor
from extractor import model
from extractor.model import (MODEL_DIR, NER_KEY, NER_PIPE, POST_PIPE, SPANS_PIPE, accept_candidates,
                             add_model_post, model_available, trim)
from extractor.train import LABELS

# invented sentences (no corpus text)
TEXT = ("In March 2015 the patient was started on oral capecitabine and a monoclonal antibody. "
        "Serum creatinine was 1.2 mg/dL. A chest CT scan was performed, then she underwent "
        "a laparoscopic right hemicolectomy for adenocarcinoma of the colon.")


@pytest.fixture(scope="module")
def nlp_model():
    nlp = extractor.load(use_model=True)
    add_model_post(nlp)  # idempotent: pipeline.build may already have added it
    return nlp


def test_model_is_shipped_small_and_scored():
    assert model_available()
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 30 * 1024 * 1024
    val = json.loads((MODEL_DIR / "validation.json").read_text())
    assert set(val["per_label"]) == set(LABELS)
    assert val["n_dev_docs"] >= 30 and val["seed"] == 0
    # regression floors, a little below what the shipped model measured
    assert val["f1"] >= 0.50
    for label in ("Medication", "Diagnostic_procedure", "Lab_value", "Date"):
        assert val["per_label"][label]["f1"] >= 0.50, label


def test_rules_only_is_the_default():
    names = extractor.load().pipe_names
    assert NER_PIPE not in names and POST_PIPE not in names


def test_model_pipeline_order(nlp_model):
    names = nlp_model.pipe_names
    assert names.index(NER_PIPE) < names.index(SPANS_PIPE) < names.index("case_drugs")
    assert names.index("case_survival") < names.index(POST_PIPE) < names.index("case_attribution")


def test_candidates_go_to_spans_not_ents(nlp_model):
    doc = nlp_model(TEXT)
    assert len(doc.ents) == 0
    cands = {(s.text, s.label_) for s in doc.spans[NER_KEY]}
    assert {label for _, label in cands} <= set(LABELS)
    assert ("capecitabine", "Medication") in cands
    assert any(label == "Date" for _, label in cands)


def test_model_runs_on_repaired_text(nlp_model):
    """OCR-damaged input: candidates index the repaired doc.text; mentions the original."""
    raw = "She was given oral cape-\ncitabine after the colo-\nnoscopy."
    doc = nlp_model(raw)
    for span in doc.spans[NER_KEY]:
        assert doc.text[span.start_char:span.end_char] == span.text
    res = extractor.extract(raw, nlp=nlp_model)
    for m in res.mentions:
        assert raw[m.start:m.end] == m.text


@pytest.mark.parametrize("text, span, expected", [
    ("a (5-FU) b", (2, 8), (2, 8)),         # balanced brackets stay
    ("x aspirin, y", (2, 10), (2, 9)),      # trailing comma
    ("x (aspirin y", (2, 10), (3, 10)),     # unbalanced opening bracket
    ("  CT.", (0, 5), (2, 4)),
    ("...", (0, 3), (3, 3)),
])
def test_trim(text, span, expected):
    assert trim(text, *span) == expected


def _fake_normalisers(accept):
    return {"DRUG": lambda t: {"name": t.lower()} if t in accept else None,
            "PROCEDURE": lambda t: {"category": "surgery"} if t in accept else None}


@pytest.mark.parametrize("candidates, taken, accept, expected", [
    # accepted by the normaliser, nothing overlaps
    ([(0, 7, "Medication")], [], {"Drugzol"}, {"DRUG": [(0, 7, {"name": "drugzol"})]}),
    # rejected by the normaliser
    ([(0, 7, "Medication")], [], set(), {}),
    # a rule mention of any family overlaps: rules win
    ([(0, 7, "Medication")], [(5, 12)], {"Drugzol"}, {}),
    # procedures of both MACCROBAT kinds map to PROCEDURE
    ([(8, 19, "Therapeutic_procedure"), (20, 23, "Diagnostic_procedure")], [],
     {"colectomyxx", "MRI"}, {"PROCEDURE": [(8, 19, {"category": "surgery"}), (20, 23, {"category": "surgery"})]}),
    # labels that are not candidates of a family are ignored
    ([(0, 7, "Date"), (0, 7, "Lab_value"), (0, 7, "Disease_disorder")], [], {"Drugzol"}, {}),
    # two overlapping candidates: the first accepted one takes the place
    ([(0, 7, "Medication"), (0, 19, "Therapeutic_procedure")], [], {"Drugzol", "Drugzol colectomyxx"},
     {"DRUG": [(0, 7, {"name": "drugzol"})]}),
])
def test_accept_candidates(candidates, taken, accept, expected):
    text = "Drugzol colectomyxx MRI"
    no_finders = {"DRUG": lambda t: [], "PROCEDURE": lambda t: []}
    assert accept_candidates(text, candidates, taken, _fake_normalisers(accept), no_finders, vouchers={}) == expected


@pytest.mark.parametrize("finder_hits, accepted", [
    ([], True),                      # the rules do not know the name: the model fills the gap
    ([(0, 7, {})], False),           # the rules know it and left it out in context: keep it out
    ([(0, 2, {})], True),            # a hit on a small part of the candidate does not count
])
def test_rules_known_names_are_not_overridden(finder_hits, accepted):
    got = accept_candidates("Drugzol", [(0, 7, "Medication")], [], _fake_normalisers({"Drugzol"}),
                            {"DRUG": lambda t: finder_hits})
    assert bool(got) is accepted


@pytest.mark.parametrize("label, text", [("DRUG", "oxaliplatin"), ("PROCEDURE", "colonoscopy")])
def test_real_finders_know_lexicon_names(label, text):
    """With the families' own finders, a lexicon name is never added by the model."""
    assert model.rules_know(model.family_finder(label), text)


def test_missing_normaliser_rejects_everything(monkeypatch):
    monkeypatch.setattr(model, "family_normaliser", lambda label: model._reject)
    assert accept_candidates("Drugzol", [(0, 7, "Medication")], [], vouchers={}) == {}


def test_accepted_candidate_becomes_a_mention(nlp_model, monkeypatch):
    """End to end: a candidate the normaliser accepts (faked here) is written as a DRUG
    mention with the normaliser's attributes and gets attribution like any mention."""
    doc = nlp_model.make_doc(TEXT)
    for _, proc in nlp_model.pipeline[:nlp_model.pipe_names.index(POST_PIPE)]:
        doc = proc(doc)
    cands = [s for s in doc.spans[NER_KEY] if s.label_ == "Medication"]
    assert cands
    target = cands[0]
    from extractor.components.base import family_mentions, set_family_mentions

    # pretend the rules missed it
    set_family_mentions(doc, "DRUG", [d for d in family_mentions(doc, "DRUG")
                                      if not (d["_start"] < target.end_char and target.start_char < d["_end"])])
    monkeypatch.setattr(model, "family_normaliser",
                        lambda label: (lambda t: {"name": "made-up"}) if label == "DRUG" else model._reject)
    monkeypatch.setattr(model, "family_finder", lambda label: model._find_nothing)
    doc = nlp_model.get_pipe(POST_PIPE)(doc)
    got = [d for d in family_mentions(doc, "DRUG") if d["_start"] == target.start_char]
    assert got and got[0]["name"] == "made-up"


@pytest.mark.parametrize("label", ["DRUG", "PROCEDURE"])
def test_model_does_not_lower_f1_on_oncology_dev(nlp_model, corpus_scores, gold_file, label):
    """With the model, DRUG/PROCEDURE recall is not lower and F1 not lower than rules only."""
    from extractor.evaluate import evaluate_gold_file

    rules = corpus_scores("oncology-dev")["lenient"]["per_label"][label]
    with_model = evaluate_gold_file(gold_file("oncology-dev"), nlp=nlp_model, labels=[label])
    got = with_model["lenient"]["per_label"][label]
    assert got["recall"] >= rules["recall"]
    assert got["f1"] >= rules["f1"] - 1e-9


def test_candidates_in_reference_lists_are_dropped(nlp_model, monkeypatch):
    text = ("Case presentation\nThe patient received Drugzol for two months.\n\n"
            "References\n1. Smith J, Doe A. Drugzol in solid tumours. J Clin Oncol 2010;28:100-5.\n")
    doc = nlp_model.make_doc(text)
    for _, proc in nlp_model.pipeline[:nlp_model.pipe_names.index(POST_PIPE)]:
        doc = proc(doc)
    starts = [i for i in range(len(doc.text)) if doc.text.startswith("Drugzol", i)]
    assert len(starts) == 2
    doc.spans[NER_KEY] = [doc.char_span(s, s + 7, label="Medication") for s in starts]
    monkeypatch.setattr(model, "family_normaliser",
                        lambda label: (lambda t: {"name": "drugzol"}) if label == "DRUG" else model._reject)
    monkeypatch.setattr(model, "family_finder", lambda label: model._find_nothing)
    doc = nlp_model.get_pipe(POST_PIPE)(doc)
    from extractor.components.base import family_mentions

    assert [d["_start"] for d in family_mentions(doc, "DRUG") if d.get("name") == "drugzol"] == starts[:1]


def test_missing_model_says_how_to_build_it(tmp_path):
    from extractor.errors import ExtractorError

    with pytest.raises(ExtractorError, match="extractor train"):
        model.add_model(extractor.load(families=[]), model_dir=str(tmp_path))


# --- names no lexicon lists: vouch_drug and the unseen-names ablation ----------------

@pytest.mark.parametrize("word, name, match", [
    ("oxaliplatinn", "oxaliplatin", "model-fuzzy"),     # one letter more than the rules' fuzzy lookup allows
    ("Oxalipltn", "oxaliplatin", "model-fuzzy"),
    ("tebentafusp", "tebentafusp", "model"),            # a new agent: named as written, lower-case
    ("Zorvaprenine", "zorvaprenine", "model"),          # invented, drug-shaped
])
def test_vouch_drug_accepts(word, name, match):
    got = model.vouch_drug(word)
    assert got is not None and got["name"] == name and got["match"] == match


@pytest.mark.parametrize("word", [
    "telephone",      # English
    "iftcrease",      # OCR-damaged English
    "MTC",            # an acronym
    "GH",
    "chemotherapy",   # a class word of the stop list
    "chromogranin",   # the BIOMARKER family's marker
    "spirometry",     # not drug-shaped
    "gyrus cinguli",  # more than one word
    "abcde",          # too short to judge
])
def test_vouch_drug_rejects(word):
    assert model.vouch_drug(word) is None


def test_name_shape_separates_held_out_names():
    """The shape classifier, with the test words left out of its training, passes most
    held-out INNs and few clinical words that are not drugs."""
    from extractor.novel_names import DEFAULT_THRESHOLD, name_shape

    drugs = ["dacarbazine", "everolimus", "exemestane", "tamoxifen", "temozolomide", "vinorelbine",
             "fulvestrant", "letrozole", "anastrozole", "ondansetron", "dexamethasone", "pemetrexed"]
    others = ["spirometry", "cinguli", "adenopathy", "paresthesia", "lymphadenopathy", "hemoptysis",
              "hepatomegaly", "splenomegaly", "desmoplasia", "keratinization", "necrosis", "mediastinum"]
    shape = name_shape(frozenset(drugs + others))
    passed = [w for w in drugs if shape.score(w) > DEFAULT_THRESHOLD]
    stopped = [w for w in others if shape.score(w) <= DEFAULT_THRESHOLD]
    assert len(passed) >= 10, passed
    assert len(stopped) >= 10, stopped


@pytest.fixture()
def hidden_drugs():
    """The drug lexicons without a few names (benchmarks/model_eval.py's ablation hook)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import model_eval

    undo = model_eval._hide_drug_names(frozenset({"dacarbazine", "everolimus"}))
    yield
    undo()


def test_model_finds_names_the_lexicons_lack(nlp_model, hidden_drugs):
    text = "He was treated with dacarbazine and later with everolimus 10 mg daily until progression."
    rules = [m for m in extractor.extract(text).mentions if m.label == "DRUG"]
    found = {m.text: m for m in extractor.extract(text, nlp=nlp_model).mentions if m.label == "DRUG"}
    assert rules == []
    assert set(found) == {"dacarbazine", "everolimus"}
    assert all(m.name == m.text and m.match == "model" for m in found.values())


def test_lexicons_are_whole_again_after_the_ablation():
    names = [m.name for m in extractor.extract("He was treated with dacarbazine.").mentions if m.label == "DRUG"]
    assert names == ["dacarbazine"]


def test_unseen_names_ablation_on_oncology_dev(nlp_model, gold_file):
    """Issue 8's claim on oncology-dev, where rules-only recall is already 1.0: with the
    gold DRUG names forgotten by the lexicons, the model raises DRUG recall and does not
    lower precision."""
    import sys
    from pathlib import Path

    gold_file("oncology-dev")  # fails loudly under CI=true when ../shared is missing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import model_eval

    got = model_eval.ablation("oncology-dev", extractor.load(), nlp_model, folds=5)
    assert got["model"]["hidden_recall"] > got["rules"]["hidden_recall"] + 0.1
    assert got["model"]["precision"] >= got["rules"]["precision"] - 1e-9
    assert got["model"]["f1"] > got["rules"]["f1"]
