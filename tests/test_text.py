"""The OCR/PDF repair layer: each repair, its conservativeness, and the offset map."""
from __future__ import annotations

import re

import pytest

from extractor.fuzzy import (FuzzyLexicon, code_variants, fold, inflection_of, levenshtein, loose_cost,
                             ocr_cost, osa_distance)
from extractor.patterns import load_jsonl
from extractor.text import (CALLS, FIXERS, REPAIR_KEY, caption_blocks, identity, repair,
                            segments_from_list, vocabulary)

RULES = load_jsonl("ocr_repairs.jsonl")


@pytest.mark.parametrize("row", RULES, ids=[r["id"] for r in RULES])
def test_rule_example_matches_its_own_rule(row):
    flags = re.IGNORECASE if row.get("ignore_case") else 0
    assert re.search(row["pattern"], row["example"], flags), row["id"]
    kind = row["kind"]
    assert kind in ("whole", "group", "translate") or kind[4:] in FIXERS or kind[5:] in CALLS


@pytest.mark.parametrize("row", [r for r in RULES if "expect" in r], ids=lambda r: r["id"])
def test_rule_example_repairs_to_expected(row):
    assert repair(row["example"]).clean == row["expect"]


@pytest.mark.parametrize("damaged, clean", [
    # measured tesseract confusions inside words
    ("the bevacizurnab dose", "the bevacizumab dose"),
    ("a rieck mass", "a neck mass"),
    ("total thyroidectotny", "total thyroidectomy"),
    ("three moiiths later", "three months later"),
    ("rectal cancér", "rectal cancer"),
    ("the patierits were", "the patients were"),
    ("Laparotoriy was done", "Laparotomy was done"),
    ("in Aiugust 2007", "in August 2007"),
    ("pelvic exeitteration", "pelvic exenteration"),
    # quote specks and lost spaces
    ("up'to 4'years", "up to 4 years"),
    ("the \u2018neck was", "the neck was"),
    ("and.there was", "and there was"),
    ("45:moriths after", "45 months after"),
    ("11 months-later", "11 months later"),
    # hyphenated line breaks: joined words vs real compounds
    ("resec-\ntion", "resection"),
    ("laparo-\nscopic", "laparoscopic"),
    ("fine-\nneedle aspiration", "fine-needle aspiration"),
    ("bilateral salpingo-\noophorectomy", "bilateral salpingo-oophorectomy"),
    ("granulocyte colony-\n\nstimulating factor", "granulocyte colony-stimulating factor"),
    ("FOLFIRI-\nbased chemotherapy and anti-\nPD-1 therapy", "FOLFIRI-based chemotherapy and anti-PD-1 therapy"),
    # codes
    ("(pT4bN2aMlb, stage 1V)", "(pT4bN2aM1b, stage IV)"),
    ("achieve RO resection", "achieve R0 resection"),
    ("ligatures: \ufb01brosis, \ufb02uorouracil", "ligatures: fibrosis, fluorouracil"),
    ("siage IV disease", "stage IV disease"),
    ("From 1997 to 20I7, in July 202i", "From 1997 to 2017, in July 2021"),
    ("recurred I5 months later", "recurred 15 months later"),
    ("According tothe latest", "According to the latest"),
    ("switched toa combination witha drug", "switched to a combination with a drug"),
    ("After 19 \u2018months on treatment, she had \u2018seizures", "After 19 months on treatment, she had seizures"),
    ("with RO\u2019 resection", "with R0 resection"),
    ("surgery came out-of the ward; she has-had no recurrence", "surgery came out of the ward; she has had no recurrence"),
    ("calcitonin came out to be 2-pg/ml", "calcitonin came out to be 2 pg/ml"),
    ("markers showed a raised level of the serum tumour\n\n\u2018CA125 supporting the malignant nature of the mass",
     "markers showed a raised level of the serum tumour CA125 supporting the malignant nature of the mass"),
    ("Part of the rectum (the rectal mass), 18 cm long, 6-\n\n8 cm in circumference",
     "Part of the rectum (the rectal mass), 18 cm long, 6-8 cm in circumference"),
])
def test_repairs(damaged, clean):
    assert repair(damaged).clean == clean


