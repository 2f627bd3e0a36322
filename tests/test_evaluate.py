"""SCHEMA.md scores against hand-computed values; gold readers and their errors."""
import json

import pytest

from extractor.errors import GoldError
from extractor.evaluate import lenient_matches, read_brat, read_jsonl, score, strict_matches


def m(start, end, label="DRUG", **attrs):
    return {"start": start, "end": end, "label": label, "text": "", "attrs": attrs}


def test_evaluate_strict_and_lenient_by_hand():
    gold = {"d": [m(0, 5), m(10, 20), m(30, 35), m(50, 55, "STAGE", value="IV")]}
    pred = {"d": [m(0, 5), m(12, 18), m(40, 45), m(50, 55, "STAGE", value="III")]}
    s = score(gold, pred, labels=["DRUG", "STAGE"])
    drug_strict = s["strict"]["per_label"]["DRUG"]
    # strict: only (0,5) matches -> P = 1/3, R = 1/3
    assert (drug_strict["tp"], drug_strict["n_pred"], drug_strict["n_gold"]) == (1, 3, 3)
    assert drug_strict["precision"] == pytest.approx(0.3333, abs=1e-4)
    drug_len = s["lenient"]["per_label"]["DRUG"]
    # lenient: (0,5) and (12,18)~(10,20) -> P = R = F1 = 2/3
    assert (drug_len["precision"], drug_len["recall"], drug_len["f1"]) == (0.6667, 0.6667, 0.6667)
    micro = s["lenient"]["micro"]
    assert (micro["tp"], micro["n_pred"], micro["n_gold"]) == (3, 4, 4)
    assert micro["f1"] == 0.75
    assert s["normalisation"]["STAGE"]["value"] == {"accuracy": 0.0, "n": 1}


def test_evaluate_overlapping_and_duplicate_predictions_pair_once():
    gold = {"d": [m(0, 10), m(20, 30)]}
    # two predictions overlap the first gold mention, one duplicates the second exactly
    pred = {"d": [m(0, 4), m(5, 10), m(20, 30), m(20, 30)]}
    s = score(gold, pred, labels=["DRUG"])
    strict = s["strict"]["per_label"]["DRUG"]
    assert (strict["tp"], strict["n_pred"], strict["n_gold"]) == (1, 4, 2)
    lenient = s["lenient"]["per_label"]["DRUG"]
    # each gold pairs at most once: 2 true positives out of 4 predictions
    assert (lenient["tp"], lenient["precision"], lenient["recall"]) == (2, 0.5, 1.0)
    assert lenient["f1"] == pytest.approx(0.6667, abs=1e-4)


def test_evaluate_lenient_prefers_largest_overlap():
    gold = [m(0, 10), m(8, 20)]
    pred = [m(9, 19)]
    assert lenient_matches(gold, pred) == [(1, 0)]
    assert strict_matches(gold, [m(8, 20), m(8, 20)]) == [(1, 0)]


def test_evaluate_labels_never_cross():
    s = score({"d": [m(0, 5, "DRUG")]}, {"d": [m(0, 5, "PROCEDURE")]}, labels=["DRUG", "PROCEDURE"])
    assert s["lenient"]["micro"]["tp"] == 0


def test_evaluate_attribution_balanced():
    gold = {"d": [m(0, 1, patient=True), m(2, 3, patient=True), m(4, 5, patient=True), m(6, 7, patient=False)]}
    pred = {"d": [m(0, 1, patient=True), m(2, 3, patient=True), m(4, 5, patient=True), m(6, 7, patient=True)]}
    a = score(gold, pred, labels=["DRUG"])["attribution"]
    assert a["accuracy"] == 0.75
    assert a["balanced"] == 0.5  # recall of true 1.0, of false 0.0


def test_evaluate_survival_value_and_unit_together():
    gold = {"d": [m(0, 9, "SURVIVAL", value=86, unit="months")]}
    pred = {"d": [m(0, 9, "SURVIVAL", value=86.0, unit="years")]}
    s = score(gold, pred, labels=["SURVIVAL"])
    assert s["normalisation"]["SURVIVAL"]["value+unit"] == {"accuracy": 0.0, "n": 1}


def test_evaluate_missing_prediction_doc_counts_as_empty():
    s = score({"a": [m(0, 1)], "b": [m(0, 1)]}, {"a": [m(0, 1)]}, labels=["DRUG"])
    assert s["lenient"]["per_label"]["DRUG"]["recall"] == 0.5


def _write_gold(tmp_path, mentions, text="Stage IV cancer."):
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "doc", "text_file": "doc.txt", "mentions": mentions}) + "\n", encoding="utf-8")
    return gold


@pytest.mark.parametrize("mention,message", [
    ({"start": 0, "end": 8, "label": "STAGE", "text": "Stage IX"}, "does not match"),
    ({"start": 5, "end": 2, "label": "STAGE"}, "bad offsets"),
    ({"start": 0, "end": 99, "label": "STAGE"}, "past the text"),
    ({"start": 0, "end": 8, "label": "TUMOUR"}, "unknown label"),
    ({"end": 8, "label": "STAGE"}, "lacks 'start'"),
])
def test_evaluate_malformed_gold_names_file_and_line(tmp_path, mention, message):
    gold = _write_gold(tmp_path, [mention])
    with pytest.raises(GoldError) as err:
        read_jsonl(gold)
    assert message in str(err.value)
    assert "g.jsonl:1" in str(err.value)


def test_evaluate_bad_json_line(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": "a", "mentions": []}\n{not json\n', encoding="utf-8")
    with pytest.raises(GoldError, match="g.jsonl:2: not valid JSON"):
        read_jsonl(gold)


def test_evaluate_reads_brat_with_label_map(tmp_path):
    (tmp_path / "r.txt").write_text("Given cisplatin on 3 May.", encoding="utf-8")
    (tmp_path / "r.ann").write_text("T1\tMedication 6 15\tcisplatin\nT2\tDate 19 24\t3 May\nT3\tSign_symptom 0 5\tGiven\n",
                                    encoding="utf-8")
    docs = read_brat(tmp_path, {"Medication": "DRUG", "Date": "DATE"})
    assert [(x["label"], x["start"], x["end"]) for x in docs["r"]] == [("DRUG", 6, 15), ("DATE", 19, 24)]


def test_evaluate_cli_on_brat_gold(tmp_path, capsys):
    from extractor.cli import main

    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "r.txt").write_text("x", encoding="utf-8")
    (tmp_path / "gold" / "r.ann").write_text("T1\tMedication 0 1\tx\n", encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "r", "mentions": [{"start": 0, "end": 1, "label": "DRUG", "text": "x"}]}) + "\n")
    assert main(["evaluate", "--gold", str(tmp_path / "gold"), "--pred", str(pred), "--json", str(tmp_path / "s.json")]) == 0
    scores = json.loads((tmp_path / "s.json").read_text())
    assert scores["lenient"]["per_label"]["DRUG"]["f1"] == 1.0
