"""DATE: every format, the not-a-date cases, values and their anchors, OCR forms, corpora."""
import re

import pytest

import extractor
from extractor.normalize import dates as D
from extractor.normalize.dates import calendar_value, find_dates, numeric_day_month, shift
from extractor.patterns import load_jsonl


def _found(text):
    return [(text[s:e], a.get("type"), a.get("value")) for s, e, a in find_dates(text)]


# ------------------------------------------------------------------ calendar points

CALENDAR = [
    ("In October 2015, a 51-year-old lady was admitted", "October 2015", "2015-10"),
    ("returned to hospital in March\n2021. Since", "March\n2021", "2021-03"),
    ("was admitted on June 11, 2014. His", "June 11, 2014", "2014-06-11"),
    ("was admitted on June 11th 2014. His", "June 11th 2014", "2014-06-11"),
    ("seen on 3 March 2019 in clinic", "3 March 2019", "2019-03-03"),
    ("seen on 3rd of March, 2019 in clinic", "3rd of March, 2019", "2019-03-03"),
    ("scanned on 2014-06-11 again", "2014-06-11", "2014-06-11"),
    ("scanned on 2014/06/11 again", "2014/06/11", "2014-06-11"),
    ("By 2023-1, the patient had", "2023-1", "2023-01"),
    ("since 03/2018 she has", "03/2018", "2018-03"),
    ("At the follow-up in late January 2016, the patient", "late January 2016", "2016-01"),
    ("At the latest follow-up, in late January, 2017, the", "late January, 2017", "2017-01"),
    ("the tumour grew in early 2019 and", "2019", "2019"),
    ("In 2019, the patient", "2019", "2019"),
    ("It is estimated that by 2030, one in ten", "2030", "2030"),
    ("resection in 1977 (43). Histopathological", "1977", "1977"),
    ("Sep. 2014 she was", "Sep. 2014", "2014-09"),
    ("Sinus ECG in the year of 2013 suggested", "2013", "2013"),
    ("Radical nephrectomy was performed on 14/9/2005. On gross", "14/9/2005", "2005-09-14"),
    ("In March 2014 she relapsed. On December 15, the patient was discharged", "December 15", "2014-12-15"),
]


@pytest.mark.parametrize("text,span,value", CALENDAR)
def test_dates_calendar_formats(text, span, value):
    assert (span, "date", value) in _found(text)


@pytest.mark.parametrize("text,expected", [
    # day-first policy: both readings possible -> day first
    ("seen on 12/03/2015 for review", ("12/03/2015", "2015-03-12")),
    # only one reading possible -> that one, whatever the policy
    ("seen on 03/25/2015 for review", ("03/25/2015", "2015-03-25")),
    ("seen on 25.03.2015 for review", ("25.03.2015", "2015-03-25")),
])
def test_dates_numeric_day_first_policy(text, expected):
    assert (expected[0], "date", expected[1]) in _found(text)


@pytest.mark.parametrize("a,b,dayfirst,expected", [
    (12, 3, True, (12, 3)), (12, 3, False, (3, 12)), (25, 3, False, (25, 3)), (3, 25, True, (25, 3)),
    (25, 26, True, None)])
def test_dates_numeric_day_month(a, b, dayfirst, expected):
    assert numeric_day_month(a, b, dayfirst=dayfirst) == expected


def test_dates_impossible_day_is_no_date():
    assert _found("seen on 31/04/2015 for review") == []


@pytest.mark.parametrize("text,expected", [
    ("In 2015-2016 she was treated", [("2015", "date", "2015"), ("2016", "date", "2016")]),
    ("in 2015 and 2016 she relapsed", [("2015", "date", "2015"), ("2016", "date", "2016")]),
    ("In 1995, 2001, and 2007 she underwent", [("1995", "date", "1995"), ("2001", "date", "2001"),
                                               ("2007", "date", "2007")]),
    ("In March 2014 she relapsed. She was operated on 5 May and",
     [("March 2014", "date", "2014-03"), ("5 May", "date", "2014-05-05")]),
])
def test_dates_pairs_and_yearless_days(text, expected):
    assert _found(text) == expected


def test_dates_compound_amount_is_one_phrase():
    text = "In June 2014 she had surgery. 1 year and 3 months after surgery, CT showed"
    assert _found(text)[-1] == ("1 year and 3 months after surgery", "relative", "2015-09")


