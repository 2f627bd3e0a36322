"""STAGE: matching and normalisation, OCR forms included, and the corpora."""
import pytest

import extractor
from extractor.normalize.stage import find_stages, normalise_group
from extractor.text import repair

CASES = [
    ("pT4bN2aM1b", [("pT4bN2aM1b", "tnm", "pT4bN2aM1b")]),
    ("advanced rectal cancer (pT4bN2aMlb, stage IV)", [("pT4bN2aMlb", "tnm", "pT4bN2aM1b"), ("stage IV", "group", "IV")]),
    ("a stage 1V tumour", [("stage 1V", "group", "IV")]),
    ("T3 N0 M0 disease", [("T3 N0 M0", "tnm", "T3N0M0")]),
    ("ypT0N0M0 after therapy", [("ypT0N0M0", "tnm", "ypT0N0M0")]),
    ("ypTONOMO after therapy", [("ypTONOMO", "tnm", "ypT0N0M0")]),
    ("clinically cT3NxM1 by CT", [("cT3NxM1", "tnm", "cT3NxM1")]),
    ("renal carcinoma (pT1bN0Mx)", [("pT1bN0Mx", "tnm", "pT1bN0Mx")]),
    ("a T2/3 N1 M0 tumour", [("T2/3 N1 M0", "tnm", "T2/3N1M0")]),
    ("stage IIIc ovarian cancer", [("stage IIIc", "group", "IIIC")]),
    ("Stage 4 lung cancer", [("Stage 4", "group", "IV")]),
    ("FIGO stage IB2 cervical cancer", [("stage IB2", "group", "IB2")]),
    ("staged as IIIC (T3N2M0)", [("IIIC", "group", "IIIC"), ("T3N2M0", "tnm", "T3N2M0")]),
    ("advanced-stage (III/IV) disease", [("III", "group", "III"), ("IV", "group", "IV")]),
    ("after R0 resection", [("R0", "residual", "R0")]),
    ("intraoperative RO resection", [("RO", "residual", "R0")]),
    ("RI resection is the presence", [("RI", "residual", "R1")]),
    ("for RO, Ri, and R2, respectively", [("RO", "residual", "R0"), ("Ri", "residual", "R1"), ("R2", "residual", "R2")]),
    ("Dukes C colon cancer", [("C", "group", "C")]),
    ("T2-weighted MRI showed a T2 hyperintense lesion", []),
    ("the correlation was R2 = 0.91", []),
    ("she was at an early stage of recovery", []),
    # prefixes written with a hyphen or on every part; comma-separated parts
    ("lung carcinoma, stage IV (c-T2bN2M1b)", [("stage IV", "group", "IV"), ("c-T2bN2M1b", "tnm", "cT2bN2M1b")]),
    ("staged pT2 pN1 M0 after surgery", [("pT2 pN1 M0", "tnm", "pT2N1M0")]),
    ("a ypT2 ypN0 tumour", [("ypT2 ypN0", "tnm", "ypT2N0")]),
    ("classified as T3, N1, M0 disease", [("T3, N1, M0", "tnm", "T3N1M0")]),
    # FIGO without the word stage; Ann Arbor letters; stage 0
    ("a FIGO IIIC2 endometrial carcinoma", [("FIGO IIIC2", "group", "IIIC2")]),
    ("FIGO grade 1 endometrioid carcinoma", []),
    ("Ann Arbor stage IV-B Hodgkin lymphoma", [("stage IV-B", "group", "IVB")]),
    ("gastric lymphoma, stage IIE", [("stage IIE", "group", "IIE")]),
    ("ductal carcinoma in situ, stage 0", [("stage 0", "group", "0")]),
    # not cancer stages
    ("stage 3 chronic kidney disease", []),
    ("known CKD stage 4 on dialysis", []),
    ("a sacral pressure ulcer stage 2", []),
    ("stage 2 hypertension was treated", []),
    ("end-stage renal disease", []),
    ("stage IV renal cell carcinoma", [("stage IV", "group", "IV")]),
    ("hypertension and stage III colon cancer", [("stage III", "group", "III")]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_stage_cases(nlp, text, expected):
    result = extractor.extract(text, nlp=nlp)
    got = [(m.text, m.system, m.value) for m in result.stages]
    assert got == expected
    for m in result.stages:
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("raw,value", [("IIIc", "IIIC"), ("4", "IV"), ("2a", "IIA"), ("IV", "IV"), ("1", "I"),
                                       ("IV-B", "IVB"), ("IIEB", "IIEB"), ("0", "0")])
def test_stage_normalise_group(raw, value):
    assert normalise_group(raw) == value


@pytest.mark.parametrize("raw,value", [("IIEB", "IIIB"), ("IE", "II"), ("IIIB", "IIIB"), ("IVE", "IV")])
def test_stage_e_outside_lymphoma_is_ocr_for_i(raw, value):
    assert normalise_group(raw, lymphoma=False) == value


@pytest.mark.parametrize("text,value", [
    ("One patient with stage IIEB pancreatic disease was treated.", "IIIB"),
    ("A diffuse large B-cell lymphoma, stage IIEB, was treated.", "IIEB"),
])
def test_stage_extranodal_letter_only_in_lymphoma(text, value):
    (_, _, attrs), = find_stages(text)
    assert attrs["value"] == value


def test_stage_tnm_parts_are_columns():
    text = repair("pT4bN2aMlb").clean
    (_, _, attrs), = find_stages(text)
    assert (attrs["prefix"], attrs["t"], attrs["n"], attrs["m"]) == ("p", "T4b", "N2a", "M1b")


def test_stage_seed_every_gold_mention(corpus_scores):
    s = corpus_scores("seed")
    assert s["strict"]["per_label"]["STAGE"]["recall"] == 1.0
    assert s["strict"]["per_label"]["STAGE"]["precision"] == 1.0
    assert s["normalisation"]["STAGE"]["value"]["accuracy"] == 1.0


def test_stage_oncology_dev_f1(corpus_scores):
    s = corpus_scores("oncology-dev")
    assert s["lenient"]["per_label"]["STAGE"]["f1"] >= 0.95
    assert s["normalisation"]["STAGE"]["value"]["accuracy"] >= 0.95


def test_stage_ocr_corpora_f1(corpus_scores):
    assert corpus_scores("oncology-dev-ocr")["lenient"]["per_label"]["STAGE"]["f1"] >= 0.93
    assert corpus_scores("seed-ocr")["lenient"]["per_label"]["STAGE"]["f1"] >= 0.90
