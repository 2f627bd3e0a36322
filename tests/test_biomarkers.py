"""BIOMARKER: names, variants tied to genes, results (signs, lists, values, MSI), the
pattern files' own examples, and the shared corpora."""
import re

import pytest

import extractor
from extractor.normalize.biomarkers import (VARIANT_RX, first_chars, find_biomarkers, hotspot_gene,
                                            normalise_unit, normalise_variant)
from extractor.patterns import load_csv, load_jsonl

from conftest import gold_docs

CASES = [
    # genes and variants
    ("diagnosed with the KRAS G12D mutation", [("KRAS G12D", "KRAS", "p.G12D")]),
    ("Genetic testing suggested mutations at the G12D locus of the KRAS gene.", [("KRAS", "KRAS", "p.G12D")]),
    ("The patient had a K-RAS mutation.", [("K-RAS", "KRAS", "mutated")]),
    ("K-RAS mutation is a predictor of poor prognosis in rectal cancer.", [("K-RAS", "KRAS", None)]),
    ("Sequencing showed KRAS p.Gly12Asp in the tumour.", [("KRAS p.Gly12Asp", "KRAS", "p.G12D")]),
    ("Sequencing revealed EGFR exon 19 deletion.", [("EGFR exon 19 deletion", "EGFR", "exon 19 deletion")]),
    ("The tumour harboured BRAF V600E.", [("BRAF V600E", "BRAF", "p.V600E")]),
    ("cells harbored L858R predicting response", [("L858R", "EGFR", "p.L858R")]),
    ("but not the T790M resistance mutation", [("T790M", "EGFR", "negative")]),
    ("a TTF1 positive, EGFR wild-type adenocarcinoma", [("TTF1", "NKX2-1", "positive"), ("EGFR", "EGFR", "negative")]),
    ("FISH identified an ALK rearrangement.", [("ALK", "ALK", "positive")]),
    ("and lack of BRAF mutation suggestive of Lynch syndrome", [("BRAF", "BRAF", "negative")]),
    ("Sequencing identified an EGFR exon 21 L858R mutation.", [("EGFR exon 21 L858R", "EGFR", "p.L858R")]),
    ("Genetic analysis revealed a BRCA2 germline mutation (c.5946delT).", [("BRCA2", "BRCA2", "c.5946delT")]),
    ("PIK3CA mutation (H1047R) was found.", [("PIK3CA", "PIK3CA", "p.H1047R")]),
    ("Sequencing showed KRAS p.(Gly12Asp).", [("KRAS p.(Gly12Asp)", "KRAS", "p.G12D")]),
    ("Testing for KRAS, NRAS and BRAF revealed no alterations.", [("KRAS", "KRAS", "negative"),
                                                                 ("NRAS", "NRAS", "negative"),
                                                                 ("BRAF", "BRAF", "negative")]),
    ("The patient had KRAS and NRAS mutations.", [("KRAS", "KRAS", "mutated"), ("NRAS", "NRAS", "mutated")]),
    ("HER2 mutations are rare in breast cancer.", [("HER2", "ERBB2", None)]),
    ("KRAS codon 12 mutation was found in the tumour.", [("KRAS", "KRAS", "mutated")]),
    ("The KRAS mutation status was wild-type.", [("KRAS", "KRAS", "negative")]),
    ("Staining for MLH1 and PMS2 showed loss of nuclear expression, while MSH2 and MSH6 were preserved.",
     [("MLH1", "MLH1", "negative"), ("PMS2", "PMS2", "negative"), ("MSH2", "MSH2", "positive"),
      ("MSH6", "MSH6", "positive")]),
    ("The tumour cells expressed CK7 but not CK20.", [("CK7", "KRT7", "positive"), ("CK20", "KRT20", "negative")]),
    # drug targets and generic gene talk are not mentions
    ("direct KRAS small molecule inhibitors that bind directly to KRAS and inhibit", []),
    ("She received an EGFR TKI and anti-PD-L1 therapy.", []),
    ("first, KRAS has a similar GTP-binding region", []),
    ("after progression on BRAF/MEK inhibitors and PD-1/PD-L1 blockade", []),
    # immunohistochemistry
    ("Immunohistochemistry showed CK (+), CDX-2 (+) and approximately 30% P53 in cancer cells.",
     [("CK", "CK", "positive"), ("CDX-2", "CDX2", "positive"), ("P53", "TP53", "30%")]),
    ("and Ki-67 approximately 40% (+).", [("Ki-67", "MKI67", "40%")]),
    ("the cells were positive for cyclin D1, CD20 and Bcl-2, but negative for CD3 and CD10.",
     [("cyclin D1", "CCND1", "positive"), ("CD20", "MS4A1", "positive"), ("Bcl-2", "BCL2", "positive"),
      ("CD3", "CD3", "negative"), ("CD10", "MME", "negative")]),
    ("strongly positive for estrogen receptors (ER) and progesterone receptors (PR), negative for cerbB2.",
     [("estrogen receptors", "ESR1", "positive"), ("ER", "ESR1", "positive"),
      ("progesterone receptors", "PGR", "positive"), ("PR", "PGR", "positive"), ("cerbB2", "ERBB2", "negative")]),
    ("metastatic ductal adenocarcinoma (ER+ (8/8) and HER2+ (3+))", [("ER", "ESR1", "positive"), ("HER2", "ERBB2", "positive")]),
    ("HER2 (1+) on immunohistochemistry", [("HER2", "ERBB2", "negative")]),
    ("Estrogen receptor and progesterone receptor were negative, and HER2 was positive.",
     [("Estrogen receptor", "ESR1", "negative"), ("progesterone receptor", "PGR", "negative"),
      ("HER2", "ERBB2", "positive")]),
    ("ER and PR were positive in 90% and 40% of tumour cells, respectively.", [("ER", "ESR1", "90%"), ("PR", "PGR", "40%")]),
    ("The tumor cells were diffusely immunoreactive for CD117 and DOG1.", [("CD117", "KIT", "positive"),
                                                                         ("DOG1", "ANO1", "positive")]),
    ("The Ki67 index was 3% to 5%; it was higher", [("Ki67", "MKI67", "3-5%")]),
    ("positive expression of cytokeratin 20 (CK20) but no expression of cytokeratin 7 (CK7)",
     [("cytokeratin 20", "KRT20", "positive"), ("CK20", "KRT20", "positive"),
      ("cytokeratin 7", "KRT7", "negative"), ("CK7", "KRT7", "negative")]),
    ("Immunostaining was CD 117 positive.", [("CD 117", "KIT", "positive")]),
    ("PD-L1 TPS 60% on the biopsy", [("PD-L1", "CD274", "60%")]),
    ("PD-L1 expression (22C3) was high with a TPS of 80%.", [("PD-L1", "CD274", "80%")]),
    ("EBER in situ hybridization was negative.", [("EBER", "EBV", "negative")]),
    # ambiguous short names need an IHC context
    ("partial response (PR), a decrease in size of 10%", []),
    ("The ER was crowded and the PR department called.", []),
    # mismatch repair and MSI
    ("The patient had a microsatellite stable tumor (MSS: MLH1 (+), MSH2 (+), PMS2 (+))",
     [("microsatellite stable", "MSI", "MSS"), ("MSS", "MSI", "MSS"), ("MLH1", "MLH1", "positive"),
      ("MSH2", "MSH2", "positive"), ("PMS2", "PMS2", "positive")]),
    ("No relation to microsatellite instability (MSI) was observed.",
     [("microsatellite instability", "MSI", "MSS"), ("MSI", "MSI", "MSS")]),
    ("The tumour was MSI-H with loss of MLH1 expression.", [("MSI-H", "MSI", "MSI-H"), ("MLH1", "MLH1", "negative")]),
    ("Ki-67 (+, 60%) in tumour cells", [("Ki-67", "MKI67", "60%")]),
    ("HER2 amplification was not detected.", [("HER2", "ERBB2", "negative")]),
    ("The tumour was KRAS/NRAS/BRAF wild-type.", [("KRAS", "KRAS", "negative"), ("NRAS", "NRAS", "negative"),
                                                  ("BRAF", "BRAF", "negative")]),
    ("Sequencing showed KRAS c.35G>A (p.G12D).", [("KRAS c.35G>A", "KRAS", "p.G12D")]),
    ("MLH1, MSH2 and PMS2 were intact.", [("MLH1", "MLH1", "positive"), ("MSH2", "MSH2", "positive"),
                                          ("PMS2", "PMS2", "positive")]),
    ("a deficient mismatch repair (dMMR) tumour", [("deficient mismatch repair", "MMR", "deficient"),
                                                  ("dMMR", "MMR", "deficient")]),
    # serum markers
    ("with blood levels of 85.2 ug/L for CEA and 82.1 kU/L for CA199.",
     [("CEA", "CEA", "85.2 ug/L"), ("CA199", "CA19-9", "82.1 kU/L")]),
    ("elevated levels of carcinoembryonic antigen (CEA, 335.2 ng/mL [normal, <5 ng/mL])",
     [("carcinoembryonic antigen", "CEA", "335.2 ng/mL"), ("CEA", "CEA", "335.2 ng/mL")]),
    ("Serum calcitonin was raised 100 times above the normal level being 1404 pg/ml.",
     [("calcitonin", "calcitonin", "1404 pg/ml")]),
    ("Cancer antigen-125 was elevated, while carcinoembrionic antigen and alpha-fetoprotein were normal.",
     [("Cancer antigen-125", "CA-125", "elevated"), ("carcinoembrionic antigen", "CEA", "normal"),
      ("alpha-fetoprotein", "AFP", "normal")]),
    ("Her AFP level increased dramatically to 780.2 ng/ml.", [("AFP", "AFP", "780.2 ng/ml")]),
    ("AFP was >1000 ng/mL at admission.", [("AFP", "AFP", ">1000 ng/mL")]),
    ("The serum AFP level was markedly elevated (>2000 ng/mL).", [("AFP", "AFP", ">2000 ng/mL")]),
    ("Serum levels of CEA (3.2 ng/mL) and CA19-9 (15 U/mL) were within normal ranges.",
     [("CEA", "CEA", "3.2 ng/mL"), ("CA19-9", "CA19-9", "15 U/mL")]),
    ("Preoperative CEA and CA19-9 levels were 25.3 ng/mL and 89 U/mL, respectively.",
     [("CEA", "CEA", "25.3 ng/mL"), ("CA19-9", "CA19-9", "89 U/mL")]),
    ("CA19-9 was 1,234 U/mL.", [("CA19-9", "CA19-9", "1,234 U/mL")]),
    ("CEA was normal (<5 ng/mL).", [("CEA", "CEA", "normal")]),
    ("CEA values more than 100 ng/mL are found to be associated with metastasis.", [("CEA", "CEA", None)]),
    ("only 40% of all cases with raised serum calcitonin levels actually have MTC.", [("calcitonin", "calcitonin", None)]),
    ("peptide hormones such as calcitonin, serotonin", []),
    ("a left coronary artery (LCA) ostium", []),
    ("CK was 1200 U/L and CK-MB 40 U/L", []),
    ("the superior mesenteric artery (SMA) was encased", []),
    ("his CD4 count was 7 cells/uL and CD8+ T cells were few", []),
    ("metastatic ductal adenocarcinoma (ER (8/8))", [("ER", "ESR1", "positive")]),
    # a gene written against its change without a space
    ("Sequencing of her marrow revealed the JAK2V617F mutation.", [("JAK2V617F", "JAK2", "p.V617F")]),
    ("The detection of the BRAFV600E mutation led to the diagnosis.", [("BRAFV600E", "BRAF", "p.V600E")]),
    # c-Kit in a list of negatives; an IHC score after `was`; Bcl-1 is cyclin D1
    ("The tumour was negative for c-Kit, CD31 and desmin.",
     [("c-Kit", "KIT", "negative"), ("CD31", "PECAM1", "negative"), ("desmin", "DES", "negative")]),
    ("Her tumour's HER2 was 3+ by immunohistochemistry.", [("HER2", "ERBB2", "positive")]),
    ("Immunostaining showed strong Bcl-1 reactivity.", [("Bcl-1", "CCND1", None)]),
    ("Her serum PIVKA-II was 345 mAU/mL.", [("PIVKA-II", "PIVKA-II", "345 mAU/mL")]),
    # the staining antibody names the marker; a drug's target does not
    ("Immunohistochemistry showed positivity for anti-CK7 (Figure 4), AE1/AE3 and negativity for anti CEA and anti CK20.",
     [("CK7", "KRT7", "positive"), ("AE1/AE3", "CK", "positive"), ("CEA", "CEA", "negative"), ("CK20", "KRT20", "negative")]),
    ("He then received anti-EGFR therapy.", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_biomarker_cases(nlp, text, expected):
    result = extractor.extract(text, nlp=nlp)
    got = [(m.text, m.marker, m.result) for m in result.biomarkers]
    assert got == expected
    for m in result.biomarkers:
        assert text[m.start:m.end] == m.text


def test_biomarker_value_columns(nlp):
    (m,) = extractor.extract("Serum CEA was 85.2 ug/L.", nlp=nlp).biomarkers
    assert (m.result, m.value, m.unit, m.kind) == ("85.2 ug/L", 85.2, "ng/mL", "serum")


@pytest.mark.parametrize("unit,factor,canon", [
    ("ug/L", 1.0, "ng/mL"), ("µg/L", 1.0, "ng/mL"), ("μg/L", 1.0, "ng/mL"), ("ng/mL", 1.0, "ng/mL"),
    ("ng/ml", 1.0, "ng/mL"), ("pg/ml", 0.001, "ng/mL"), ("kU/L", 1.0, "U/mL"), ("U/mL", 1.0, "U/mL"),
    ("IU/L", 0.001, "U/mL"), ("mIU/ml", 0.001, "U/mL"), ("nmol/L", 1.0, "nmol/L"),
])
def test_biomarker_units_with_pint(unit, factor, canon):
    got_factor, got_canon = normalise_unit(unit)
    assert got_canon == canon
    assert got_factor == pytest.approx(factor)


@pytest.mark.parametrize("written,change", [
    ("G12D", "p.G12D"), ("p.G12D", "p.G12D"), ("p.Gly12Asp", "p.G12D"), ("p.(Gly12Asp)", "p.G12D"),
    ("p.Leu858Arg", "p.L858R"), ("c.35G>A", "c.35G>A"), ("exon 19 deletion", "exon 19 deletion"),
    ("deletion in exon 19", "exon 19 deletion"), ("exon 20 insertions", "exon 20 insertion"),
])
def test_biomarker_variant_forms(written, change):
    m = VARIANT_RX.fullmatch(written)
    assert m is not None
    assert normalise_variant(m) == change


@pytest.mark.parametrize("change,gene", [("p.G12D", "KRAS"), ("p.V600E", "BRAF"), ("p.T790M", "EGFR"),
                                         ("exon 19 deletion", "EGFR"), ("p.A1B", None)])
def test_biomarker_hotspot_gene(change, gene):
    assert hotspot_gene(change) == gene


@pytest.mark.parametrize("pattern,chars", [("CEA", {"C"}), ("(?i:cea)", {"c", "C"}), ("[Kk]i-?67|MIB", {"K", "k", "M"}),
                                           ("(?:p\\.)?G12", {"p", "G"}), (".x", None)])
def test_biomarker_first_chars(pattern, chars):
    got = first_chars(pattern)
    assert (set(got) if got is not None else None) == chars


MARKER_ROWS = load_csv("biomarkers_markers.csv", required=("pattern", "marker", "kind", "context", "flags", "example"))


@pytest.mark.parametrize("row", MARKER_ROWS, ids=lambda r: r["example"])
def test_biomarker_lexicon_examples_match_their_rule(row):
    pat = row["pattern"] if "i" not in row["flags"] else f"(?i:{row['pattern']})"
    assert re.fullmatch(pat, row["example"]), row


@pytest.mark.parametrize("row", load_csv("biomarkers_variants.csv", required=("pattern", "gene", "example")),
                         ids=lambda r: r["example"])
def test_biomarker_variant_examples_match_their_rule(row):
    assert re.fullmatch(row["pattern"], row["example"])
    assert hotspot_gene("p." + row["example"]) == row["gene"]


@pytest.mark.parametrize("row", load_jsonl("biomarkers_results.jsonl",
                                           required=("id", "where", "result", "kinds", "pattern", "example")),
                         ids=lambda r: r["id"])
def test_biomarker_result_cue_examples_match_their_rule(row):
    assert re.search(row["pattern"], row["example"], re.MULTILINE), row


def test_biomarker_lexicon_names_are_found_alone():
    """Every lexicon example is found as a whole name in a sentence that gives it context."""
    for row in MARKER_ROWS:
        listed = "CEA, " if row["context"] == "list" else ""  # a list-only name needs company
        text = f"Staining was positive for {listed}{row['example']} (+)."
        found = [text[s:e] for s, e, _ in find_biomarkers(text)]
        assert row["example"] in found, (row["example"], found)


def test_biomarker_seed_every_gold_mention(nlp):
    for doc_id, text, mentions in gold_docs("seed"):
        result = extractor.extract(text, nlp=nlp)
        got = {(m.start, m.end): (m.marker, m.result) for m in result.biomarkers}
        for g in (m for m in mentions if m["label"] == "BIOMARKER"):
            assert got.get((g["start"], g["end"])) == (g["attrs"]["marker"], g["attrs"].get("result")), g


def test_biomarker_oncology_dev_scores(corpus_scores):
    s = corpus_scores("oncology-dev")
    assert s["lenient"]["per_label"]["BIOMARKER"]["f1"] >= 0.97
    assert s["normalisation"]["BIOMARKER"]["marker"]["accuracy"] >= 0.97
    assert s["normalisation"]["BIOMARKER"]["result"]["accuracy"] >= 0.96


def test_biomarker_ocr_corpora_scores(corpus_scores):
    assert corpus_scores("seed-ocr")["lenient"]["per_label"]["BIOMARKER"]["f1"] >= 0.95
    dev = corpus_scores("oncology-dev-ocr")
    assert dev["lenient"]["per_label"]["BIOMARKER"]["f1"] >= 0.90
    assert dev["normalisation"]["BIOMARKER"]["marker"]["accuracy"] >= 0.95
    assert dev["normalisation"]["BIOMARKER"]["result"]["accuracy"] >= 0.80


@pytest.mark.parametrize("name, result", [("MSS", "MSS"), ("microsatellite-stable", "MSS"), ("MSI-high", "MSI-H"),
                                          ("dMMR", "deficient"), ("proficient mismatch repair", "proficient"),
                                          ("MSI-L", "MSI-L"), ("MSI", None)])
def test_biomarkers_intrinsic_results_from_data(name, result):
    """Microsatellite names that carry their own result (patterns/biomarkers_context.jsonl)."""
    from extractor.normalize.biomarkers import _intrinsic

    assert _intrinsic(name) == result
