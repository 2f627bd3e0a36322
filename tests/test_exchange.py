"""brat and Label Studio: export pre-annotations, import corrections, score the loop."""
from __future__ import annotations

import json
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from extractor.cli import main
from extractor.errors import ExtractorError, GoldError
from extractor.evaluate import read_jsonl, read_predictions, score
from extractor.exchange import (ENUM_ATTRS, LS_ATTRS, LS_LABELS, LS_TEXT, brat_annotation_conf, export_annotations,
                                from_brat, from_labelstudio_task, import_annotations, labelstudio_config,
                                split_attrs, to_brat, to_labelstudio_task)

from conftest import GOLD_FILES, gold_docs, require_shared

# a text with what breaks naive exporters: CRLF, a line break inside a mention,
# characters outside the BMP (2 UTF-16 units each), markup characters
TEXT = ("\U0001d4d0 Case 1 \U0001f600\r\nIn October 2015 a low anterior\nresection & FOLFOX; pT3N1M0.\r\n"
        "Alive for 86 months; \u00b5 KRAS G12D.")


def mention(sub, label, **attrs):
    start = TEXT.index(sub)
    return {"start": start, "end": start + len(sub), "label": label, "text": sub, "attrs": attrs}


MENTIONS = [
    mention("October 2015", "DATE", type="date", value="2015-10"),
    mention("low anterior\nresection", "PROCEDURE", category="surgery", patient=True),
    mention("FOLFOX", "DRUG", name="FOLFOX", components="fluorouracil;folinic acid;oxaliplatin", patient=False),
    mention("pT3N1M0", "STAGE", system="tnm", value="pT3N1M0", patient=True),
    mention("86 months", "SURVIVAL", measure="os", value=86.0, unit="months", patient=True),
    mention("KRAS G12D", "BIOMARKER", marker="KRAS", result="p.G12D"),
]


def by_span(ms):
    return sorted(ms, key=lambda m: (m["start"], m["end"], m["label"]))


def f1(gold, pred):
    return score(gold, pred)["strict"]["micro"]["f1"]


# ---------------------------------------------------------------- attributes

@pytest.mark.parametrize("label,attrs,enum,rest", [
    ("STAGE", {"system": "tnm", "value": "pT3N1M0", "patient": True},
     {"system": "tnm", "patient": "true"}, {"value": "pT3N1M0"}),
    ("DATE", {"type": "relative"}, {"type": "relative"}, {}),
    ("PROCEDURE", {"category": "laser", "patient": False}, {"patient": "false"}, {"category": "laser"}),
    ("BIOMARKER", {"marker": "KRAS", "patient": True}, {}, {"marker": "KRAS", "patient": True}),
    ("SURVIVAL", {"measure": "os", "value": 86.0, "unit": "months"}, {"measure": "os", "unit": "months"},
     {"value": 86.0}),
])
def test_closed_attributes_become_tool_attributes(label, attrs, enum, rest):
    assert split_attrs(label, attrs) == (enum, rest)


def test_brat_conf_declares_every_label_and_attribute():
    conf = brat_annotation_conf()
    entities = conf.split("[entities]")[1].split("[")[0].split()
    assert entities == ["STAGE", "DATE", "DRUG", "PROCEDURE", "BIOMARKER", "SURVIVAL"]
    for name, (labels, values) in ENUM_ATTRS.items():
        assert f"{name}\tArg:{'|'.join(labels)}, Value:{'|'.join(values)}" in conf


# ---------------------------------------------------------------- brat

def test_brat_round_trip_keeps_spans_and_attrs():
    ann = to_brat(MENTIONS)
    assert all("\n" not in line for line in ann.splitlines())
    assert "T2\tPROCEDURE" in ann and "low anterior resection" in ann   # line break shown as a space
    assert by_span(from_brat(ann, TEXT)) == by_span(MENTIONS)


