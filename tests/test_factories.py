"""The public contract: factories reachable through entry points, span keys, tables."""
import json
import subprocess
import sys

import pytest

from extractor.pipeline import PIPE_NAMES
from extractor.records import SPAN_KEYS
from extractor.tables import TABLE_NAMES, table_columns


@pytest.mark.parametrize("factory", PIPE_NAMES)
def test_factories_add_pipe_in_fresh_interpreter(factory):
    # the extractor package is never imported: spaCy must find the factory by entry point
    code = (
        "import spacy, sys\n"
        f"nlp = spacy.blank('en'); nlp.add_pipe({factory!r})\n"
        "doc = nlp('Stage IV rectal cancer (pT4bN2aM1b) after R0 resection.')\n"
        "print('extractor' in sys.modules or any(m.startswith('extractor.') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr


def test_factories_blank_stage_component_finds_codes():
    code = (
        "import spacy, json\n"
        "nlp = spacy.blank('en'); nlp.add_pipe('case_stage')\n"
        "doc = nlp('Stage IV rectal cancer (pT4bN2aM1b) after R0 resection.')\n"
        "print(json.dumps(sorted((s.text, s._.case_stage['value']) for s in doc.spans['case_stage'])))\n"
    )
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [["R0", "R0"], ["Stage IV", "IV"], ["pT4bN2aM1b", "pT4bN2aM1b"]]


def test_factories_pipeline_order(nlp):
    assert nlp.pipe_names[0] == "case_sections"
    assert nlp.pipe_names[-2:] == ["case_attribution", "case_resolve"]


def test_factories_span_keys_are_the_contract():
    assert SPAN_KEYS == {"STAGE": "case_stage", "DATE": "case_dates", "DRUG": "case_drugs",
                         "PROCEDURE": "case_procedures", "BIOMARKER": "case_biomarkers",
                         "SURVIVAL": "case_survival"}


def test_factories_table_contract():
    assert TABLE_NAMES == ("stages", "dates", "drugs", "procedures", "biomarkers", "survival",
                           "documents", "timeline")
    assert table_columns("stages")[:7] == ("doc_id", "start", "end", "text", "system", "value", "patient")
    assert table_columns("documents")[:4] == ("doc_id", "path", "n_chars", "status")
    assert table_columns("timeline")[:5] == ("doc_id", "date", "event_label", "event_text", "event_start")
    for name in ("dates", "drugs", "procedures", "biomarkers", "survival"):
        assert table_columns(name)[:4] == ("doc_id", "start", "end", "text")


def test_factories_doc_survives_multiprocess_pipe(nlp):
    texts = ["Stage IIIB (cT4N1M0) breast cancer.", "R1 resection was performed in stage 1V disease."] * 2
    docs = list(nlp.pipe(texts, n_process=2, batch_size=1))
    assert [len(d.spans["case_stage"]) for d in docs] == [2, 2, 2, 2]


def test_factories_repairing_tokenizer_from_config():
    """The tokenizer is usable from a spaCy config (``@tokenizers``), not only from code."""
    from spacy.lang.en import English

    import extractor.tokenizer  # noqa: F401  (registers the tokenizer function)

    nlp = English.from_config({"nlp": {"tokenizer": {"@tokenizers": "extractor.repairing_tokenizer.v1"}}})
    doc = nlp("pT4bN2aMlb after RO resection")
    assert [t.text for t in doc] == ["pT4bN2aM1b", "after", "R0", "resection"]


def test_factories_drug_formulation_is_not_a_procedure(nlp):
    import extractor

    result = extractor.extract("Octreotide LAR 30 mg monthly was started; a LAR was done in 2019.", nlp=nlp)
    assert [(m.label, m.text) for m in result.mentions if m.label in ("DRUG", "PROCEDURE")] == [
        ("DRUG", "Octreotide"), ("PROCEDURE", "LAR")]