def test_dates_year_range_gives_two_dates():
    assert _found("From 1997 to 2017, we collected seven cases") == [
        ("1997", "date", "1997"), ("2017", "date", "2017")]


def test_dates_bare_months_take_the_narrative_year():
    text = ("In March 2011, the nodes grew. Weekly paclitaxel was begun in May. In December, CT "
            "showed progression. In January 2012, bevacizumab was added. In April, the nodes shrank.")
    assert _found(text) == [("March 2011", "date", "2011-03"), ("May", "date", "2011-05"),
                            ("December", "date", "2011-12"), ("January 2012", "date", "2012-01"),
                            ("April", "date", "2012-04")]


def test_dates_bare_month_rolls_over_to_next_year():
    assert _found("In November 2011 she relapsed. In January, CT showed")[-1] == ("January", "date", "2012-01")


def test_dates_month_range_takes_the_year_after_it():
    assert _found("hospitalized from January to July 2013 and") == [
        ("January", "date", "2013-01"), ("July 2013", "date", "2013-07")]


# ------------------------------------------------------------------ relative phrases

RELATIVE = [
    ("However, 22 months after the surgery, the patient", "22 months after the surgery"),
    ("Six months ago, she noticed", "Six months ago"),
    ("Thirteen years ago, she underwent", "Thirteen years ago"),
    ("found metastases 2 years later and resected them", "2 years later"),
    ("However, after 3 years, she presented", "after 3 years"),
    ("After two years the disease progressed", "After two years"),
    ("Twenty-eight months later, she acquired resistance", "Twenty-eight months later"),
    ("a gradually rising CEA level after the 14th postoperative month necessitated", "after the 14th postoperative month"),
    ("She was discharged on postoperative day 9.", "postoperative day 9"),
    ("Four days postoperatively the patient developed", "Four days postoperatively"),
    ("pelvic pain four months before admission, radiating", "four months before admission"),
    ("which began about 4 years ago and was treated", "about 4 years ago"),
    ("the symptoms aggravated half a year ago, together", "half a year ago"),
    ("Besides, 2 years earlier, the patient underwent", "2 years earlier"),
    ("calcitonin at 2 months following the surgery came out", "2 months following the surgery"),
    ("follow-up should begin 2-3 months after operation and", "2-3 months after operation"),
    ("diagnosed with LM 45 months after initial diagnosis. She", "45 months after initial diagnosis"),
    ("the cancer progressed 8 months after the diagnosis of LM. At", "8 months after the diagnosis of LM"),
    ("Three months after completion of therapy, he", "Three months after completion of therapy"),
    ("Five months after popliteal lymph node dissection he developed", "Five months after popliteal lymph node dissection"),
    ("The patient underwent splenectomy 17 months after his previous cancer surgery.",
     "17 months after his previous cancer surgery"),
    ("After 19 months on treatment, she presented with seizures", "After 19 months on treatment"),
    ("during the 23 th month of tamoxifen, she presented", "23 th month"),
    ("had undergone valve replacement 3 years previously for stenosis", "3 years previously"),
    ("The following year, she relapsed", "The following year"),
    ("a fistula on postoperative week 2 was", "postoperative week 2"),
    ("an x-ray obtained on the 9th POD showed", "9th POD"),
    ("was discharged postoperative day seven without", "postoperative day seven"),
    ("Three weeks postdischarge, the patient was", "Three weeks postdischarge"),
    ("discharged from the hospital on the fifth day after PCI. Unexpectedly", "fifth day after PCI"),
    ("AFP rose 5 months after TACE, and", "5 months after TACE"),
    ("fever on the day after surgery, which", "the day after surgery"),
    ("She was discharged 14 d after surgery.", "14 d after surgery"),
    ("He was seen again 3 y later.", "3 y later"),
    ("On the eleventh hospital day, echocardiography", "eleventh hospital day"),
    ("On hospital day 3, she developed fever", "hospital day 3"),
    ("dyspnoea on the seventh day of therapy. A", "seventh day of therapy"),
    ("discharged on the 68th day of hospitalization.", "68th day of hospitalization"),
    ("She was discharged on day 20 of hospitalization.", "day 20 of hospitalization"),
    ("On day 3 after initiating chemotherapy, he", "day 3 after initiating chemotherapy"),
]


