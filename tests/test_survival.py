"""SURVIVAL: candidates, context rules, the SURVIVAL-or-DATE convention, and the corpora."""
import re

import pytest

import extractor
from extractor.normalize.survival import find_candidates, find_survival, fold, parse_number, rule_examples

# (text, [(mention text, measure, value, high, unit)])
CASES = [
    ("The median overall survival was 14.2 months in this cohort.",
     [("14.2 months", "median_os", 14.2, None, "months")]),
    ("Median PFS was 6.5 months and median OS 11 months.",
     [("6.5 months", "pfs", 6.5, None, "months"), ("11 months", "median_os", 11, None, "months")]),
    ("Five-year survival rates were 64%, 41%, and 12% for stages I, II and III.",
     [("64%", "rate", 64, None, "percent"), ("41%", "rate", 41, None, "percent"),
      ("12%", "rate", 12, None, "percent")]),
    ("with a 10-year survival rate of only 35% for distant disease",
     [("35%", "rate", 35, None, "percent")]),
    ("Survival ranged from 12 to 18 months.", [("12 to 18 months", "os", 12, 18, "months")]),
    ("an overall survival of 20 months to 30 months", [("20 months to 30 months", "os", 20, 30, "months")]),
    ("the 5-year overall survival was 60-70% in that series", [("60-70%", "rate", 60, 70, "percent")]),
    ("She died of respiratory failure 3 weeks later.", [("3 weeks", "os", 3, None, "weeks")]),
    ("Twenty-one months after the operation, he died of liver failure.",
     [("Twenty-one months", "os", 21, None, "months")]),
    ("Eighteen months after surgery, the patient remains alive without evidence of disease.",
     [("Eighteen months", "dfs", 18, None, "months")]),
    ("The patient was free of disease for 30 months.", [("30 months", "dfs", 30, None, "months")]),
    ("At the 3-year follow-up, there was no sign of recurrence.", [("3-year", "dfs", 3, None, "years")]),
    ("He has survived for more than 9 years since the diagnosis.", [("9 years", "os", 9, None, "years")]),
    ("The tumour remained stable disease for 7 months on sunitinib.", [("7 months", "pfs", 7, None, "months")]),
    ("Progression-free survival reached one and a half years.",
     [("one and a half years", "pfs", 1.5, None, "years")]),
    ("overall survival of 15 mo", [("15 mo", "os", 15, None, "months")]),
    ("median survival was 43 days", [("43 days", "median_os", 43, None, "days")]),
    ("three-year survival rates were 29,6% and 8.1%",
     [("29,6%", "rate", 29.6, None, "percent"), ("8.1%", "rate", 8.1, None, "percent")]),
    ("He was followed up for 26 months and remained disease-free.", [("26 months", "dfs", 26, None, "months")]),
    ("Fewer than 10% of patients with this tumour survive beyond 5 years.",
     [("10%", "rate", 10, None, "percent")]),
    ("Median PFS and OS were 8.3 and 14.5 months, respectively.",
     [("8.3", "pfs", 8.3, None, "months"), ("14.5 months", "median_os", 14.5, None, "months")]),
    ("Overall survival was 12, 18 and 30 months in the three groups.",
     [("12", "os", 12, None, "months"), ("18", "os", 18, None, "months"), ("30 months", "os", 30, None, "months")]),
    ("Survival at 1 year was 75%.", [("75%", "rate", 75, None, "percent")]),
    ("His tumour has not recurred 30 months after resection.", [("30 months", "dfs", 30, None, "months")]),
    ("At the time of writing, 3 years after diagnosis, the patient remains in complete remission.",
     [("3 years", "dfs", 3, None, "years")]),
    ("Unfortunately, she passed away 11 days after admission.", [("11 days", "os", 11, None, "days")]),
    ("Her PFS on osimertinib was 34 months, and she was alive six years after diagnosis.",
     [("34 months", "pfs", 34, None, "months"), ("six years", "os", 6, None, "years")]),
    ("He is alive 5 years after the operation without evidence of recurrence.",
     [("5 years", "dfs", 5, None, "years")]),
    ("a median survival of 23 months for limited disease and an average of 9 months for extensive disease",
     [("23 months", "median_os", 23, None, "months"), ("9 months", "os", 9, None, "months")]),
    ("She remained free of progression for 52 months.", [("52 months", "pfs", 52, None, "months")]),
    ("Tumor-free survival was 40 months.", [("40 months", "dfs", 40, None, "months")]),
    ("The survlval was 14 months.", [("14 months", "os", 14, None, "months")]),
    # not survival: ages, incidences, recurrences, intervals, descriptors, event positions
    ("A 64-year-old man was admitted with abdominal pain.", []),
    ("KRAS mutations occur in 40% of colorectal cancers.", []),
    ("The recurrence rate was 25% at 2 years.", []),
    ("Two years later, the tumour recurred in the liver.", []),
    ("Capecitabine was given every 3 weeks for 6 months.", []),
    ("The 5-year survival rate is poor.", []),
    ("Six months after surgery, she developed lung metastases.", []),
    ("Serum CEA fell 2 months after the operation.", []),
    ("30-day mortality was low.", []),
    ("The median follow-up was 24 months.", []),
    ("She was well until 3 months ago, when she noticed a mass.", []),
    ("He underwent living-donor kidney transplantation 14 years previously.", []),
    ("She received grade 2, and 5 cycles of FOLFOX over 3 months.", []),
    ("After 10 months of erlotinib, the disease progressed.", []),
    ("He died of the disease a year later.", [("a year", "os", 1, None, "years")]),
    ("She remains alive a year after surgery.", [("a year", "os", 1, None, "years")]),
    ("She is followed once a year and remains alive.", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_survival_cases(text, expected):
    got = [(text[s:e], a["measure"], a["value"], a.get("high"), a["unit"]) for s, e, a in find_survival(text)]
    assert got == expected


@pytest.mark.parametrize("raw,value", [("19.1", 19.1), ("29,6", 29.6), ("Twenty-seven", 27), ("ten", 10),
                                       ("two and a half", 2.5), ("fourty two", 42), ("banana", None)])
def test_survival_parse_number(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize("text,unit", [("12 moinths", "months"), ("4'years", "years"), ("14\n\nmonths", "months"),
                                       ("19.1 -months", "months"), ("2 wks", "weeks"), ("56.4 %", "percent")])
def test_survival_ocr_units(text, unit):
    (cand,) = find_candidates(text)
    assert cand.unit == unit and (cand.start, cand.end) == (0, len(text))


def test_survival_extra_columns():
    text = "She died 3 weeks later; the 5-year survival rates were 60% and 40%."
    got = [(a["evidence"], a.get("months")) for _, _, a in find_survival(text)]
    assert got == [("status", 0.69), ("cue", None), ("list", None)]


@pytest.mark.parametrize("text,value", [("The patient dicd 4 months later.", 4),
                                        ("She has been allve for 86 rnonths since diagnosis.", 86),
                                        ("Ten months after surgery, the patient is a1ive.", 10)])
def test_survival_ocr_status_words(text, value):
    assert [a["value"] for _, _, a in find_survival(text)] == [value]


def test_survival_fold_keeps_length():
    text = "rémission asymptomati¢"
    assert fold(text) == "remission asymptomatic" and len(fold(text)) == len(text)


@pytest.mark.parametrize("rule_id,pattern,example", rule_examples())
def test_survival_rule_example_matches(rule_id, pattern, example):
    assert re.search(pattern.replace(" ", r"\s+"), example, re.IGNORECASE), rule_id


def test_survival_claims_its_time_phrase_from_date(nlp):
    """SCHEMA.md: a phrase saying how long the patient lived is SURVIVAL, not a relative DATE."""
    text = "Ten months after the first surgery, the patient is alive and well."
    result = extractor.extract(text, nlp=nlp)
    assert [(m.text, m.measure) for m in result.survival] == [("Ten months", "os")]
    assert all(not (m.start < 10 and m.end > 0) for m in result.dates)


def test_survival_skips_reference_lists(nlp):
    text = ("Case presentation\nThe patient died 4 months later.\n\nReferences\n"
            "1. Smith A. Death from cancer: 5-year results. J Onc 2001;3:1-9.\n")
    result = extractor.extract(text, nlp=nlp)
    assert [m.text for m in result.survival] == ["4 months"]


def test_survival_seed_every_gold_mention(corpus_scores):
    s = corpus_scores("seed")
    assert s["lenient"]["per_label"]["SURVIVAL"]["f1"] >= 0.95
    assert s["normalisation"]["SURVIVAL"]["value+unit"]["accuracy"] == 1.0


def test_survival_oncology_dev(corpus_scores):
    s = corpus_scores("oncology-dev")
    assert s["lenient"]["per_label"]["SURVIVAL"]["f1"] >= 0.90
    assert s["normalisation"]["SURVIVAL"]["value+unit"]["accuracy"] >= 0.95


def test_survival_ocr_corpora(corpus_scores):
    assert corpus_scores("oncology-dev-ocr")["lenient"]["per_label"]["SURVIVAL"]["f1"] >= 0.90
    assert corpus_scores("seed-ocr")["lenient"]["per_label"]["SURVIVAL"]["f1"] >= 0.90


@pytest.mark.parametrize("raw, value", [("nineteen", 19), ("fourty-two", 42), ("Ninety", 90), ("twenty and a half", 20.5)])
def test_survival_number_words_from_data(raw, value):
    """The number words are data (patterns/survival_context.jsonl) and build WORD_NUMBER."""
    from extractor.normalize.survival import WORD_NUMBER

    assert parse_number(raw) == value
    assert re.fullmatch(WORD_NUMBER, raw, re.IGNORECASE)


@pytest.mark.parametrize("text, unit", [("alive 3 wks later", "weeks"), ("died 5 yrs later", "years"),
                                        ("a 12 per cent rate", "percent")])
def test_survival_units_from_data(text, unit):
    assert [c.unit for c in find_candidates(text)] == [unit]
