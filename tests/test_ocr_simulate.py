"""The OCR-damage simulator (scripts/ocr_simulate.py): measured statistics, seeded
damage with offset maps both ways, gold spans carried over, and the repair layer
on damaged copies (texts written here, never copied from the corpora)."""
from __future__ import annotations

import importlib.util
import json
import sys
import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from extractor.text import repair

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("ocr_simulate", REPO / "scripts" / "ocr_simulate.py")
sim = importlib.util.module_from_spec(_spec)
sys.modules["ocr_simulate"] = sim  # dataclasses look their module up
_spec.loader.exec_module(sim)

TEXTS = [
    "A 61-year-old man presented in October 2019 with painless jaundice. The tumour was staged "
    "pT3N1bM0, stage IIIB, and he received six cycles of FOLFIRINOX. Serum CEA was 12.4 ng/mL.",
    "She underwent laparoscopic radical surgery in 2017 with an R0 margin.\n\nTwenty-two months "
    "after the surgery, MRI showed two liver metastases; she has been alive for 48 months.",
    "KRAS G12D was found; bevacizumab and oxaliplatin were given, and MLH1 was retained.",
]


@pytest.fixture(scope="module")
def stats():
    return sim.load_stats()


def test_stats_file_is_counts_not_text(stats):
    """The data file holds rates of short n-grams and layout numbers, no corpus text."""
    assert stats["source"] and stats["documents"] >= 2
    assert all(len(src) <= sim.MAX_EDIT for src in stats["subst"])
    assert all(len(dst) <= sim.MAX_EDIT for row in stats["subst"].values() for dst in row["to"])
    assert all(row["n"] >= sum(row["to"].values()) for row in stats["subst"].values())
    lay = stats["layout"]
    assert 30 <= lay["width_p10"] <= lay["width_p50"] <= lay["width_p90"] <= 200
    assert 0 <= lay["blank_line_rate"] < 1 and 0 <= lay["hyphen_split_rate"] < 1


def test_stats_measure_the_known_confusions(stats):
    """tesseract's best-known confusions are in the measured table (m read as rn/in, n as ri)."""
    assert "rn" in stats["subst"]["m"]["to"] or "in" in stats["subst"]["m"]["to"]
    assert "ri" in stats["subst"]["n"]["to"]


@pytest.mark.parametrize("clean, ocr, src, dst", [
    ("she was admitted today", "she was adrnitted today", "m", "rn"),
    ("in 2019 the patient", "in 2O19 the patient", "0", "O"),
    ("a known tumour mass", "a kriown tumour mass", "n", "ri"),
    ("after the surgery she", "after the surgery’she", " ", "’"),
])
def test_align_pair_counts_edits_by_clean_ngram(clean, ocr, src, dst):
    acc = {"aligned_chars": 0, "garbled_chars": 0, "subst": defaultdict(Counter), "insert": defaultdict(Counter),
           "texts": [], "boundary": Counter()}
    sim.align_pair(clean, ocr, acc)
    found = {(s, d) for s, outs in acc["subst"].items() for d in outs}
    # difflib may align a doubled letter either way round (mm -> rnrn or m -> rn twice)
    assert any(s.count(src) and d.count(dst) for s, d in found), found


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("text", TEXTS)
def test_damage_is_seeded_and_maps_are_consistent(stats, text, seed):
    a = sim.damage_text(text, seed, stats)
    b = sim.damage_text(text, seed, stats)
    assert a.text == b.text  # deterministic for a seed
    assert len(a.start_map) == len(a.end_map) == len(text) + 1
    assert len(a.back) == len(a.text)
    assert a.start_map[0] >= 0 and a.end_map[-1] == len(a.text)
    assert all(x <= y for x, y in zip(a.start_map, a.start_map[1:]))
    assert all(x <= y for x, y in zip(a.back, a.back[1:]))
    assert all(a.end_map[i] <= a.start_map[i] for i in range(len(text) + 1))


@pytest.mark.parametrize("text", TEXTS)
def test_no_damage_at_rate_zero_only_layout(stats, text):
    d = sim.damage_text(text, 1, stats, rate=0.0)
    assert d.text.replace("-\n", "").split() == text.split() or d.text.split() == text.split()
    plain = sim.damage_text(text, 1, stats, rate=0.0, layout=False)
    assert plain.text == text


@pytest.mark.parametrize("seed", range(8))
def test_gold_spans_keep_their_extent(stats, seed):
    """A carried span covers what its clean text became, damaged or not."""
    text = TEXTS[0]
    d = sim.damage_text(text, seed, stats, rate=3.0)
    for word in ("October 2019", "pT3N1bM0", "stage IIIB", "FOLFIRINOX", "CEA"):
        start = text.index(word)
        s, e = sim.carry_span(d, start, start + len(word))
        assert 0 <= s <= e <= len(d.text)
        assert e > s
        cs, ce = d.to_clean(s, e)
        assert cs <= start + len(word) and ce >= start  # maps back onto the clean span
        assert not d.text[s:e][:1].isspace() and not d.text[s:e][-1:].isspace()


def test_damage_gold_file_writes_schema_gold(tmp_path, stats):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    start = TEXTS[0].index("stage IIIB")
    row = {"id": "a", "text_file": "a.txt", "mentions": [
        {"start": start, "end": start + 10, "label": "STAGE", "text": "stage IIIB",
         "attrs": {"system": "group", "value": "IIIB", "patient": True}}]}
    gold = tmp_path / "src" / "g.jsonl"
    gold.write_text(json.dumps(row) + "\n", encoding="utf-8")
    out = sim.damage_gold_file(gold, tmp_path / "out", 3, stats, rate=2.0)
    got = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    text = (out.parent / got["text_file"]).read_text(encoding="utf-8")
    m = got["mentions"][0]
    assert text[m["start"]:m["end"]] == m["text"] and m["clean_text"] == "stage IIIB"
    assert m["attrs"]["value"] == "IIIB"


# --- the repair layer on simulated damage ----------------------------------------------

def _repaired_words(damaged: str) -> list:
    return repair(damaged).clean.split()


@pytest.mark.parametrize("seed", range(30))
def test_repair_undoes_most_simulated_damage(stats, seed):
    """Over all texts and seeds the repair brings back most damaged words of the
    kinds it targets (codes, stages, dates, drug names); the share is a floor, not
    an exact figure, so the test does not fit one seed."""
    rnd = random.Random(seed)
    text = rnd.choice(TEXTS)
    d = sim.damage_text(text, seed, stats, rate=2.0, layout=False)
    targets = ["pT3N1bM0", "IIIB", "FOLFIRINOX", "2019", "CEA", "R0", "48", "MLH1", "bevacizumab", "oxaliplatin",
               "2017", "months"]
    damaged = repaired = 0
    fixed = repair(d.text)
    for word in targets:
        start = text.find(word)
        if start < 0:
            continue
        s, e = sim.carry_span(d, start, start + len(word))
        if d.text[s:e] == word:
            continue
        damaged += 1
        cs, ce = fixed.to_clean(s, e)
        if word in fixed.clean[max(0, cs - 2):ce + 2]:
            repaired += 1
    if damaged >= 3:
        assert repaired >= damaged // 3, (d.text, fixed.clean)