@pytest.mark.parametrize("text,span", RELATIVE)
def test_dates_relative_phrases(text, span):
    assert span in [s for s, t, _ in _found(text) if t == "relative"]


# ------------------------------------------------------------------ not dates

NOT_DATES = [
    "a 51-year-old lady was admitted",                       # age
    "diagnosed at the age of 51 years",                       # age
    "a 4-year-old boy presented",                             # age
    "as reported previously (Smith 2019).",                   # citation year
    "as Smith et al., 2019 showed",                           # citation year
    "as shown before (Smith et al. 2001, 2005).",             # citation years
    "the median time to recurrence was 14 months after surgery",  # a cohort figure
    "she remained in complete remission 3 years later",       # survival (free of disease)
    "Thyroid 2007;17:549-56.",                                # reference entry
    "a cohort treated between 1970 and 2005. Thyroid 2007;17:549-56.",  # year range in a cited title
    "Date of Web Publication 20-Dec-2016",                    # page furniture
    "Received: 12 March 2019",                                # page furniture
    "Published online 20 April 2019",                         # page furniture
    "Date of Web Publication' 20-Dec-2016",                   # page furniture (OCR quote)
    "bowel habits that had been going on for more than six months.",    # symptom duration
    "she received capecitabine for 6 months after surgery",   # treatment duration
    "given every 2 weeks for 5 months",                       # treatment duration
    "admitted to our hospital after 2 months with palpitations",         # symptom duration
    "has survived for up to 86 months as of today",           # survival
    "the patient died 8 months later",                        # survival
    "Ten months after initial surgery, the patient is alive",  # survival
    "was disease free until 2 months after the third surgery",  # survival
    "To date (56 months after prior surgery) he is alive",    # survival
    "has had no recurrence in 4 years after the delivery",    # survival
    "After 6 month follow-up, the patient was well",          # follow-up length
    "in 2000 patients with rectal cancer",                    # a count
    "diluted 1/200 and 1/2000",                               # dilutions
    "T2-weighted images 3 cm lesion",                         # nothing temporal
    "in a urine sample collected after 24 h. It is",          # hours time a test, not the history
    "the mouths of two ducts were seen",                      # a month-like word
    "Resistance in May be explained by",                      # `May` the verb
    "cisplatin was given on day 1 of each cycle",              # a dosing day
    "etoposide on days 1-3 and cisplatin on day 1 of the first cycle",  # dosing days
    "on the first day of life",                               # no event to count from
    "a 45 y old man",                                         # an age
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_dates_not_a_date(text):
    assert _found(text) == []


# ------------------------------------------------------------------ values and anchors

def test_dates_seed_like_anchor_resolution():
    text = ("In October 2015, a 51-year-old lady was admitted. Six months ago, she noticed blood. "
            "In October 2015, the patient underwent laparoscopic radical surgery. However, 22\n"
            "months after the surgery, the patient underwent a pelvic CT.")
    got = _found(text)
    assert ("Six months ago", "relative", None) in got          # `ago` has no certain anchor
    assert ("22\nmonths after the surgery", "relative", "2017-08") in got


def test_dates_later_counts_from_the_initial_event():
    text = ("In October 2015, the patient underwent radical surgery and right ovariectomy.\n\n"
            "We found the right ovary involved during the initial radical surgery, and then "
            "found metastases in the left ovary 2 years later.")
    assert _found(text)[-1] == ("2 years later", "relative", "2017")


def test_dates_later_counts_from_the_last_date_of_the_paragraph():
    text = "In May 2017, gefitinib was started. Eleven months later, PET/CT showed progression."
    assert _found(text)[-1] == ("Eleven months later", "relative", "2018-04")


def test_dates_later_after_a_blank_line_has_no_value():
    text = "In May 2017, gefitinib was started.\n\nEleven months later, PET/CT showed progression."
    assert _found(text)[-1] == ("Eleven months later", "relative", None)


@pytest.mark.parametrize("text,value", [
    # a month-precise anchor cannot give a day
    ("In June 2014 she had surgery. She was discharged 14 days after surgery.", None),
    ("On June 11, 2014 she had surgery. She was discharged 14 days after surgery.", "2014-06-25"),
    # a year-precise anchor cannot give a month, but can give a year
    ("In 2015 she had surgery. 6 months after surgery, CT showed", None),
    ("In 2015 she had surgery. 3 years after surgery, CT showed", "2018"),
    # approximate or ranged amounts are not certain
    ("In June 2014 she had surgery. About 6 months after surgery, CT showed", None),
    ("In June 2014 she had surgery. 2-3 months after surgery, CT showed", None),
    # before an anchor counts back
    ("She was admitted in March 2009. Fever began one month before admission.", "2009-02"),
])
def test_dates_relative_value_only_when_certain(text, value):
    assert _found(text)[-1][2] == value


@pytest.mark.parametrize("value,amount,unit,direction,expected", [
    ("2015-10", 22, "months", "after", "2017-08"),
    ("2015-10", 2, "years", "after", "2017"),
    ("2015-01-31", 1, "months", "after", "2015-02"),
    ("2016-01-31", 30, "days", "after", "2016-03-01"),   # leap year: relativedelta does the calendar
    ("2015-10", 1.5, "years", "after", "2017-04"),
    ("2015", 6, "months", "after", None),
    ("2015-10", 3, "weeks", "after", None),
    ("2009-03", 1, "months", "before", "2009-02"),
])
def test_dates_shift(value, amount, unit, direction, expected):
    assert shift(value, amount, unit, direction) == expected


def test_dates_missing_day_never_becomes_today():
    assert calendar_value(2015, 2) == "2015-02"
    assert calendar_value(2015) == "2015"
    assert calendar_value(2015, 2, 30) is None


@pytest.mark.parametrize("word,value", [("Six", 6), ("Thirteen", 13), ("twenty-eight", 28), ("a", 1),
                                        ("22", 22), ("Thiiteen", 13), ("Oine", 1), ("Foui", 4), ("Oné", 1)])
def test_dates_number_words(word, value):
    assert D.number_value(word) == value


# ------------------------------------------------------------------ OCR damage

@pytest.mark.parametrize("text,span,value", [
    ("by the end of Aiugust 2007, the", "Aiugust 2007", "2007-08"),
    ("ablation in July 202i, pelvic", "July 202i", "2021-07"),
    ("seen in March 2O15 for", "March 2O15", "2015-03"),
    ("seen in Oct0ber 2015 for", "Oct0ber 2015", "2015-10"),
    ("In January' 2012, bevacizumab", "January' 2012", "2012-01"),
    ("At the follow-up in late Januay 2016, the", "late Januay 2016", "2016-01"),
    ("Thiiteen years ago, she", "Thiiteen years ago", None),
    ("Six thonths ago, she", "Six thonths ago", None),
    ("Oine month after liver surgery, the", "Oine month after liver surgery", None),
    ("Foui months aftet surgery, she", "Foui months aftet surgery", None),
    ("diagnosed 45:moriths after initial diagnosis. She", "45:moriths after initial diagnosis", None),
    ("At 29 months after ihe first operation, the", "29 months after ihe first operation", None),
])
def test_dates_ocr_forms(text, span, value):
    assert any(s == span and v == value for s, _, v in _found(text)), _found(text)


def test_dates_ocr_seed_relative_resolves():
    text = "In October 2015, the patient underwent radical surgery. However, 22\nmoinths after thie surgery, CT"
    assert _found(text)[-1] == ("22\nmoinths after thie surgery", "relative", "2017-08")


# ------------------------------------------------------------------ rules and pipeline

def _rule_rows():
    for row in load_jsonl("dates.jsonl", required=("pattern", "example")):
        yield pytest.param(row, id=row.get("id") or row.get("part"))


@pytest.mark.parametrize("row", list(_rule_rows()))
def test_dates_rule_matches_its_example(row):
    if "part" in row:
        pattern = D._expand(row["pattern"], D._parts())
        assert re.fullmatch(pattern, row["example"]), row
        return
    (rule, rx), = [(r, x) for r, x in D.rules() if r["id"] == row["id"]]
    assert rx.search(row["example"]), row
    got = [(row["example"][s:e], a.get("value")) for s, e, a in find_dates(row["example"])]
    assert (row["expect"], row.get("value")) in got, got


def test_dates_pipeline_offsets_and_records(nlp):
    text = "In October 2015, the patient underwent surgery. 22 months after the surgery, CT was done."
    result = extractor.extract(text, nlp=nlp)
    dates = result.dates
    assert [(d.text, d.type, d.value) for d in dates] == [
        ("October 2015", "date", "2015-10"), ("22 months after the surgery", "relative", "2017-08")]
    for d in dates:
        assert text[d.start:d.end] == d.text
    rel = dates[1]
    assert (rel.amount, rel.unit, rel.direction, rel.anchor, rel.anchor_value) == (
        22.0, "months", "after", "the surgery", "2015-10")


def test_dates_literature_dates_never_anchor_the_patients():
    text = ("In 1959, surgery for MTC was first described. "
            "The patient underwent surgery. 4 years after initial surgery, she relapsed.")
    split = text.index("The patient")

    def section_at(offset):
        return "introduction" if offset < split else "case"

    assert _found(text)[-1][2] == "1963"      # without sections the literature's year is taken
    got = [(text[s:e], a.get("value")) for s, e, a in find_dates(text, section_at=section_at)]
    assert got == [("1959", "1959"), ("4 years after initial surgery", None)]


def test_dates_sections_drop_references():
    text = "In March 2015 she was admitted.\nSmith J. Rectal cancer in 2019. Lancet. 2019;12:34."
    split = text.index("Smith")
    got = find_dates(text, section_at=lambda o: "references" if o >= split else "case")
    assert [text[s:e] for s, e, _ in got] == ["March 2015"]


def test_dates_reference_list_is_not_reported(nlp):
    text = ("Case presentation\nIn March 2015, a woman was admitted.\n\nReferences\n"
            "1. Smith J. A study of rectal cancer published in 2019. Lancet. 2019;12:34-40.\n")
    result = extractor.extract(text, nlp=nlp)
    assert [d.text for d in result.dates] == ["March 2015"]


# ------------------------------------------------------------------ corpora

def test_dates_seed_every_calendar_date_and_the_anchored_relative(corpus_scores):
    s = corpus_scores("seed")
    assert s["lenient"]["per_label"]["DATE"]["recall"] == 1.0
    assert s["lenient"]["per_label"]["DATE"]["precision"] >= 0.95
    assert s["normalisation"]["DATE"]["value"]["accuracy"] == 1.0


def test_dates_seed_22_months_is_2017_08():
    from tests.conftest import gold_docs

    for _, text, _ in gold_docs("seed"):
        rel = [(text[s:e], a.get("value")) for s, e, a in find_dates(text) if "22" in text[s:e]]
        assert ("22\nmonths after the surgery", "2017-08") in rel


@pytest.mark.parametrize("corpus,f1,value", [
    ("oncology-dev", 0.95, 0.95), ("oncology-dev-ocr", 0.95, 0.95), ("seed-ocr", 0.95, 0.95)])
def test_dates_corpus_scores(corpus_scores, corpus, f1, value):
    s = corpus_scores(corpus)
    assert s["lenient"]["per_label"]["DATE"]["f1"] >= f1
    assert s["normalisation"]["DATE"]["value"]["accuracy"] >= value


@pytest.mark.parametrize("text, span", [
    ("She died 8 months after the surgery.", "8 months after the surgery"),
    ("She remained alive and well for 2 years after the operation.", "2 years after the operation"),
    ("Two years later, the patient was alive without recurrence.", "Two years later"),
])
def test_dates_survival_phrases_shared_with_survival(text, span):
    """The survival phrases that make a time phrase SURVIVAL are one definition
    (patterns/survival_context.jsonl) that normalize.dates asks the survival module for."""
    from extractor.normalize import survival
    from extractor.patterns import load_context_rules

    assert D.survival_phrase is survival.survival_phrase
    assert survival.survival_phrase("before").pattern == \
        load_context_rules("survival_context.jsonl")["survival-phrase-before"].pattern
    assert span not in [text[s:e] for s, e, _ in find_dates(text)]


@pytest.mark.parametrize("word, kind, key", [("Foui", "number", "four"), ("moinths", "unit", "months")])
def test_dates_ocr_swaps_from_data(word, kind, key):
    assert ("ii", "n") in D._ocr_swaps() and ("i", "") in D._ocr_swaps()
    assert D._lookup(word, kind, 0.8) == key