@pytest.mark.parametrize("text", [
    # correct text is left alone: names, rare words, inflections, British spellings,
    # contractions and possessives, real quotations, URLs, codes and acronyms
    "Machens A, Hauptmann S, Dralle H. Increased risk of lymph node metastasis.",
    "The patient's condition didn't change; the patients' records were kept.",
    "The so-called \u2018watch and wait\u2019 approach was chosen.",
    "See www.jhnps.org/text.asp for the figure; e.g. the next one.",
    "haemolysis, leucocytosis and hospitalised; predictors and collaterals",
    "the colonoscope was passed; an ophthalmologic examination; endometrioid carcinoma",
    "HMB45, CD56, MLH1 and CK7 were positive; KRAS G12D; O'Brien et al.",
    "Ehlers\u2013Danlos syndrome in a 4-year-old girl; proto-oncogene; 5'-UTR",
    "A 51-year-old woman underwent laparoscopic resection in 2019.",
    "TIMI III flow; H2O, CO2, PaO2 and C6H12O6; 131I and I-131 therapy; medio\u2013frontal",
])
def test_correct_text_is_not_changed(text):
    fixed = repair(text)
    words = re.findall(r"[A-Za-z]+", text)
    assert re.findall(r"[A-Za-z]+", fixed.clean) == words


@pytest.mark.parametrize("text, kept", [
    # headings, sentence ends and short lines keep their line breaks
    ("Background: a long line of a report that does not end here and\ngoes on", False),
    ("A long line of a case report that ends with a full stop.\nNext sentence here", True),
    ("KEYWORDS\n1 Introduction", True),
    ("a long wrapped line of the case report that goes on to the\nFigure 1 legend", True),
    ("a long wrapped line of the case report that goes on to the\n\nnext column text", False),
    ("2.1 Patient information and clinical findings\n\nA 51-year-old woman presented with pain", True),
    ("Medullary Carcinoma of the Thyroid in Two Patients\n\nMedullary thyroid carcinoma is rare", True),
])
def test_line_breaks(text, kept):
    assert ("\n" in repair(text).clean) == kept


def test_page_furniture_inside_a_sentence_is_taken_out():
    header = "Journal of Case Reports in Oncology 2020"
    text = (f"A long first line of the case report about a tumour which was\n{header}\n"
            f"removed by surgery. It was benign.\n{header}\nAnother paragraph.\n{header}\n"
            "The patient had\nPage 3 of 12\na recurrence; the dose was\n5\nmg daily.")
    fixed = repair(text)
    assert "tumour which was removed by surgery" in fixed.clean
    assert "The patient had a recurrence" in fixed.clean
    assert "5\nmg daily" in fixed.clean  # a number of the sentence stays
    assert fixed.clean.count(header) == 2  # headers between sentences stay where they are
    start = fixed.clean.index("removed")
    assert text[slice(*fixed.to_original(start, start + 7))] == "removed"


def test_caption_moved_after_interrupted_paragraph():
    text = ("The tumour was removed by laparoscopic\n\nFigure 1 CT of the pelvis.\n\n"
            "resection of the rectum. It was benign.\n\nNext paragraph.")
    blocks = caption_blocks(text)
    assert len(blocks) == 1 and blocks[0].continuation != (0, 0)
    fixed = repair(text)
    assert "laparoscopic resection of the rectum" in fixed.clean.replace("\n", " ").replace("  ", " ")
    assert fixed.clean.index("Figure 1") > fixed.clean.index("It was benign")
    start = fixed.clean.index("resection")
    o_start, o_end = fixed.to_original(start, start + len("resection"))
    assert text[o_start:o_end] == "resection"


def _check_map(original: str) -> None:
    fixed = repair(original)
    # segments tile the clean text in order
    pos = 0
    for cs, ce, os_, oe in fixed.segments:
        assert cs == pos and ce >= cs and oe >= os_
        pos = ce
    assert pos == len(fixed.clean)
    # every clean segment maps back to a slice whose repair is that segment
    for cs, ce, os_, oe in fixed.segments:
        if ce - cs == oe - os_ and original[os_:oe] == fixed.clean[cs:ce]:
            continue
        piece = original[os_:oe]
        assert fixed.clean[cs:ce] in (repair(piece).clean, "\n\n", " ") or piece != fixed.clean[cs:ce]
    # word spans map to the original slice they came from
    for m in re.finditer(r"\w+", fixed.clean):
        o_start, o_end = fixed.to_original(*m.span())
        assert 0 <= o_start <= o_end <= len(original)
        assert repair(original[o_start:o_end]).clean.strip() in (m.group(0), fixed.clean[m.start():m.end()]) \
            or fold(original[o_start:o_end]) != fold(m.group(0))


@pytest.mark.parametrize("text", [
    "The patierits had a rieck mass and RO resection.\nThe next line goes on here and\nthere.",
    "resec-\ntion of the \u2018neck, up'to 4'years; stage 1V (pT4bN2aMlb) \ufb01brosis.",
    "Plain text with nothing to repair at all.",
])
def test_offset_map_round_trip(text):
    _check_map(text)


