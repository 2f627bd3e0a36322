"""DRUG family: lexicon lookup, regimens, misspellings/OCR, line and cycles, corpus scores."""
from __future__ import annotations

import re

import pytest

from extractor.normalize.drugs import (code_lookup, drug_class, find_drugs, fuzzy_lookup, key,
                                       normalise_drug, stem_lookup)
from extractor.patterns import load_csv, load_jsonl

from conftest import gold_docs


def _found(text):
    return [(text[s:e], a) for s, e, a in find_drugs(text)]


def _names(text):
    return [(surface, a["name"]) for surface, a in _found(text)]


# --- normalise_drug: the entry point for model-proposed candidates --------------------------

@pytest.mark.parametrize("text,name", [
    ("oxaliplatin", "oxaliplatin"),
    ("Oxaliplatin", "oxaliplatin"),
    ("5-FU", "fluorouracil"),
    ("5-fluorouracil", "fluorouracil"),
    ("leucovorin", "folinic acid"),
    ("calcium folinic acid", "folinic acid"),
    ("calcium folinate", "folinic acid"),
    ("TAS-102", "trifluridine/tipiracil"),
    ("Lonsurf", "trifluridine/tipiracil"),
    ("Xeloda", "capecitabine"),
    ("Avastin", "bevacizumab"),
    ("Adriablastin", "doxorubicin"),
    ("plavix", "clopidogrel"),
    ("G-CSF", "granulocyte colony-stimulating factor"),
    ("granulocyte colony-stimulating factor", "granulocyte colony-stimulating factor"),
    ("IFO", "ifosfamide"),
    ("DOX", "doxorubicin"),
    ("EPI", "epirubicin"),
    ("cis-platinum", "cisplatin"),
    ("Cisplatinum", "cisplatin"),
    ("Pirazinamide", "pyrazinamide"),
    ("recombinant human interferon alpha-2b", "interferon alfa-2b"),
    ("paclitaxel liposome", "paclitaxel"),
    ("liposomal cytarabine", "cytarabine"),
    ("doxorubicin hydrochloride", "doxorubicin"),
    ("pémetrexed", "pemetrexed"),
    ("ciprofloxacin", "ciprofloxacin"),      # long tail: DrugBank-derived lexicon
    ("XELOX", "XELOX"),
    ("CAPOX", "XELOX"),
    ("mFOLFOX6", "FOLFOX"),
    ("R-CHOP", "R-CHOP"),
    ("XELOX-based", "XELOX"),
    ("cisplatin-induced", "cisplatin"),
    ("Oxaliplatin, ", "oxaliplatin"),
])
def test_drugs_normalise_known_names(text, name):
    attrs = normalise_drug(text)
    assert attrs is not None and attrs["name"] == name


@pytest.mark.parametrize("text,name", [
    ("etopside", "etoposide"),
    ("cetixumab", "cetuximab"),
    ("bevacizurnab", "bevacizumab"),
    ("capecttabine", "capecitabine"),
    ("trastuzuimab", "trastuzumab"),
    ("rituxirnab", "rituximab"),
    ("leucavorin", "folinic acid"),
    ("TAC102", "trifluridine/tipiracil"),
    ("cis-ptatinum", "cisplatin"),
])
def test_drugs_normalise_misspellings_and_ocr(text, name):
    attrs = normalise_drug(text)
    assert attrs is not None and attrs["name"] == name and attrs["match"] == "fuzzy"


@pytest.mark.parametrize("text", [
    "chemotherapy", "targeted agents", "steroids", "immunotherapy", "FDG", "18F-FDG",
    "gadolinium", "estrogen", "calcitonin", "platinum", "taxane",
    # real words near a drug name are not misspellings of it
    "perception", "streptomyces", "heparan", "morphing", "foliate",
    # short or unrelated words and codes
    "patient", "regimen", "ABC123", "CD20", "",
])
def test_drugs_normalise_rejects_non_drugs(text):
    assert normalise_drug(text) is None


def test_drugs_regimen_attrs_have_sorted_components():
    attrs = normalise_drug("FOLFIRI")
    assert attrs["components"] == "fluorouracil;folinic acid;irinotecan"
    assert attrs["drug_class"] == "regimen"
    assert attrs["atc"] == "L01BC02;V03AF03;L01CE02"          # the components' codes
    assert normalise_drug("TAS-102")["drugbank"] == "DB00432;DB09343"


