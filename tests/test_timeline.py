"""Timeline: patient events linked to the DATE that positions them, in date order."""
import pytest

import extractor
from extractor.records import Date, Drug, Procedure, Result, Stage, TimelineEvent
from extractor.timeline import timeline_for


def _result(text, *specs):
    """A Result built by hand: each spec is (record class, span text, occurrence, attrs)."""
    mentions = []
    for cls, span, nth, attrs in specs:
        start = -1
        for _ in range(nth + 1):
            start = text.index(span, start + 1)
        mentions.append(cls(start=start, end=start + len(span), text=span, **attrs))
    return Result(doc_id="x", text=text, mentions=sorted(mentions, key=lambda m: m.start))


def _rows(result, **kw):
    return [(e.date, e.event_label, e.event_text, e.date_text) for e in timeline_for(result, **kw)]


def test_timeline_date_before_positions_the_whole_sentence():
    text = ("In August 2017, laparoscopic exploration revealed a mass, so the left ovary "
            "and metastases were removed by ovariectomy.")
    r = _result(text,
                (Date, "August 2017", 0, {"type": "date", "value": "2017-08"}),
                (Procedure, "laparoscopic exploration", 0, {"patient": True}),
                (Procedure, "ovariectomy", 0, {"patient": True}))
    assert _rows(r) == [("2017-08", "PROCEDURE", "laparoscopic exploration", "August 2017"),
                        ("2017-08", "PROCEDURE", "ovariectomy", "August 2017")]


def test_timeline_list_with_dates_after_each_event():
    text = ("She had undergone seven surgeries (right ovariectomy in October 2015, left ovariectomy in "
            "August 2017, partial rectal resection in March 2021, and two reconstructive surgeries "
            "in September 2022).")
    r = _result(text,
                (Procedure, "right ovariectomy", 0, {"patient": True}),
                (Date, "October 2015", 0, {"type": "date", "value": "2015-10"}),
                (Procedure, "left ovariectomy", 0, {"patient": True}),
                (Date, "August 2017", 0, {"type": "date", "value": "2017-08"}),
                (Procedure, "partial rectal resection", 0, {"patient": True}),
                (Date, "March 2021", 0, {"type": "date", "value": "2021-03"}),
                (Procedure, "reconstructive surgeries", 0, {"patient": True}),
                (Date, "September 2022", 0, {"type": "date", "value": "2022-09"}))
    assert [(d, t) for d, _, t, _ in _rows(r)] == [
        ("2015-10", "right ovariectomy"), ("2017-08", "left ovariectomy"),
        ("2021-03", "partial rectal resection"), ("2022-09", "reconstructive surgeries")]


def test_timeline_sorts_by_date_not_text_order():
    text = "In March 2021, FOLFIRI was given. In October 2015, she had surgery with XELOX after it."
    r = _result(text,
                (Date, "March 2021", 0, {"type": "date", "value": "2021-03"}),
                (Drug, "FOLFIRI", 0, {"patient": True, "name": "FOLFIRI"}),
                (Date, "October 2015", 0, {"type": "date", "value": "2015-10"}),
                (Drug, "XELOX", 0, {"patient": True, "name": "XELOX"}))
    assert [(d, t) for d, _, t, _ in _rows(r)] == [("2015-10", "XELOX"), ("2021-03", "FOLFIRI")]


def test_timeline_only_the_patients_events():
    text = "In 2019, the patient received regorafenib; TAC102 could be considered in 2019 too."
    r = _result(text,
                (Date, "2019", 0, {"type": "date", "value": "2019"}),
                (Drug, "regorafenib", 0, {"patient": True}),
                (Drug, "TAC102", 0, {"patient": False}),
                (Date, "2019", 1, {"type": "date", "value": "2019"}))
    assert [t for _, _, t, _ in _rows(r)] == ["regorafenib"]


def test_timeline_stage_and_relative_date():
    text = ("In October 2015, surgery found stage IV disease. 22 months after the surgery, "
            "the patient underwent a pelvic CT.")
    r = _result(text,
                (Date, "October 2015", 0, {"type": "date", "value": "2015-10"}),
                (Stage, "stage IV", 0, {"patient": True, "system": "group", "value": "IV"}),
                (Date, "22 months after the surgery", 0, {"type": "relative", "value": "2017-08"}),
                (Procedure, "pelvic CT", 0, {"patient": True}))
    assert _rows(r) == [("2015-10", "STAGE", "stage IV", "October 2015"),
                        ("2017-08", "PROCEDURE", "pelvic CT", "22 months after the surgery")]