def test_identity_and_segments_from_list():
    ident = identity("abc")
    assert ident.to_original(1, 3) == (1, 3)
    fixed = repair("a rieck mass")
    again = segments_from_list(fixed.original, fixed.clean, [list(s) for s in fixed.segments])
    assert again.to_original(2, 6) == fixed.to_original(2, 6) == (2, 7)
    assert fixed.to_clean(2, 7) == (2, 6)
    assert isinstance(REPAIR_KEY, str)


# --- the fuzzy helper ---------------------------------------------------------------

@pytest.mark.parametrize("damaged, word", [
    ("bevacizurnab", "bevacizumab"), ("rituxirnab", "rituximab"), ("capecttabine", "capecitabine"),
    ("etlotinib", "erlotinib"), ("Rifainpicin", "rifampicin"), ("trastiszumab", "trastuzumab"), ("bevacizumaby", "bevacizumab"),
])
def test_fuzzy_lexicon_repairs_drug_names(damaged, word):
    lex = FuzzyLexicon([word, "oxaliplatin", "irinotecan", "cisplatin"], budget=loose_cost, inflections=False)
    assert lex.correct(damaged) == word


def test_fuzzy_lexicon_guards():
    lex = FuzzyLexicon(["cisplatin", "carboplatin", "cancer", "cancel"], general=["tissue"])
    assert lex.correct("tissue") == "tissue"  # a known word is itself
    assert lex.correct("cancei") is None  # cancer or cancel: ambiguous
    assert FuzzyLexicon(["cancer"], general=["cancel"]).correct("cancei") == "cancer"  # domain wins a tie
    assert lex.correct("abc") is None  # too short
    assert lex.correct("oxaliplatin") is None  # far from everything
    loose = FuzzyLexicon(["bevacizumab"], budget=loose_cost, inflections=False)
    assert loose.correct("bevacizumaby") == "bevacizumab"
    assert FuzzyLexicon(["predictor"]).correct("predictors") is None  # an inflection, not damage


def test_fuzzy_costs_and_helpers():
    assert ocr_cost("rieck", "neck") < 0.5 < ocr_cost("homograft", "hemogram")
    assert levenshtein("colectomy", "colectomies", 5) == 3 and levenshtein("abc", "abcdefgh", 2) == 3
    assert osa_distance("cisplatni", "cisplatin") == 1  # a transposition is one edit
    assert inflection_of("predictors", "predictor") and not inflection_of("oxaliplatit", "oxaliplatin")
    assert fold("Cancér") == "cancer"


@pytest.mark.parametrize("damaged, code", [("HMB4S", "HMB45"), ("MLHI", "MLH1"), ("EBY", "EBV"),
                                           ("CA1S-3", "CA15-3"), ("S1OO", "S100"), ("kiG7", "ki67")])
def test_code_variants(damaged, code):
    variants = code_variants(damaged)
    assert variants[0] == damaged and code in variants


def test_vocabulary_has_family_lexicon_words():
    vocab = vocabulary()
    assert "bevacizumab" in vocab.domain and "months" in vocab
    assert len(vocab) > 50000


# --- real OCR: the repair moves the OCR text towards the clean text -------------------

def test_repair_reduces_word_errors_on_real_ocr():
    import difflib

    from conftest import CORPORA, require_shared

    ocr_dir = require_shared(CORPORA / "oncology-dev-ocr")
    before = after = 0
    for path in sorted(ocr_dir.glob("*.txt"))[:12]:
        clean = (CORPORA / "oncology-dev" / path.name).read_text(encoding="utf-8").split()
        ocr = path.read_text(encoding="utf-8")

        def errors(words):
            sm = difflib.SequenceMatcher(None, clean, words, autojunk=False)
            return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")

        before += errors(ocr.split())
        after += errors(repair(ocr).clean.split())
    assert after < 0.75 * before  # measured: about 0.63


def test_repair_changes_few_words_of_clean_text():
    from conftest import CORPORA, require_shared

    folder = require_shared(CORPORA / "maccrobat")
    changed = total = 0
    for path in sorted(folder.glob("*.txt"))[:60]:
        text = path.read_text(encoding="utf-8")
        fixed = repair(text)
        before = re.findall(r"[^\W\d_]+", text)
        after = re.findall(r"[^\W\d_]+", fixed.clean)
        total += len(before)
        changed += len(set(before) - set(after))
    assert changed / total < 0.002  # measured: about 0.0006