def test_drugs_identifiers_and_class():
    attrs = normalise_drug("bevacizumab")
    assert attrs["atc"] == "L01FG01"
    assert attrs["drugbank"] == "DB00112"
    assert attrs["drug_class"] == "anti-VEGF monoclonal antibody"
    assert drug_class("L01XA03") == "platinum compound"
    assert drug_class("Z99") is None


# --- find_drugs over sentences ----------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("She received six rounds of XELOX (oxaliplatin and capecitabine) chemotherapy.",
     [("XELOX", "XELOX"), ("oxaliplatin", "oxaliplatin"), ("capecitabine", "capecitabine")]),
    ("long-term FOLFIRI- or XELOX-based chemotherapy regimens",
     [("FOLFIRI", "FOLFIRI"), ("XELOX", "XELOX")]),
    ("three cycles of cisplatin-pemetrexed chemotherapy",
     [("cisplatin", "cisplatin"), ("pemetrexed", "pemetrexed")]),
    ("one cycle of chemotherapy (cisplatin/pemetrexed).",
     [("cisplatin", "cisplatin"), ("pemetrexed", "pemetrexed")]),
    ("irinotecan, 5-FU, and calcium folinic acid",
     [("irinotecan", "irinotecan"), ("5-FU", "fluorouracil"), ("calcium folinic acid", "folinic acid")]),
    ("a combination of S-FU and oxaliplatin", [("S-FU", "fluorouracil"), ("oxaliplatin", "oxaliplatin")]),
    ("after the administration of granulocyte colony-stimulating factor (G-CSF).",
     [("granulocyte colony-stimulating factor", "granulocyte colony-stimulating factor"),
      ("G-CSF", "granulocyte colony-stimulating factor")]),
    ("intra-CSF liposomal cytarabine was given", [("liposomal cytarabine", "cytarabine")]),
    ("the targeted agents bevacizumab and regorafenib", [("bevacizumab", "bevacizumab"),
                                                          ("regorafenib", "regorafenib")]),
    ("with trastuzumab and taxane-based chemotherapy", [("trastuzumab", "trastuzumab")]),
    ("three cycles of cisplatinpemetrexed chemotherapy",
     [("cisplatin", "cisplatin"), ("pemetrexed", "pemetrexed")]),
    ("PET with 18F-FDG and contrast-enhanced CT", []),
    ("strongly positive for estrogen receptor and calcitonin", []),
    ("insulin-like growth factor 1 was raised", []),
    ("fasting insulin and C-peptide were high", []),
    ("serum insulin levels of 40 uU/ml", []),
    ("she was started on insulin and metformin", [("insulin", "insulin"), ("metformin", "metformin")]),
    ("the erlotinib concentration required to inhibit growth", [("erlotinib", "erlotinib")]),
    ("Octreotide scan with Indium-111 and Gallium-68 DOTATATE PET", []),
    ("an overnight dexamethasone suppression test", []),
    ("she was given octreotide LAR and dexamethasone", [("octreotide", "octreotide"),
                                                        ("dexamethasone", "dexamethasone")]),
    ("cells were positive for SOX-11 and CD20", []),
])
def test_drugs_find_in_sentences(text, expected):
    assert _names(text) == expected


@pytest.mark.parametrize("text,acronym,found", [
    ("failed to respond to two cycles of the AC regimen", "AC", True),
    ("four cycles of EC were given", "EC", True),
    ("then six cycles of TC chemotherapy", "TC", True),
    ("after the second cycle of TPF chemotherapy", "TPF", True),
    ("three courses of BEP", "BEP", True),
    ("25 cases of EC diagnosed during pregnancy", "EC", False),
    ("a pattern similar to that of EC not related", "EC", False),
    ("Hsiao YL, Chang TC. Fine needle aspiration", "TC", False),
    ("the AC joint was tender", "AC", False),
])
def test_drugs_short_regimens_need_therapy_context(text, acronym, found):
    assert (acronym in [s for s, _ in _names(text)]) is found