def test_timeline_no_date_across_sentences_and_no_later_date_behind_a_comma():
    text = ("We found the ovary involved during the initial radical surgery, and found metastases "
            "2 years later. Colonoscopy was normal.")
    r = _result(text,
                (Procedure, "radical surgery", 0, {"patient": True}),
                (Date, "2 years later", 0, {"type": "relative", "value": "2017"}),
                (Procedure, "Colonoscopy", 0, {"patient": True}))
    # the surgery is not positioned by the later date; the colonoscopy, told after
    # it in the same paragraph, takes the narrative's running date (date_source paragraph)
    assert [(d, t) for d, _, t, _ in _rows(r)] == [("2017", "Colonoscopy")]
    assert [e.date_source for e in timeline_for(r)] == ["paragraph"]
    undated = _rows(r, include_undated=True)
    assert [(d, t) for d, _, t, _ in undated] == [(None, "radical surgery"), ("2017", "Colonoscopy")]


def test_timeline_past_reference_takes_no_running_date():
    text = "In 2019 she was well. Markers stayed normal after the pelvic exenteration."
    r = _result(text,
                (Date, "2019", 0, {"type": "date", "value": "2019"}),
                (Procedure, "pelvic exenteration", 0, {"patient": True}))
    assert _rows(r) == []


def test_timeline_unvalued_dates_keep_their_text_place():
    text = ("In May 2017, gefitinib was started. Two weeks later, pemetrexed was added. "
            "In January 2016, she had a lobectomy.")
    r = _result(text,
                (Date, "May 2017", 0, {"type": "date", "value": "2017-05"}),
                (Drug, "gefitinib", 0, {"patient": True}),
                (Date, "Two weeks later", 0, {"type": "relative"}),
                (Drug, "pemetrexed", 0, {"patient": True}),
                (Date, "January 2016", 0, {"type": "date", "value": "2016-01"}),
                (Procedure, "lobectomy", 0, {"patient": True}))
    assert [(d, t) for d, _, t, _ in _rows(r)] == [
        ("2016-01", "lobectomy"), ("2017-05", "gefitinib"), (None, "pemetrexed")]


def test_timeline_rows_follow_the_table_columns():
    ev = TimelineEvent(date="2015-10", event_label="PROCEDURE", event_text="colostomy", event_start=5,
                       date_text="October 2015", date_start=20)
    row = ev.to_row("case-1")
    assert tuple(row) == TimelineEvent.columns()
    assert TimelineEvent.columns()[:5] == ("doc_id", "date", "event_label", "event_text", "event_start")


def test_timeline_empty_without_events():
    assert timeline_for(Result(doc_id="x", text="In 2019 nothing happened.")) == []


def test_timeline_from_the_pipeline(nlp):
    text = ("In October 2015, the patient underwent laparoscopic radical surgery for rectal cancer. "
            "In August 2017, a left ovariectomy was performed.")
    result = extractor.extract(text, nlp=nlp)
    for ev in result.timeline:
        assert text[ev.event_start:ev.event_start + len(ev.event_text)] == ev.event_text
        assert text[ev.date_start:ev.date_start + len(ev.date_text)] == ev.date_text
    dates = [ev.date for ev in result.timeline]
    assert dates == sorted(dates)


SEVEN = [("2015-10", "radical rectal cancer surgery"), ("2015-10", "right ovariectomy"),
         ("2017-08", "left ovariectomy"), ("2021-03", "partial rectal resection"),
         ("2021-07", "radiofrequency ablation"), ("2021-07", "particle implantation"),
         ("2022-07", "pelvic exenteration"), ("2022-09", "reconstructive surgeries")]


def test_timeline_seed_lists_the_seven_operations_in_order(nlp):
    from tests.conftest import gold_docs

    (_, text, _), = list(gold_docs("seed"))
    result = extractor.extract(text, nlp=nlp)
    rows = [(ev.date, ev.event_text.replace("\n", " ")) for ev in result.timeline if ev.event_label == "PROCEDURE"]
    dates = [d for d, _ in rows if d]
    assert dates == sorted(dates)
    assert dates[0] == "2015-10" and dates[-1] == "2022-09"
    # the seven operations (eight procedure names) appear in this order, each with its date
    it = iter(rows)
    assert all(op in it for op in SEVEN), rows


@pytest.mark.parametrize("before, dated", [
    ("Follow-ups after the ", False),         # patterns/timeline.jsonl past-reference: a past event
    ("Recovery since her first ", False),
    ("Two cycles later she had ", True),      # the running date positions it
])
def test_timeline_past_reference_rule_from_data(before, dated):
    text = "In March 2019 she was well.\n" + before + "hepatectomy."
    r = _result(text,
                (Date, "March 2019", 0, {"type": "date", "value": "2019-03"}),
                (Procedure, "hepatectomy", 0, {"patient": True}))
    rows = _rows(r)
    assert (rows == [("2019-03", "PROCEDURE", "hepatectomy", "March 2019")]) is dated
