"""Attribution: is a mention about this report's patient? Rules, cues and the corpora."""
import re

import pytest

import extractor
from extractor.attribution import cue_rows, is_case_series, is_patient, sentence_spans

# (section, sentence, mention, label, attrs, series, sectioned, expected)
CASES = [
    # a named trial (acronym or number) in a past-tense discussion sentence is literature
    ("discussion", "In the PRIMA-2 trial, niraparib maintenance lowered the risk of progression.", "niraparib",
     "DRUG", {}, False, True, False),
    ("discussion", "In the CheckMate 238 trial, nivolumab prolonged relapse-free survival.", "nivolumab",
     "DRUG", {}, False, True, False),
    ("discussion", "In the present study, olaparib was given after carboplatin.", "olaparib",
     "DRUG", {}, False, True, True),
    ("case", "The patient was enrolled in the KEYNOTE-189 trial and received pembrolizumab.", "pembrolizumab",
     "DRUG", {}, False, True, True),
    # hypothetical, refused, not done -> not the patient's
    ("case", "She refused chemotherapy with capecitabine.", "capecitabine", "DRUG", {}, False, True, False),
    ("case", "Radiotherapy was not performed because of her frailty.", "Radiotherapy", "PROCEDURE", {}, False, True,
     False),
    ("case", "Regorafenib could be considered as a third-line option.", "Regorafenib", "DRUG", {}, False, True, False),
    ("case", "The tumour board recommended adjuvant radiotherapy.", "radiotherapy", "PROCEDURE", {}, False, True,
     False),
    ("case", "Adjuvant radiotherapy was omitted because he declined it.", "radiotherapy", "PROCEDURE", {}, False,
     True, False),
    ("case", "Surgery was impossible, so sorafenib was withheld.", "sorafenib", "DRUG", {}, False, True, False),
    ("case", "Her mother was treated with tamoxifen for breast cancer.", "tamoxifen", "DRUG", {}, False, True,
     False),
    # the case, told in the past
    ("case", "The tumour was removed by total gastrectomy.", "total gastrectomy", "PROCEDURE", {}, False, True, True),
    ("case", "After six cycles of FOLFOX the lesions shrank.", "FOLFOX", "DRUG", {}, False, True, True),
    ("abstract", "We describe a man treated with apatinib for 8 months.", "apatinib", "DRUG", {}, False, True, True),
    ("case", "FIGO stage was considered as IB.", "IB", "STAGE", {}, False, True, True),
    ("case", "Lapatinib was discussed but not given.", "Lapatinib", "DRUG", {}, False, True, False),
    ("case", "In May 2017, she underwent a lobectomy.", "lobectomy", "PROCEDURE", {}, False, True, True),
    ("case", "Metastasis could not be excluded, so PET-CT was performed.", "PET-CT", "PROCEDURE", {}, False, True,
     True),
    # literature sections: only when the sentence names the patient
    ("discussion", "Our patient received FOLFOX for six cycles.", "FOLFOX", "DRUG", {}, False, True, True),
    ("discussion", "FOLFOX is the standard adjuvant regimen [12].", "FOLFOX", "DRUG", {}, False, True, False),
    ("discussion", "Smith et al. treated 40 patients with cetuximab.", "cetuximab", "DRUG", {}, False, True, False),
    ("discussion", "As she tolerated it well, capecitabine was continued.", "capecitabine", "DRUG", {}, False, True,
     True),
    ("introduction", "Herein we describe a woman who has survived for 9 years.", "9 years", "SURVIVAL",
     {"measure": "os"}, False, True, True),
    ("discussion", "Her tumour was resected, as studies have shown that metastasectomy prolongs survival.",
     "metastasectomy", "PROCEDURE", {}, False, True, False),
    ("discussion", "Local radiotherapy may extend the benefit of the drug, as it did in our patient.",
     "radiotherapy", "PROCEDURE", {}, False, True, False),
    ("discussion", "Pheochromocytoma was ruled out on the basis of a normal abdominal CT scan.", "abdominal CT scan",
     "PROCEDURE", {}, False, True, True),
    ("discussion", "Pelvic exenteration was first performed by Brunschwig in 1948.", "Pelvic exenteration",
     "PROCEDURE", {}, False, True, False),
    ("discussion", "People who underwent metastasectomy had a longer OS (51).", "metastasectomy", "PROCEDURE", {},
     False, True, False),
    ("discussion", "Regorafenib was approved by the FDA in 2012.", "Regorafenib", "DRUG", {}, False, True, False),
    ("case", "Debulking surgery achieved no gross residual disease (R0).", "R0", "STAGE", {}, False, True, True),
    ("conclusion", "Pelvic exenteration can offer long survival in selected cases.", "Pelvic exenteration",
     "PROCEDURE", {}, False, True, False),
    ("discussion", "HER-2 positive tumours respond well to trastuzumab.", "trastuzumab", "DRUG", {}, False, True,
     False),
    ("discussion", "Zhang et al. reported a patient who received apatinib for 10 months.", "apatinib", "DRUG", {},
     False, True, False),
    ("case", "Radiotherapy was therefore not an option.", "Radiotherapy", "PROCEDURE", {}, False, True, False),
    ("case", "Abdominal pain was reported by the patient after the colectomy.", "colectomy", "PROCEDURE", {}, False,
     True, True),
    ("abstract", "Pelvic exenteration is a radical procedure for locally advanced rectal cancer.",
     "Pelvic exenteration", "PROCEDURE", {}, False, True, False),
    ("abstract", "Pelvic exenteration was performed in July 2022.", "Pelvic exenteration", "PROCEDURE", {}, False,
     True, True),
    # the case section's general statements and citations
    ("case", "Total gastrectomy is usually the treatment of choice.", "Total gastrectomy", "PROCEDURE", {}, False,
     False, False),
    ("case", "Renal function has markedly improved since the dialysis.", "dialysis", "PROCEDURE", {}, False, False,
     True),
    ("case", "The laboratory data are shown in Table 1.", "laboratory data", "PROCEDURE", {}, False, False, True),
    ("case", "Antibodies against U1-ribonucleoprotein were present.", "U1-ribonucleoprotein", "DRUG", {}, False,
     False, True),
    ("case", "The patient was strongly against mastectomy.", "mastectomy", "PROCEDURE", {}, False, True, False),
    ("case", "Raising the dose of gefitinib has been an effective strategy [3].", "gefitinib", "DRUG", {}, False,
     False, False),
    ("case", "Vandetanib is approved by the US Food and Drug Administration for MTC.", "Vandetanib", "DRUG", {},
     False, True, False),
    ("case", "Weekly high-dose erlotinib is tolerable [4].", "erlotinib", "DRUG", {}, False, True, False),
    ("case", "DNA was extracted from the biopsy specimen using standard methods [5].", "biopsy", "PROCEDURE", {},
     False, True, True),
    ("case", "In a retrospective study of 88 patients, cisplatin doubled the response rate.", "cisplatin", "DRUG",
     {}, False, True, False),
    # case series: the report's own patients, even as a group
    ("case", "Case 2 underwent a right hemicolectomy.", "right hemicolectomy", "PROCEDURE", {}, True, True, True),
    ("case", "All patients with stage IV disease died within a year.", "stage IV", "STAGE", {}, True, True, True),
    ("case", "All patients with stage IV disease died within a year.", "stage IV", "STAGE", {}, False, True, False),
    # survival figures
    ("case", "He was alive without recurrence for 5 years.", "5 years", "SURVIVAL", {"measure": "dfs"}, False, True,
     True),
    ("case", "The 5-year survival rate of this tumour is 12%.", "12%", "SURVIVAL", {"measure": "rate"}, True, True,
     False),
    ("discussion", "The median survival was 23 months.", "23 months", "SURVIVAL", {"measure": "median_os"}, False,
     True, False),
    ("discussion", "Remarkably, the patient has lived for 86 months.", "86 months", "SURVIVAL", {"measure": "os"},
     False, True, True),
]