def test_drugs_regimen_defined_by_the_text():
    text = ("The neoadjuvant chemotherapy consisted in a combination of oxaliplatin, 5-FU, "
            "irinotecan, leucovorin and bevacizumab (OCFL-B). Two cycles of OCFL-B were given.")
    found = _found(text)
    regimens = [(s, a) for s, a in found if a.get("components")]
    assert [s for s, _ in regimens] == ["OCFL-B", "OCFL-B"]
    assert regimens[0][1]["name"] == "OCFL-B"
    assert regimens[0][1]["components"] == "bevacizumab;fluorouracil;folinic acid;irinotecan;oxaliplatin"


@pytest.mark.parametrize("text,acronym,components", [
    ("S-1 plus oxaliplatin (SOX) was given", "SOX", "oxaliplatin;tegafur/gimeracil/oteracil"),
    ("docetaxel 75 mg/m2 and cisplatin 75 mg/m2 (DP) every 3 weeks", "DP", "cisplatin;docetaxel"),
    ("carboplatin (AUC 5) plus paclitaxel (CP) was started", "CP", "carboplatin;paclitaxel"),
    ("GN (gemcitabine and nedaplatin) for four cycles. GN was stopped.", "GN", "gemcitabine;nedaplatin"),
])
def test_drugs_regimen_definitions_with_doses(text, acronym, components):
    regimens = [(s, a["components"]) for s, a in _found(text) if a.get("components")]
    assert (acronym, components) in regimens
    assert all(c == components for s, c in regimens if s == acronym)


@pytest.mark.parametrize("text", [
    "oxaliplatin and 5-FU (IV) every 2 weeks",
    "cisplatin and etoposide (CR) after two cycles",
    "carboplatin plus paclitaxel (NCCN) guidelines",
    "carboplatin plus paclitaxel (Table 2)",
])
def test_drugs_parenthesis_after_drugs_is_not_always_a_regimen(text):
    assert [a for s, a in _found(text) if a.get("components")] == []


def test_drugs_definition_overrides_standard_components():
    text = "doxorubicin plus cyclophosphamide (AC) regimen"
    (acro, attrs), = [(s, a) for s, a in _found(text) if s == "AC"]
    assert attrs["components"] == "cyclophosphamide;doxorubicin"
    text = "trastuzumab, paclitaxel plus cisplatin (TPC) and radiation"
    (acro, attrs), = [(s, a) for s, a in _found(text) if s == "TPC"]
    assert attrs["components"] == "cisplatin;paclitaxel;trastuzumab"


def test_drugs_abbreviation_after_single_drug_is_a_mention():
    assert _names("a regimen of 5-fluorouracil (5-FU), leucovorin") == [
        ("5-fluorouracil", "fluorouracil"), ("5-FU", "fluorouracil"), ("leucovorin", "folinic acid")]


@pytest.mark.parametrize("text,drug,line,cycles", [
    ("she should be switched to third-line therapy with regorafenib", "regorafenib", 3, None),
    ("a second-line chemotherapy regimen: FOLFIRI and bevacizumab", "bevacizumab", 2, None),
    ("He received first line chemotherapy with three cycles of cisplatin", "cisplatin", 1, 3),
    ("And six cycles of FOLFIRI were started", "FOLFIRI", None, 6),
    ("Adjuvant therapy consisted of 6\u00a0cycles of cyclophosphamide, epirubicin and fluorouracil",
     "fluorouracil", None, 6),
    ("palliative dacarbazine (250 mg/m2 per day for 4 days) for 4 cycles", "dacarbazine", None, 4),
    ("four courses of XELOX, then erlotinib", "erlotinib", None, None),
])
def test_drugs_line_and_cycles(text, drug, line, cycles):
    (attrs,) = [a for s, a in _found(text) if s == drug]
    assert attrs.get("line") == line
    assert attrs.get("cycles") == cycles


@pytest.mark.parametrize("text,found", [
    ("28.  Hart CD, De Boer RH. Profile of cabozantinib in thyroid cancer. Onco Targets Ther 2013;6:1-7.", []),
    ("Hart CD, De Boer RH. Profile of cabozantinib in thyroid\n\ncancer. Onco Targets Ther 2013;6 1-7.", []),
    ("The patient was treated with FOLFOX (Smith AB, et al.). He then received bevacizumab in 2013; "
     "6 cycles were given.", ["FOLFOX", "bevacizumab"]),
])
def test_drugs_citation_titles_are_not_mentions(text, found):
    assert [s for s, _ in _names(text)] == found


