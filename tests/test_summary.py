"""The documents table's patient summary: age, sex, site, stage, key biomarkers, survival."""
import pytest

from extractor.records import Biomarker, Result, Section, Stage, Survival
from extractor.summary import SUMMARY_COLUMNS, find_age, find_primary_site, find_sex, summarise


@pytest.mark.parametrize("text,age", [
    ("A 51-year-old woman was admitted.", 51),
    ("He's a 70 years old man.", 70),
    ("A fourty two year old lady presented.", 42),
    ("The patient, aged 63, was referred.", 63),
    ("a 5 yo boy", 5),
    ("No age is given here.", None),
])
def test_summary_age(text, age):
    assert find_age(text) == age


@pytest.mark.parametrize("text,sex", [
    ("A 51-year-old woman was admitted.", "female"),
    ("A 48-year-old Caucasian male presented.", "male"),
    ("A 62-year-old, postmenopausal patient.", "female"),
    ("The patient was admitted. He had pain; his CEA was high.", "male"),
    ("The patient was admitted.", None),
    ("The patient was admitted. HER-2 was negative; HE staining; his CEA was high.", "male"),
])
def test_summary_sex(text, sex):
    assert find_sex(text) == sex


@pytest.mark.parametrize("text,site", [
    ("diagnosed with advanced rectal cancer", "rectum"),
    ("a moderately differentiated adenocarcinoma of the sigmoid colon", "colon"),
    ("invasive micropapillary adenocarcinoma in the left breast", "breast"),
    ("primary fallopian tube carcinoma", "fallopian tube"),
    ("medullary thyroid carcinoma", "thyroid"),
    ("stage IV NSCLC with EGFR mutation", "lung"),
    ("gall bladder carcinoma", "gallbladder"),
    ("cervical lymph node enlargement", None),
])
def test_summary_primary_site(text, site):
    assert find_primary_site(text) == site


def _result():
    text = "x" * 400
    return Result(
        doc_id="d", text=text,
        sections=[Section("case", 0, 300), Section("discussion", 300, 400)],
        mentions=[
            Stage(10, 18, "stage II", system="group", value="II", patient=True),
            Stage(20, 30, "pT3N1M0", system="tnm", value="pT3N1M0", patient=True),
            Stage(40, 48, "stage IV", system="group", value="IV", patient=True),
            Stage(310, 318, "stage I", system="group", value="I", patient=False),
            Biomarker(50, 54, "KRAS", marker="KRAS", result="mutated", kind="gene"),
            Biomarker(60, 69, "KRAS G12D", marker="KRAS", result="p.G12D", kind="gene"),
            Biomarker(70, 73, "MSS", marker="MSI", result="MSS", kind="msi"),
            Biomarker(74, 78, "EGFR", marker="EGFR", result="p.L858R", kind="gene"),
            Biomarker(75, 79, "EGFR", marker="EGFR", result="p.T790M", kind="gene"),
            Biomarker(76, 80, "EGFR", marker="EGFR", result="mutated", kind="gene"),
            Biomarker(80, 82, "CK", marker="CK", result="positive", kind="ihc"),
            Biomarker(90, 93, "CEA", marker="CEA", result="85.2 ug/L", kind="serum"),
            Survival(100, 107, "7 years", measure="os", value=7, unit="years", patient=True),
            Survival(110, 119, "86 months", measure="os", value=86, unit="months", patient=True),
            Survival(120, 129, "18 months", measure="dfs", value=18, unit="months", patient=True),
            Survival(320, 329, "23 months", measure="median_os", value=23, unit="months", patient=False),
        ])


def test_summary_from_typed_mentions():
    s = summarise(_result())
    assert tuple(s) == SUMMARY_COLUMNS
    assert s["latest_stage"] == "IV"
    assert s["key_biomarkers"] == "KRAS p.G12D; MSI MSS; EGFR p.L858R, p.T790M"
    assert s["overall_survival"] == "86 months"


def test_summary_seed(gold_file):
    import extractor

    path = gold_file("seed").parent / "seed-rectal-kras.txt"
    s = extractor.extract(path.read_text(encoding="utf-8")).summary
    assert (s["age"], s["sex"], s["primary_site"]) == (51, "female", "rectum")
    assert s["latest_stage"] == "IV"
    assert s["overall_survival"] == "86 months"
    assert s["key_biomarkers"].startswith("KRAS p.G12D")