@pytest.mark.parametrize("section,sentence,mention,label,attrs,series,sectioned,expected", CASES)
def test_attribution_cases(section, sentence, mention, label, attrs, series, sectioned, expected):
    start = sentence.index(mention)
    got = is_patient(section, sentence, start, start + len(mention), label=label, attrs=attrs, series=series,
                     sectioned=sectioned)
    assert got is expected


@pytest.mark.parametrize("text,series", [
    ("Case 1: a 50-year-old woman ... Case 2: a 67-year-old woman ...", True),
    ("We retrospectively reviewed 14 patients treated at our centre.", True),
    ("The second patient was a 49-year-old man.", True),
    ("A 51-year-old woman was admitted. The patient underwent surgery.", False),
])
def test_attribution_case_series(text, series):
    assert is_case_series(text) is series


def test_attribution_sentences_rejoined_across_blank_lines():
    text = "She received six cycles of\n\nchemotherapy and recovered. A second sentence."
    assert [text[s:e].strip() for s, e in sentence_spans(text)] == [
        "She received six cycles of\n\nchemotherapy and recovered.", "A second sentence."]


def _cue_params():
    for i, row in enumerate(cue_rows(), 2):
        yield pytest.param(row, id=f"{row['kind']}:{i}")


@pytest.mark.parametrize("row", list(_cue_params()))
def test_attribution_cue_example_matches(row):
    rx = re.compile(row["pattern"].replace(" ", r"\s+"), re.IGNORECASE)
    example = row["example"]
    if "[[" in example:
        before, rest = example.split("[[", 1)
        after = rest.split("]]", 1)[1]
        target = after if row["kind"] == "hypothetical_after" else before
    else:
        target = example
    assert rx.search(target), row


def test_attribution_pipeline_sets_patient(nlp):
    text = ("Case presentation\nA 60-year-old man underwent laparoscopic right hemicolectomy. "
            "He has been alive for 40 months.\n\nDiscussion\nThe median survival of such patients is 20 months.\n")
    result = extractor.extract(text, nlp=nlp)
    surv = {m.text: m.patient for m in result.survival}
    assert surv == {"40 months": True, "20 months": False}


def test_attribution_seed_patient_and_literature(corpus_scores):
    """The seed: 86 months and 7 years are the patient's; the cohort figures are not."""
    a = corpus_scores("seed")["attribution"]
    assert a["per_label"]["SURVIVAL"]["accuracy"] == 1.0
    assert a["accuracy"] >= 0.97 and a["balanced"] >= 0.97


def test_attribution_oncology_dev_all_labels(corpus_scores):
    a = corpus_scores("oncology-dev")["attribution"]
    assert a["accuracy"] >= 0.95 and a["balanced"] >= 0.90


def test_attribution_ocr_corpora(corpus_scores):
    assert corpus_scores("oncology-dev-ocr")["attribution"]["accuracy"] >= 0.93
    assert corpus_scores("seed-ocr")["attribution"]["accuracy"] >= 0.93