def test_drugs_mentions_are_flat_and_inside_text():
    text = "FOLFOX4 plus bevacizumab, then FOLFIRI (irinotecan, 5-FU, leucovorin) and TAS-102."
    spans = find_drugs(text)
    for (s1, e1, _), (s2, e2, _) in zip(spans, spans[1:]):
        assert e1 <= s2
    assert all(0 <= s < e <= len(text) for s, e, _ in spans)


def test_drugs_lookup_helpers():
    assert key("  5\u2013FU ") == "5-fu"
    assert fuzzy_lookup("etopside") == "etoposide"
    assert fuzzy_lookup("etoposide") is None          # exact names are not fuzzy matches
    assert fuzzy_lookup("regimen") is None
    assert code_lookup("TAC102") in ("tas102", "tas-102")
    assert code_lookup("CD133") is None


# --- every data row does what it says ---------------------------------------------------------

DRUG_ROWS = load_csv("drugs.csv", required=("name", "synonyms", "atc", "drugbank", "fuzzy", "example"))


@pytest.mark.parametrize("row", DRUG_ROWS, ids=lambda r: r["name"])
def test_drugs_lexicon_row_example(row):
    example = row["example"]
    if re.fullmatch(r"[a-z]{1,4}", example):      # short forms are matched in capitals only
        assert normalise_drug(example) is None
        example = example.upper()
    attrs = normalise_drug(example)
    assert attrs is not None and attrs["name"] == row["name"]
    assert row["name"] == row["name"].lower()
    assert not row["atc"] or re.fullmatch(r"[A-Z]\d\d(?:[A-Z]{1,2}(?:\d\d)?)?", row["atc"])
    assert not row["drugbank"] or re.fullmatch(r"DB\d{5}(?:;DB\d{5})*", row["drugbank"])


@pytest.mark.parametrize("row", load_csv("regimens.csv"), ids=lambda r: r["name"])
def test_drugs_regimen_row_example(row):
    found = [a for s, a in _found(row["example"]) if a.get("components")]
    assert [a["name"] for a in found] == [row["name"]]
    comps = row["components"].split(";")
    assert comps == sorted(comps) and found[0]["components"] == row["components"]


@pytest.mark.parametrize("row", load_csv("drugs_abbreviations.csv"), ids=lambda r: r["abbreviation"])
def test_drugs_abbreviation_row_example(row):
    found = [(s, a["name"]) for s, a in _found(row["example"])]
    assert (row["abbreviation"], row["name"]) in found
    if row["context"] == "yes":
        assert _found(f"The {row['abbreviation']} was seen.") == []


@pytest.mark.parametrize("text,expected", [
    ("5-FU/LV was given", [("5-FU", "fluorouracil"), ("LV", "folinic acid")]),
    ("PTX + DDP for 4 cycles", [("PTX", "paclitaxel"), ("DDP", "cisplatin")]),
    ("the PTX resolved after drainage", []),
    ("LV ejection fraction was low", []),
    ("CTX showed a mass", []),
])
def test_drugs_everyday_abbreviations_need_a_drug_or_therapy_nearby(text, expected):
    assert _names(text) == expected


@pytest.mark.parametrize("rule", load_jsonl("drugs_rules.jsonl"), ids=lambda r: r["id"])
def test_drugs_rule_example(rule):
    if "names" in rule:
        from extractor.normalize.drugs import _lexicon

        assert all(n in _lexicon().by_name for n in rule["names"]), rule["id"]
    m = re.search(rule["pattern"], rule["example"])
    assert m, rule["id"]
    if "value" in rule:
        from extractor.normalize.drugs import _number

        assert _number(m.group("n")) == rule["value"]


@pytest.mark.parametrize("row", load_csv("drugs_stems.csv"), ids=lambda r: r["stem"])
def test_drugs_stem_row_example(row):
    attrs = stem_lookup(row["example"])
    assert attrs == {"name": row["example"], "drug_class": row["drug_class"], "match": "stem"}


@pytest.mark.parametrize("text", ["machine", "concept", "mab", "nib", "inhibitor"])
def test_drugs_stem_needs_a_real_drug_shape(text):
    assert stem_lookup(text) is None


