"""PROCEDURE: the noun-phrase grammar, categories and names, OCR forms, abbreviations,
every lexicon row and grammar rule, ``normalise_procedure``, and the shared corpora."""
import re

import pytest

import extractor
from extractor.normalize.procedures import (CATEGORIES, find_procedures, fuzzy_word,
                                            normalise_procedure)
from extractor.patterns import load_csv, load_jsonl
from extractor.text import repair

from conftest import gold_docs


def found(text):
    """(covered text, category, name) of every mention, whitespace squeezed."""
    return [(re.sub(r"\s+", " ", text[s:e]), a["category"], a["name"]) for s, e, a in find_procedures(text)]


CASES = [
    # surgery: modifiers (approach, extent, side, organ) stay in the span, "for ..." does not
    ("She underwent laparoscopic radical surgery for colon cancer.",
     [("laparoscopic radical surgery", "surgery", "surgery")]),
    ("a right ovariectomy was done", [("right ovariectomy", "surgery", "oophorectomy")]),
    ("after a laparoscopic partial rectal resection and sigmoid colostomy",
     [("laparoscopic partial rectal resection", "surgery", "resection"),
      ("sigmoid colostomy", "surgery", "colostomy")]),
    ("resection of liver metastases was planned", [("resection of liver metastases", "surgery", "resection")]),
    ("a transanal resection of rectum, anus and bladder",
     [("transanal resection of rectum, anus and bladder", "surgery", "resection")]),
    ("total abdominal hysterectomy and bilateral salpingo-oophorectomy",
     [("total abdominal hysterectomy", "surgery", "hysterectomy"),
      ("bilateral salpingo-oophorectomy", "surgery", "salpingo-oophorectomy")]),
    ("a modified radical mastectomy with axillary lymph node dissection",
     [("modified radical mastectomy", "surgery", "mastectomy"),
      ("axillary lymph node dissection", "surgery", "dissection")]),
    ("a free myocutaneous flap graft closed the wound", [("free myocutaneous flap graft", "surgery", "graft")]),
    ("a Whipple's procedure", [("Whipple's procedure", "surgery", "pancreaticoduodenectomy")]),
    ("an emergency cesarean section", [("cesarean section", "surgery", "cesarean section")]),
    ("the pancreaticojejunostomy leaked", [("pancreaticojejunostomy", "surgery", "pancreaticojejunostomy")]),
    # ablation, radiotherapy, other
    ("CT-guided radiofrequency ablation of the lesion",
     [("CT-guided radiofrequency ablation of the lesion", "ablation", "radiofrequency ablation")]),
    ("she received adjuvant whole-brain radiation therapy",
     [("whole-brain radiation therapy", "radiotherapy", "radiotherapy")]),
    ("concurrent chemoradiotherapy and SBRT", [("chemoradiotherapy", "radiotherapy", "chemoradiotherapy"),
                                              ("SBRT", "radiotherapy", "stereotactic body radiotherapy")]),
    ("iodine-125 seed implantation", [("seed implantation", "radiotherapy", "radioactive seed implantation")]),
    ("right portal vein embolization", [("right portal vein embolization", "other", "embolization")]),
    ("pelvic/perineal drainage was placed", [("pelvic/perineal drainage", "other", "drainage")]),
    # endoscopy, imaging, biopsy
    ("Total colonoscopy and EUS were normal", [("Total colonoscopy", "endoscopy", "colonoscopy"),
                                               ("EUS", "endoscopy", "endoscopic ultrasound")]),
    ("the rectoscopic examination showed", [("rectoscopic examination", "endoscopy", "rectoscopy")]),
    ("abdominal CT and chest x-ray", [("abdominal CT", "imaging", "computed tomography"),
                                      ("chest x-ray", "imaging", "radiography")]),
    ("a pelvic CT and plain and enhanced MRI", [("pelvic CT", "imaging", "computed tomography"),
                                                ("plain and enhanced MRI", "imaging", "magnetic resonance imaging")]),
    ("the CT enhanced scan showed", [("CT enhanced scan", "imaging", "computed tomography")]),
    ("18F-FDG PET/CT revealed", [("18F-FDG PET/CT", "imaging",
                                  "positron emission tomography/computed tomography")]),
    ("CT/MRI can be done", [("CT", "imaging", "computed tomography"),
                            ("MRI", "imaging", "magnetic resonance imaging")]),
    ("Ultrasonography of the neck showed", [("Ultrasonography of the neck", "imaging", "ultrasonography")]),
    ("a bilateral mammography", [("bilateral mammography", "imaging", "mammography")]),
    ("a CT-guided percutaneous lung biopsy", [("CT-guided percutaneous lung biopsy", "biopsy", "biopsy")]),
    ("Fine-needle aspiration cytology of the nodule",
     [("Fine-needle aspiration cytology of the nodule", "biopsy", "fine-needle aspiration")]),
    ("core biopsies from the breast lump", [("core biopsies from the breast lump", "biopsy", "biopsy")]),
    # abbreviation defined in parentheses: its own mention, and later bare uses
    ("pelvic exenteration (PE) is radical. After PE she recovered.",
     [("pelvic exenteration", "surgery", "exenteration"), ("PE", "surgery", "exenteration"),
      ("PE", "surgery", "exenteration")]),
    # OCR damage
    ("pélvic exeitteration", [("pélvic exeitteration", "surgery", "exenteration")]),
    ("Total thyroidectotny", [("Total thyroidectotny", "surgery", "thyroidectomy")]),
    ("radiofrequency ablatioin", [("radiofrequency ablatioin", "ablation", "radiofrequency ablation")]),
    ("Magnetic resoriance imaging", [("Magnetic resoriance imaging", "imaging", "magnetic resonance imaging")]),
    ("a preoperative C'T and MRI", [("C'T", "imaging", "computed tomography"),
                                    ("MRI", "imaging", "magnetic resonance imaging")]),
    ("a Dixon procedure and endoscopic submucosal dissection",
     [("Dixon procedure", "surgery", "anterior resection"),
      ("endoscopic submucosal dissection", "endoscopy", "endoscopic submucosal dissection")]),
    # not procedures
    ("she had undergone seven surgeries and surgical procedures", []),
    ("intraoperative R0 resection was achieved", []),
    ("after the surgery and the procedure", []),
    ("chemotherapy, immunohistochemistry and genetic testing", []),
    ("imaging showed a mass", []),
    ("no history of radiation exposure", []),
    ("an aortic dissection", []),
    ("partial radiographic response", []),
    ("abdominal distention and deep inspiration", []),
    ("access for the colonoscope", []),
    ("the CT value of the mass", []),
    ("Smith AB, Netea-Maier RT, Chang CT. A study", []),
    ("a liquid biopsy for ctDNA", []),
    # hyphenated prefixes are read as one word (trans-sphenoidal = transsphenoidal)
    ("she underwent trans-sphenoidal surgery", [("trans-sphenoidal surgery", "surgery", "surgery")]),
    ("a trans-anal excision of the tumor", [("trans-anal excision of the tumor", "surgery", "excision")]),
    ("trans-arterial chemoembolization", [("trans-arterial chemoembolization", "other", "chemoembolization")]),
    ("transcatheter arterial embolization", [("transcatheter arterial embolization", "other", "embolization")]),
    ("intra-operative radiotherapy was given", [("intra-operative radiotherapy", "radiotherapy",
                                                 "intraoperative radiotherapy")]),
    ("a video-assisted thoracoscopic lobectomy", [("video-assisted thoracoscopic lobectomy", "surgery", "lobectomy")]),
    ("a pancreatico-duodenectomy", [("pancreatico-duodenectomy", "surgery", "pancreaticoduodenectomy")]),
    ("an abdomino-perineal resection", [("abdomino-perineal resection", "surgery", "resection")]),
    ("retro-peritoneal lymph node dissection", [("retro-peritoneal lymph node dissection", "surgery", "dissection")]),
    ("a transperineal biopsy", [("transperineal biopsy", "biopsy", "biopsy")]),
    ("a subsegmental resection of the mass", [("subsegmental resection of the mass", "surgery", "resection")]),
    ("computed tomography\u2013guided biopsy", [("computed tomography\u2013guided biopsy", "biopsy", "biopsy")]),
    ("the post-ablation ECG and post-operative radiotherapy", [("radiotherapy", "radiotherapy", "radiotherapy")]),
    ("a hand-assisted laparoscopic colectomy", [("hand-assisted laparoscopic colectomy", "surgery", "colectomy")]),
    ("an upper GI endoscopy and a diverting loop ileostomy", [("upper GI endoscopy", "endoscopy", "endoscopy"),
                                                              ("diverting loop ileostomy", "surgery", "ileostomy")]),
    ("chemo-radiotherapy and a chest x-ray", [("chemo-radiotherapy", "radiotherapy", "chemoradiotherapy"),
                                              ("chest x-ray", "imaging", "radiography")]),
    ("a pre-pelvic exenteration workup", [("pelvic exenteration", "surgery", "exenteration")]),
    # an urgency word does not name the operation: still the class word alone
    ("emergency surgery was needed", []),
    ("she had emergent surgery", []),
    # imaging studies named by a modifier or an organ and scan/film; imaging adjectives with examination
    ("a plain scan showed", [("plain scan", "imaging", "imaging")]),
    ("chest plain films were clear", [("chest plain films", "imaging", "imaging")]),
    ("myocardial perfusion imaging", [("myocardial perfusion imaging", "imaging", "imaging")]),
    ("T1-weighted images showed", []),
    ("CT chest scan", [("CT chest scan", "imaging", "computed tomography")]),
    ("ultrasonographic examination of the neck", [("ultrasonographic examination of the neck", "imaging",
                                                   "ultrasonography")]),
    ("a cardiac Echo and a 2D echo", [("cardiac Echo", "imaging", "echocardiography"),
                                       ("2D echo", "imaging", "echocardiography")]),
    ("breast US and US-guided core biopsy", [("breast US", "imaging", "ultrasonography"),
                                             ("US-guided core biopsy", "biopsy", "biopsy")]),
    ("approved by the US Food and Drug Administration", []),
    # interventions, suffix rules
    ("percutaneous coronary intervention", [("percutaneous coronary intervention", "other", "intervention")]),
    ("surgical intervention was declined", []),
    ("a pleurocentesis and lithotripsy", [("pleurocentesis", "other", "pleurocentesis"),
                                           ("lithotripsy", "other", "lithotripsy")]),
    ("endoscopic variceal ligation", [("endoscopic variceal ligation", "surgery", "ligation")]),
    # a vessel's dissection is a disease; the vessel's lymph nodes are not
    ("dissection of the right vertebral artery", []),
    ("carotid artery dissection", []),
    ("celiac artery lymph node dissection", [("artery lymph node dissection", "surgery", "dissection")]),
    # a department, not an operation
    ("the thoracic surgery department", []),
    ("the Department of Radiation Oncology", []),
    # a lexicon abbreviation the text defines as something else
    ("octreotide long-acting release (LAR) monthly; octreotide LAR was stopped", []),
    ("reverse transcription (RT) and RT products", []),
    ("a low anterior resection (LAR). After LAR", [("low anterior resection", "surgery", "resection"),
                                                  ("LAR", "surgery", "low anterior resection"),
                                                  ("LAR", "surgery", "low anterior resection")]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_procedures_cases(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text,category", [
    ("right ovariectomy", "surgery"), ("abdominal CT", "imaging"), ("CT", "imaging"),
    ("radiofrequency ablation", "ablation"), ("particle implantation", "radiotherapy"),
    ("colonoscopy", "endoscopy"), ("FNAC", "biopsy"), ("lumbar puncture", "other"),
    ("resection of the tumour", "surgery"),
])
def test_procedures_normalise_accepts(text, category):
    attrs = normalise_procedure(text)
    assert attrs is not None and attrs["category"] == category and attrs["name"]


@pytest.mark.parametrize("text", ["surgery", "surgeries", "imaging", "the procedure", "chemotherapy",
                                  "immunohistochemistry", "genetic testing", "CEA", "resection",
                                  "R0 resection", "targeted agents", ""])
def test_procedures_normalise_rejects(text):
    assert normalise_procedure(text) is None


@pytest.mark.parametrize("damaged,word", [("exeitteration", "exenteration"), ("compuited", "computed"),
                                          ("abdoininal", "abdominal"), ("Fesection".lower(), "resection"),
                                          ("lymiph", "lymph"), ("dissectioni", "dissection")])
def test_procedures_fuzzy_word(damaged, word):
    assert fuzzy_word(damaged) == word


@pytest.mark.parametrize("word", ["selection", "distention", "inspiration", "radiographic", "colonoscope",
                                  "mucosa", "bilaterally", "remission", "mother", "sample", "topography"])
def test_procedures_fuzzy_leaves_real_words(word):
    assert fuzzy_word(word) is None


TERMS = load_csv("procedures_terms.csv", required=("term", "kind", "category", "name", "not_before"))


def _term_example(row):
    term = row["term"] if row["kind"] == "abbr" else row["term"].replace(" ", "-" if row["term"] == "x ray" else " ")
    return {"head": f"she had {term} today", "abbr": f"she had {term} today",
            "target": f"she had {term} of the liver today", "class": f"she had laparoscopic {term} today",
            "post": f"she had CT {term} today", "none": f"she had {term} today"}[row["kind"]], term


@pytest.mark.parametrize("row", TERMS, ids=[r["term"] for r in TERMS])
def test_procedures_every_term_row(row):
    """Each lexicon row is matched by its own rule, with its category and name."""
    text, term = _term_example(row)
    got = find_procedures(text)
    if row["kind"] == "none":
        assert got == []
        return
    assert len(got) == 1, (text, got)
    (s, e, attrs), = got
    assert term in text[s:e]
    if row["kind"] == "post":
        assert attrs["category"] == "imaging"
    else:
        assert attrs["category"] == row["category"] in CATEGORIES
        assert attrs["name"] == row["name"]


MODIFIER_ROWS = load_csv("procedures_modifiers.csv", required=("word", "kind", "category"))
MODIFIERS = [r for r in MODIFIER_ROWS if r["kind"] not in ("det", "prep", "conj", "guided", "institution", "prefix")]
PREFIXES = [r for r in MODIFIER_ROWS if r["kind"] == "prefix"]
INSTITUTIONS = [r["word"] for r in MODIFIER_ROWS if r["kind"] == "institution"]


@pytest.mark.parametrize("row", MODIFIERS, ids=[r["word"] for r in MODIFIERS])
def test_procedures_every_modifier_row(row):
    """Each modifier word stays in the span of the procedure it precedes."""
    text = f"after {row['word']} resection she"
    (s, e, attrs), = find_procedures(text)
    assert text[s:e] == f"{row['word']} resection" and attrs["category"] == "surgery"


@pytest.mark.parametrize("row", PREFIXES, ids=[r["word"] for r in PREFIXES])
def test_procedures_every_prefix_row(row):
    """A word prefix joined by a hyphen to an organ word is one modifier of the procedure; a
    timing prefix (pre-pelvic exenteration, post-ablation) is not part of it and makes no
    procedure of the word after it."""
    text = f"after {row['word']}-pelvic resection she"
    (s, e, attrs), = find_procedures(text)
    timing = row["category"] == "timing"
    assert text[s:e] == ("pelvic resection" if timing else f"{row['word']}-pelvic resection")
    assert attrs["category"] == "surgery"
    got = found(f"the {row['word']}-ablation changes")
    assert got == ([] if timing else [(f"{row['word']}-ablation", "ablation", "ablation")])


@pytest.mark.parametrize("word", INSTITUTIONS)
def test_procedures_every_institution_row(word):
    """``Department of Thoracic Surgery`` is not an operation; ``thoracic surgery`` is."""
    assert find_procedures(f"the {word} of Thoracic Surgery") == []
    assert len(find_procedures("after thoracic surgery")) == 1


@pytest.mark.parametrize("text,laterality,approach", [
    ("she underwent laparoscopic left hemicolectomy", "left", "laparoscopic"),
    ("a bilateral salpingo-oophorectomy", "bilateral", None),
    ("robotic right nephrectomy", "right", "robotic"),
    ("a total gastrectomy", None, None),
])
def test_procedures_laterality_and_approach_columns(text, laterality, approach):
    (_, _, attrs), = find_procedures(text)
    assert attrs.get("laterality") == laterality and attrs.get("approach") == approach


GRAMMAR = load_jsonl("procedures_grammar.jsonl", required=("id", "pattern", "example"))


@pytest.mark.parametrize("rule", GRAMMAR, ids=[r["id"] for r in GRAMMAR])
def test_procedures_every_grammar_rule(rule):
    """Each grammar fragment's example is found whole, as one mention."""
    text = f"then {rule['example']} was done"
    (s, e, _), = find_procedures(text)
    assert text[s:e] == rule["example"]


def test_procedures_on_repaired_text_and_offsets(nlp):
    text = "We performed a laparo-\nscopic partial rectal resection (LPRR) and a pelvic\nCT."
    assert [m.text for m in extractor.extract(text, nlp=nlp).procedures] == [
        "laparo-\nscopic partial rectal resection", "LPRR", "pelvic\nCT"]
    assert repair(text).clean  # the repair layer ran


SEED_OPERATIONS = [  # the seed patient's seven operations (and more), with categories
    ("laparoscopic radical surgery", "surgery"), ("right ovariectomy", "surgery"),
    ("left ovariectomy", "surgery"), ("laparoscopic partial rectal resection", "surgery"),
    ("sigmoid colostomy", "surgery"), ("abdominal radiofrequency ablation", "ablation"),
    ("particle implantation", "radiotherapy"), ("pelvic exenteration", "surgery"),
    ("free myocutaneous flap graft", "surgery"), ("debridement", "surgery"),
]


def test_procedures_seed_operations_and_imaging(nlp):
    (_, text, gold), = list(gold_docs("seed"))
    got = {(re.sub(r"\s+", " ", m.text), m.category) for m in extractor.extract(text, nlp=nlp).procedures}
    for phrase, category in SEED_OPERATIONS:
        assert any(phrase in t and c == category for t, c in got), phrase
    imaging = [m for m in gold if m["label"] == "PROCEDURE" and m["attrs"]["category"] == "imaging"]
    found_imaging = {t for t, c in got if c == "imaging"}
    assert imaging and all(re.sub(r"\s+", " ", m["text"]) in found_imaging for m in imaging)


@pytest.mark.parametrize("corpus,f1,category", [
    ("seed", 0.95, 0.97), ("seed-ocr", 0.93, 0.97),
    ("oncology-dev", 0.92, 0.97), ("oncology-dev-ocr", 0.90, 0.97),
])
def test_procedures_corpus_scores(corpus_scores, corpus, f1, category):
    s = corpus_scores(corpus)
    assert s["lenient"]["per_label"]["PROCEDURE"]["f1"] >= f1
    assert s["normalisation"]["PROCEDURE"]["category"]["accuracy"] >= category


def test_procedures_offsets_valid_on_noise():
    """Any text (OCR noise included) gives ordered, non-overlapping, in-bounds spans."""
    import random
    import string

    rng = random.Random(7)
    alphabet = string.ascii_letters + " ,./()-'\n0123456789é"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) + " CT scan"
        spans = find_procedures(text)
        assert spans and all(0 <= s < e <= len(text) for s, e, _ in spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