def test_brat_import_applies_curator_edits():
    ann = to_brat(MENTIONS)
    lines = ann.splitlines()
    t_of = {l.split("\t")[2]: l.split("\t")[0] for l in lines if l.startswith("T")}
    drug, stage = t_of["FOLFOX"], t_of["pT3N1M0"]
    edited = []
    for line in lines:
        parts = line.split("\t")
        if parts[0] == t_of["KRAS G12D"] or (len(parts) > 1 and parts[1].endswith(" " + t_of["KRAS G12D"])):
            continue                                            # deleted a mention and its note
        if parts[0] == drug:
            line = line.replace("DRUG", "PROCEDURE")            # relabelled
        if parts[0].startswith("A") and parts[1] == f"patient {stage} true":
            line = f"{parts[0]}\tpatient {stage} false"         # attribute flipped in brat's dialog
        edited.append(line)
    µ = TEXT.index("\u00b5")
    edited += [f"T99\tBIOMARKER {µ + 2} {µ + 6};{µ + 7} {µ + 11}\tKRAS G12D",  # discontinuous -> one span
               "#9\tAnnotatorNotes T99\tmarker=KRAS; result=mutated",          # note typed by hand
               "T98\tAge 0 2\t\U0001d4d0 ",                                     # a type we do not score
               f"R1\tRel Arg1:{drug} Arg2:{stage}"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = {m["text"]: m for m in from_brat("\n".join(edited), TEXT)}
    assert any("Age" in str(w.message) for w in caught)
    assert got["FOLFOX"]["label"] == "PROCEDURE"
    assert got["FOLFOX"]["attrs"] == {"patient": False}         # DRUG-only attributes dropped
    assert got["pT3N1M0"]["attrs"]["patient"] is False
    assert got["86 months"]["attrs"] == {"measure": "os", "value": 86.0, "unit": "months", "patient": True}
    assert got["KRAS G12D"]["attrs"] == {"marker": "KRAS", "result": "mutated"}
    assert len(got) == len(MENTIONS)


@pytest.mark.parametrize("ann,error", [
    ("T1\tSTAGE 5 x\tfoo", "bad offsets"),
    ("T1\tSTAGE 5 100000\tfoo", "do not fit"),
    ("T1 STAGE 5 9 foo", "text-bound line"),
])
def test_brat_import_names_bad_lines(ann, error):
    with pytest.raises(GoldError, match=error):
        from_brat(ann, TEXT, where="x.ann")


# ---------------------------------------------------------------- Label Studio

def test_labelstudio_offsets_are_utf16_and_come_back():
    task = to_labelstudio_task("case/1", TEXT, MENTIONS)
    regions = [r for r in task["predictions"][0]["result"] if r["type"] == "labels"]
    date = next(r for r in regions if r["value"]["labels"] == ["DATE"])
    # two astral characters precede the date: +2 UTF-16 units
    assert date["value"]["start"] == TEXT.index("October") + 2
    js = TEXT.encode("utf-16-le")
    for r in regions:
        v = r["value"]
        assert js[2 * v["start"]:2 * v["end"]].decode("utf-16-le") == v["text"]
    doc_id, text, mentions, source = from_labelstudio_task(task)
    assert (doc_id, text, source) == ("case/1", TEXT, "prediction")
    assert by_span(mentions) == by_span(MENTIONS)


def _annotated(task, result, **extra):
    task = json.loads(json.dumps(task))
    task.setdefault("annotations", []).append({"result": result, **extra})
    return task


def test_labelstudio_takes_the_latest_submitted_annotation():
    task = to_labelstudio_task("d", TEXT, MENTIONS)
    pred = task["predictions"][0]["result"]
    keep = [r for r in pred if r["id"] != "m1"]                     # curator deleted the first region
    for r in keep:
        if r["from_name"] == "patient" and r["value"]["choices"] == ["false"]:
            r["value"]["choices"] = ["true"]                        # and fixed a patient flag
    task = _annotated(task, pred, updated_at="2026-01-01T10:00:00Z")
    task = _annotated(task, keep, updated_at="2026-01-02T10:00:00Z")
    task = _annotated(task, [], updated_at="2026-01-03T10:00:00Z", was_cancelled=True)
    _, _, mentions, source = from_labelstudio_task(task)
    assert source == "annotation"
    assert len(mentions) == len(MENTIONS) - 1
    assert all(m["attrs"].get("patient") is not False for m in mentions)


def test_labelstudio_region_meta_is_read():
    result = [{"id": "a", "from_name": LS_LABELS, "to_name": LS_TEXT, "type": "labels",
               "value": {"start": 0, "end": 4, "text": "KRAS", "labels": ["BIOMARKER"]},
               "meta": {"text": ['{"marker": "KRAS", "result": "p.G12D"}']}}]
    _, _, mentions, _ = from_labelstudio_task({"data": {"text": "KRAS G12D"}, "annotations": [{"result": result}]})
    assert mentions == [{"start": 0, "end": 4, "label": "BIOMARKER", "text": "KRAS",
                         "attrs": {"marker": "KRAS", "result": "p.G12D"}}]


def test_labelstudio_config_matches_the_results():
    root = ET.fromstring(labelstudio_config())
    names = {el.get("name") for el in root.iter() if el.get("name")}
    assert {LS_LABELS, LS_TEXT, LS_ATTRS, *ENUM_ATTRS} <= names
    assert [el.get("value") for el in root.iter("Label")] == ["STAGE", "DATE", "DRUG", "PROCEDURE",
                                                              "BIOMARKER", "SURVIVAL"]
    task = to_labelstudio_task("d", TEXT, MENTIONS)
    for r in task["predictions"][0]["result"]:
        assert r["from_name"] in names and r["to_name"] == LS_TEXT
        if r["type"] == "choices":
            choices = [c.get("value") for ch in root.iter("Choices") if ch.get("name") == r["from_name"]
                       for c in ch.iter("Choice")]
            assert r["value"]["choices"][0] in choices


# ---------------------------------------------------------------- the loop, on files

def write_predictions(tmp_path: Path, docs) -> Path:
    run = tmp_path / "run"
    texts = tmp_path / "texts"
    run.mkdir()
    texts.mkdir()
    with open(run / "predictions.jsonl", "w", encoding="utf-8") as fh:
        for doc_id, text, mentions in docs:
            (texts / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
            fh.write(json.dumps({"id": doc_id, "path": str(texts / f"{doc_id}.txt"), "mentions": mentions}) + "\n")
    return run


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
def test_round_trip_of_tricky_text_is_exact(tmp_path, fmt):
    run = write_predictions(tmp_path, [("tricky", TEXT, MENTIONS)])
    assert export_annotations(str(run), str(tmp_path / fmt), fmt=fmt, texts=str(tmp_path / "texts")) == 1
    source = tmp_path / fmt / ("tasks.json" if fmt == "labelstudio" else "")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert import_annotations(str(source), str(tmp_path / "gold.jsonl"), fmt=fmt) == 1
    row = json.loads((tmp_path / "gold.jsonl").read_text(encoding="utf-8"))
    assert (tmp_path / row["text_file"]).read_bytes() == TEXT.encode("utf-8")    # CRLF kept
    assert by_span(row["mentions"]) == by_span(MENTIONS)


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
def test_seed_predictions_round_trip_through_the_cli(tmp_path, nlp, fmt):
    """pre-annotate (the pipeline on the seed) -> export -> import -> evaluate: F1 1.0, attrs intact."""
    import extractor

    docs = []
    for doc_id, text, _gold in gold_docs("seed"):
        result = extractor.extract(text, doc_id=doc_id, nlp=nlp)
        docs.append((doc_id, text, [m.to_gold() for m in result.mentions]))
    assert sum(len(d[2]) for d in docs) > 0
    run = write_predictions(tmp_path, docs)
    out = tmp_path / fmt
    assert main(["export", str(run), "--texts", str(tmp_path / "texts"), "--to", fmt, "--out", str(out)]) == 0
    source = out / "tasks.json" if fmt == "labelstudio" else out
    gold_path = tmp_path / "curated.gold.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["import", str(source), "--source-format", fmt, "--out", str(gold_path)]) == 0
    gold, pred = read_jsonl(gold_path), read_predictions(run)
    scores = score(gold, pred)
    assert scores["strict"]["micro"]["f1"] == 1.0
    assert all(v["accuracy"] == 1.0 for lab in scores["normalisation"].values() for v in lab.values())
    for doc_id in pred:
        assert by_span(gold[doc_id]) == by_span(pred[doc_id])


@pytest.mark.parametrize("corpus", ["seed", "oncology-dev"])
@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
def test_shared_gold_survives_the_round_trip(tmp_path, corpus, fmt):
    """Every gold mention of the shared corpora, with every attribute, comes back unchanged."""
    path = require_shared(GOLD_FILES[corpus])
    out = tmp_path / fmt
    n = export_annotations(str(path), str(out), fmt=fmt, texts=str(path.parent))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert import_annotations(str(out / "tasks.json" if fmt == "labelstudio" else out),
                                  str(tmp_path / "back.jsonl"), fmt=fmt) == n
    before, after = read_jsonl(path), read_jsonl(tmp_path / "back.jsonl")
    assert before.keys() == after.keys()
    for doc_id in before:
        assert by_span(after[doc_id]) == by_span(before[doc_id])
    assert f1(before, after) == 1.0


def test_a_curated_brat_folder_scores_as_its_corrections(tmp_path, nlp):
    """The curator fixes the pre-annotation (here: replaces it with the gold); the import then
    scores 1.0 against the seed gold and the pre-annotation scores what it scored before."""
    import extractor

    (doc_id, text, gold_mentions), = list(gold_docs("seed"))
    pred = [m.to_gold() for m in extractor.extract(text, doc_id=doc_id, nlp=nlp).mentions]
    run = write_predictions(tmp_path, [(doc_id, text, pred)])
    export_annotations(str(run), str(tmp_path / "brat"), fmt="brat", texts=str(tmp_path / "texts"))
    (tmp_path / "brat" / f"{doc_id}.ann").write_text(to_brat(gold_mentions), encoding="utf-8")
    import_annotations(str(tmp_path / "brat"), str(tmp_path / "curated.jsonl"), fmt="brat")
    curated = read_jsonl(tmp_path / "curated.jsonl")
    seed_gold = read_jsonl(GOLD_FILES["seed"])
    assert f1(seed_gold, curated) == 1.0
    assert f1(curated, {doc_id: pred}) == f1(seed_gold, {doc_id: pred})


# ---------------------------------------------------------------- errors

def test_export_needs_the_texts(tmp_path):
    run = tmp_path / "p.jsonl"
    run.write_text(json.dumps({"id": "nowhere", "mentions": []}) + "\n", encoding="utf-8")
    with pytest.raises(ExtractorError, match="not found"):
        export_annotations(str(run), str(tmp_path / "o"), fmt="brat", texts=str(tmp_path))


def test_export_refuses_a_text_that_does_not_fit(tmp_path):
    run = write_predictions(tmp_path, [("d", TEXT, MENTIONS)])
    (tmp_path / "texts" / "d.txt").write_text("another text entirely, long enough " * 5, encoding="utf-8")
    with pytest.raises(ExtractorError, match="--texts"):
        export_annotations(str(run), str(tmp_path / "o"), fmt="brat", texts=str(tmp_path / "texts"))


def test_import_rejects_what_is_not_a_labelstudio_export(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldError, match="Label Studio"):
        import_annotations(str(bad), str(tmp_path / "g.jsonl"), fmt="labelstudio")


def test_cli_reports_a_missing_brat_folder(tmp_path, capsys):
    assert main(["import", str(tmp_path / "none"), "--source-format", "brat", "--out", str(tmp_path / "g.jsonl")]) == 2
    assert "brat" in capsys.readouterr().err


def test_labelstudio_sdk_accepts_config_and_tasks():
    """Optional: Label Studio's own SDK validates the exported predictions against the config."""
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    interface = sdk.LabelInterface(labelstudio_config())
    task = to_labelstudio_task("d", TEXT, MENTIONS)
    assert interface.validate_prediction(task["predictions"][0])
    broken = json.loads(json.dumps(task["predictions"][0]))
    broken["result"][0]["value"]["labels"] = ["NOT_A_LABEL"]
    assert not interface.validate_prediction(broken)


@pytest.mark.parametrize("ids", [("a", "../a"), ("Case", "case")])
def test_brat_export_refuses_two_documents_in_one_file(tmp_path, ids):
    run = tmp_path / "p.jsonl"
    run.write_text("".join(json.dumps({"id": i, "text": "Stage IV.", "mentions": []}) + "\n" for i in ids),
                   encoding="utf-8")
    with pytest.raises(ExtractorError, match="would share"):
        export_annotations(str(run), str(tmp_path / "o"), fmt="brat")