# --- the bar: OCR costs little per label ---------------------------------------

LABELS = ["STAGE", "DATE", "DRUG", "PROCEDURE", "BIOMARKER", "SURVIVAL"]


@pytest.mark.parametrize("label", LABELS)
def test_ocr_gap_per_label(corpus_scores, label):
    """Lenient F1 on the real OCR copy of the dev set within 0.05 of the clean dev set
    (measured: STAGE 0.015, DATE 0.000, DRUG 0.008, PROCEDURE 0.007, BIOMARKER 0.037,
    SURVIVAL 0.016)."""
    clean = corpus_scores("oncology-dev")["lenient"]["per_label"][label]["f1"]
    ocr = corpus_scores("oncology-dev-ocr")["lenient"]["per_label"][label]["f1"]
    assert clean - ocr <= 0.05, (label, clean, ocr)


@pytest.mark.parametrize("label, floor", [("STAGE", 0.95), ("DRUG", 0.9)])
def test_seed_ocr_keeps_stages_and_drugs(corpus_scores, label, floor):
    """Measured recall on the seed's OCR copy: STAGE 1.000, DRUG 0.962."""
    assert corpus_scores("seed-ocr")["lenient"]["per_label"][label]["recall"] >= floor


# --- damage found by the OCR simulator (scripts/ocr_simulate.py) on unseen text ---------

@pytest.mark.parametrize("damaged, clean", [
    # TNM: look-alikes of digits, specks inside the code, an upper-case sub-letter
    ("showed ypT1CN0 disease", "showed ypT1cN0 disease"),
    ("a pT3.N1bMO tumour", "a pT3N1bM0 tumour"),
    ("stage was cT2N{M0, and", "stage was cT2N1M0, and"),
    ("stage was cT2NLM0, and", "stage was cT2N1M0, and"),
    ("final stage ypT6N0M0.", "final stage ypT0N0M0."),
    ("(pT3N8M0-stage IIB", "(pT3N0M0-stage IIB"),
    ("staged cT4N.1M0 invasive", "staged cT4N1M0 invasive"),
    ("a pT3NfbMO tumour", "a pT3N1bM0 tumour"),
    ("cancer (cT2aN2Mia)", "cancer (cT2aN2M1a)"),
    # stage groups: the word and the numerals
    ("in stage IiIB and", "in stage IIIB and"),
    ("(stage i1IB)", "(stage IIIB)"),
    ("a Stage IY tumour", "a Stage IV tumour"),
    ("restaged as stage {V (TxNxM1a)", "restaged as stage IV (TxNxM1a)"),
    ("carcinoma; sfage I1b (T2 N1 M0)", "carcinoma; stage IIb (T2 N1 M0)"),
    ("cancer, stage: IlB, estrogen", "cancer, stage IIB, estrogen"),
    ("revealed stage.ib cancer", "revealed stage Ib cancer"),
    ("the (st4ge IVA) disease", "the (stage IVA) disease"),
    ("was staye IV adenocarcinoma", "was stage IV adenocarcinoma"),
    ("Stage IL), followed", "Stage II), followed"),
    ("established as stage TV (pT3N0M1)", "established as stage IV (pT3N0M1)"),
    ("breast carcinoma; stage EIb (T2", "breast carcinoma; stage IIb (T2"),
    ("with advanced-stage (IIl/IV) disease", "with advanced-stage (III/IV) disease"),
    ("tumors were staged as iIIC (T3N2M0)", "tumors were staged as IIIC (T3N2M0)"),
    # residual tumour before a damaged resection word
    ("Patients with RI margiis fare worse", "Patients with R1 margins fare worse"),
    ("showed an RO iesection of", "showed an R0 resection of"),
    # codes the lexicons know, with look-alikes
    ("six cycles of FOLF1RI plus", "six cycles of FOLFIRI plus"),
    ("modified FOLFTRINOX with", "modified FOLFIRINOX with"),
    ("proteins MLHi, MSH2, MSH6 and PMS2", "proteins MLH1, MSH2, MSH6 and PMS2"),
    ("positive for CD2O and CD1O", "positive for CD20 and CD10"),
    ("melan A and S1O0, and", "melan A and S100, and"),
    ("instability (MS|) or", "instability (MSI) or"),
    ("Germline BiRCA1-mutated", "Germline BRCA1-mutated"),
    ("positive for GD20, CD21", "positive for CD20, CD21"),
    ("G=CSF support", "G-CSF support"),
    # dates and time phrases
    ("performed in August 2619 with", "performed in August 2019 with"),
    ("On 2620-04-16, he", "On 2020-04-16, he"),
    ("admitted on 03/11/2617 with", "admitted on 03/11/2017 with"),
    ("in February 2818 underwent", "in February 2018 underwent"),
    ("From 1997 to 20£7, we", "From 1997 to 2017, we"),
    ("on June 11, 20L4.", "on June 11, 2014."),
    ("From 1997 t0 2017, we", "From 1997 to 2017, we"),
    ("From 1997 to -2017, we", "From 1997 to 2017, we"),
    ("Tn December, CT showed", "In December, CT showed"),
    ("InDecember, CT showed", "In December, CT showed"),
    ("entity iri 1959.", "entity in 1959."),
    ("carcinoma 3 years aga.", "carcinoma 3 years ago."),
    ("carcinoma 3 years ag0.", "carcinoma 3 years ago."),
    ("After twe years the disease", "After two years the disease"),
    ("site 1S.months, later", "site 15 months later"),
    ("at G months following", "at 6 months following"),
    ("about 4 years,\nago and", "about 4 years ago and"),
    ("survival was 34 iriontlis, and", "survival was 34 months, and"),
    ("alive six yeas after diagnosis", "alive six years after diagnosis"),
    ("for 12 montls. Then", "for 12 months. Then"),
    ("survival of.18.9 months", "survival of 18.9 months"),
    ("began 2-3 monthsafter operation", "began 2-3 months after operation"),
    # drug names: digits read inside, merged words, a glued dose
    ("a combination of lapatin4b and", "a combination of lapatinib and"),
    ("pyrotinib, tr4sitizumab, paclitaxel", "pyrotinib, trastuzumab, paclitaxel"),
    ("followed by carbop}atin plus", "followed by carboplatin plus"),
    ("bevacizumab and weekly paclitaxelwere begun", "bevacizumab and weekly paclitaxel were begun"),
    ("adjuvant Letrozole2.5 mg daily", "adjuvant Letrozole 2.5 mg daily"),
    # procedures and markers: merged words, a code glued to its neighbour
    ("recommend bilateral lateralneck dissection", "recommend bilateral lateral neck dissection"),
    ("lungs. Magneticresonance imaging showed", "lungs. Magnetic resonance imaging showed"),
    ("analysis of EGFRmutations and", "analysis of EGFR mutations and"),
    ("lobe, and PET-CTfound no other", "lobe, and PET-CT found no other"),
    ("serum calcitonin andCEA levels", "serum calcitonin and CEA levels"),
    ("FIGO stage was-\nconsidered as IA", "FIGO stage was considered as IA"),
])
def test_simulated_ocr_damage_is_repaired(damaged, clean):
    assert repair(damaged).clean == clean