def test_drugs_unlisted_agent_found_by_stem():
    (surface, attrs), = _found("She was then started on quexolatinib 100 mg daily.")
    assert surface == "quexolatinib"
    assert attrs == {"name": "quexolatinib", "drug_class": "protein kinase inhibitor", "match": "stem"}
    assert normalise_drug("sintilimab")["drug_class"] == "monoclonal antibody"


@pytest.mark.parametrize("row", load_csv("drugs_stop.csv"), ids=lambda r: r["term"])
def test_drugs_stop_terms_are_never_drugs(row):
    assert normalise_drug(row["term"]) is None
    assert find_drugs(f"treated with {row['term']} daily") == []


def test_drugs_fuzzy_stop_words_are_never_drugs():
    for row in load_csv("drugs_fuzzy_stop.csv"):
        assert normalise_drug(row["word"]) is None, row["word"]


def test_drugs_broad_lexicon_sample():
    rows = load_csv("drugs_drugbank.csv")
    assert len(rows) > 5000
    for row in rows[::500]:
        attrs = normalise_drug(row["name"])
        assert attrs is not None and attrs.get("drugbank"), row["name"]


# --- the shared corpora -----------------------------------------------------------------------

def test_drugs_seed_every_gold_drug_found():
    (doc_id, text, mentions), = list(gold_docs("seed"))
    found = {(s, e): a for s, e, a in find_drugs(text)}
    for m in (m for m in mentions if m["label"] == "DRUG"):
        hit = [a for (s, e), a in found.items() if s < m["end"] and m["start"] < e]
        assert hit, m["text"]
        assert hit[0]["name"] == m["attrs"]["name"], m["text"]
        if "components" in m["attrs"]:
            assert hit[0]["components"] == m["attrs"]["components"]


def test_drugs_seed_tac102_not_given(nlp):
    import extractor

    (doc_id, text, mentions), = list(gold_docs("seed"))
    result = extractor.extract(text, nlp=nlp)
    (tac,) = [d for d in result.drugs if d.text == "TAC102"]
    assert tac.name == "trifluridine/tipiracil"
    assert tac.patient is False


@pytest.mark.parametrize("corpus,f1,name", [
    ("seed", 0.97, 0.97),
    ("seed-ocr", 0.93, 0.95),
    ("oncology-dev", 0.97, 0.98),
    ("oncology-dev-ocr", 0.96, 0.97),
])
def test_drugs_corpus_scores(corpus_scores, corpus, f1, name):
    s = corpus_scores(corpus)
    assert s["lenient"]["per_label"]["DRUG"]["f1"] >= f1
    assert s["normalisation"]["DRUG"]["name"]["accuracy"] >= name


# --- INN/USAN/BAN spellings, interferons, mineral salts ------------------------------------