@pytest.mark.parametrize("text", [
    # what the new repairs must leave alone (clean text that looks like damage)
    "at this stage i.e. before surgery",
    "a T6 vertebral fracture and an IL-6 level",
    "Il-6 was raised",
    "Graves' disease (GD) and GD, diagnosed",
    "Sarosi GA, et al. Eur J Endocrinol 2019",
    "the femur was removed en bloc",
    "serous cystadenocarcinoma of the ovary",
    "confirmed histopathologically and oncologically",
    "tumour was immunopositive for CK7",
    "H-CO3 30 mEq/L",
    "in 2619 patients of the registry",
    "the RI measured 0.7 on Doppler",
    "conditioning with BUCY+ATG (10)",
    "T1 FS hypersignal",
    "two rays of light and both ears",
    "the BALs performed and three of the SCCs",
    "stage IIa according to FIGO and type IIb VHL",
    "a stage 1 tumour and stage 1A disease",
    "the EvC syndrome",
    "gastric lymphoma, stage IIE and stage IE disease",
    "hypophosphatemia and macrocalcifications",
    "and 2R/4R/10L/11L lymphadenopathy",
])
def test_clean_text_is_left_alone_by_simulator_repairs(text):
    assert repair(text).clean == text


@pytest.mark.parametrize("damaged", [
    "was 34 iriontlis, and FOLF1RI in August 2619 with an RO iesection (pT3.N1bMO, stage i1IB)",
    "InDecember, EGFRmutations andCEA; paclitaxelwere begun; Letrozole2.5 mg; 1S.months, later",
])
def test_simulator_repairs_map_back_into_the_original(damaged):
    fixed = repair(damaged)
    for m in re.finditer(r"\S+", fixed.clean):
        s, e = fixed.to_original(*m.span())
        assert 0 <= s <= e <= len(damaged)
        assert damaged[s:e].strip() == damaged[s:e]