@pytest.mark.parametrize("text,name", [
    # INN, USAN and BAN of one drug share one name: the INN (SCHEMA.md)
    ("chlorphenamine", "chlorphenamine"),
    ("chlorpheniramine", "chlorphenamine"),
    ("salbutamol", "salbutamol"),
    ("albuterol", "salbutamol"),
    ("glibenclamide", "glibenclamide"),
    ("glyburide", "glibenclamide"),
    ("pethidine", "pethidine"),
    ("meperidine", "pethidine"),
    ("isoproterenol", "isoprenaline"),
    ("nitroglycerin", "glyceryl trinitrate"),
    ("glyceryl trinitrate", "glyceryl trinitrate"),
    ("succinylcholine", "suxamethonium"),
    ("norethindrone", "norethisterone"),
    ("phytonadione", "phytomenadione"),
    ("torsemide", "torasemide"),
    ("ursodiol", "ursodeoxycholic acid"),
    ("mechlorethamine", "chlormethine"),
    ("colecalciferol", "colecalciferol"),
    ("cholecalciferol", "colecalciferol"),
    ("paracetamol", "paracetamol"),
    ("acetaminophen", "paracetamol"),
    ("adrenaline", "epinephrine"),
    ("cyclosporine", "ciclosporin"),
    ("lignocaine", "lidocaine"),
    ("rifampin", "rifampicin"),
    ("acyclovir", "aciclovir"),
    ("frusemide", "furosemide"),
    ("alendronate", "alendronic acid"),
    ("risedronate", "risedronic acid"),
    ("ibandronate", "ibandronic acid"),
    ("13-cis-retinoic acid", "isotretinoin"),
    ("co-amoxiclav", "amoxicillin/clavulanic acid"),
    ("Keppra", "levetiracetam"),
    ("thiopentone", "thiopental"),
    ("mycophenolate", "mycophenolate mofetil"),
    ("L-thyroxine", "levothyroxine"),
    # British/INN spelling twins generated by the build script
    ("cefalexin", "cephalexin"),
    ("cephalexin", "cephalexin"),
    ("oestradiol", "estradiol"),
    ("sulphasalazine", "sulfasalazine"),
    ("sulphamethoxazole", "sulfamethoxazole"),
    ("ethinyloestradiol", "ethinylestradiol"),
    # interferons (melanoma, renal cell carcinoma)
    ("interferon alfa", "interferon alfa"),
    ("interferon alpha", "interferon alfa"),
    ("interferon-α", "interferon alfa"),
    ("IFN-α", "interferon alfa"),
    ("IFN-alpha", "interferon alfa"),
    ("IFNα", "interferon alfa"),
    ("interferon alfa-2b", "interferon alfa-2b"),
    ("interferon alpha 2b", "interferon alfa-2b"),
    ("IFN-α2b", "interferon alfa-2b"),
    ("peginterferon alfa-2b", "peginterferon alfa-2b"),
    ("pegylated interferon alfa-2b", "peginterferon alfa-2b"),
    ("PEG-IFN-α-2a", "peginterferon alfa-2a"),
    ("pegylated interferon", "peginterferon alfa"),
    ("PEG-IFN", "peginterferon alfa"),
    ("interferon", "interferon"),
    # mineral salts given as medicines
    ("calcium carbonate", "calcium carbonate"),
    ("potassium chloride", "potassium chloride"),
    ("sodium bicarbonate", "sodium bicarbonate"),
    ("magnesium sulfate", "magnesium sulfate"),
    ("magnesium sulphate", "magnesium sulfate"),
    ("ferrous sulfate", "ferrous sulfate"),
    ("ferrous sulphate", "ferrous sulfate"),
    ("calcium lactate", "calcium lactate"),
    ("aluminium hydroxide", "aluminum hydroxide"),
    ("lithium carbonate", "lithium carbonate"),
    ("calcium gluconate", "calcium gluconate"),
    # abbreviations in mixed case and a conditioning regimen
    ("CsA", "ciclosporin"),
    ("AmB", "amphotericin b"),
    ("BuCy", "BUCY"),
    ("Bu/Cy", "BUCY"),
])
def test_drugs_inn_spellings_interferons_and_salts(text, name):
    attrs = normalise_drug(text)
    assert attrs is not None and attrs["name"] == name
    sentence = f"She was given {text} daily."
    assert [a["name"] for s, a in _found(sentence)] == [name]
    assert [s for s, a in _found(sentence)] == [text]


@pytest.mark.parametrize("text", [
    # an element alone is a lab analyte; reagents, fluids and tests are not drugs
    "Serum potassium was 3.1 mmol/L.",
    "Calcium and magnesium were normal.",
    "Iron studies were normal.",
    "She had 0.9% sodium chloride as the vehicle.",
    "A plaster of calcium sulfate was used.",
    "The interferon-gamma release assay was negative.",
    "Serum IFN-γ was raised.",
    "Interferon gamma levels were measured.",
    "CSA of the lesion was 4 cm2.",
    "The AMB was unremarkable.",
    "The IFN pathway was discussed.",
    # English words near new names are not misspelt drugs
    "It could interfere with wound healing.",
    "An augmented dose was planned.",
])
def test_drugs_analytes_reagents_and_words_are_not_new_drugs(text):
    assert _found(text) == []


@pytest.mark.parametrize("raw, value", [
    ("4", 4), ("four", 4), ("Twelve", 12), ("twenty", 20), ("third", 3), ("2nd", 2), ("front", 1),
    ("several", None),
])
def test_counts_and_line_numbers_as_written(raw, value):
    """Cycle counts and line numbers: cardinals from the shared number words (one
    definition with SURVIVAL), ordinals from patterns/drugs_context.jsonl."""
    from extractor.normalize.drugs import _number

    assert _number(raw) == value
