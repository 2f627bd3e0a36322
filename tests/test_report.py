"""Review pages: highlights, timeline chart, tables, index; the seed rendered in headless Chromium."""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from extractor.records import Biomarker, Date, Drug, Procedure, Result, Stage, Survival, TimelineEvent
from extractor.report import (build_report, compare_with_gold, date_to_year, highlight_text, page_name,
                              render_document, render_index, timeline_points, timeline_svg)

from conftest import CORPORA, REPO, require_shared

ARTEFACTS = REPO / "outputs" / "test-artefacts"
SEED = CORPORA / "seed" / "seed-rectal-kras.txt"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                  "--enable-logging=stderr", "--v=0", "--disable-extensions", "--mute-audio"]


# ---------------------------------------------------------------- a hand-built document

TEXT = ("In March 2015 she had <b>low anterior resection</b> & FOLFOX; pT3N1M0 stage IIIB.\n"
        "KRAS G12D was found. Alive for 86 months. Cohort stage IV R0 rates vary.")


def _find(sub: str, nth: int = 0) -> int:
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(sub, i + 1)
    return i


def _m(cls, sub, **attrs):
    s = _find(sub)
    return cls(start=s, end=s + len(sub), text=sub, **attrs)


def hand_result(with_timeline: bool = True) -> Result:
    mentions = [
        _m(Date, "March 2015", type="date", value="2015-03"),
        _m(Procedure, "low anterior resection", category="surgery", patient=True),
        _m(Drug, "FOLFOX", name="FOLFOX", components="fluorouracil;folinic acid;oxaliplatin", patient=True),
        _m(Stage, "pT3N1M0", system="tnm", value="pT3N1M0", patient=True),
        _m(Stage, "stage IIIB", system="group", value="IIIB", patient=True),
        _m(Biomarker, "KRAS G12D", marker="KRAS", result="p.G12D"),
        _m(Survival, "86 months", measure="os", value=86.0, unit="months", patient=True),
        _m(Stage, "stage IV", system="group", value="IV", patient=False),
        _m(Stage, "R0", system="residual", value="R0", patient=False),
    ]
    timeline = []
    if with_timeline:
        d = _find("March 2015")
        timeline = [TimelineEvent("2015-03", "PROCEDURE", "low anterior resection", _find("low anterior"),
                                  "March 2015", d),
                    TimelineEvent("2015-03", "DRUG", "FOLFOX", _find("FOLFOX"), "March 2015", d),
                    TimelineEvent("2016", "STAGE", "pT3N1M0", _find("pT3N1M0")),
                    TimelineEvent(None, "STAGE", "stage IIIB", _find("stage IIIB"))]
    return Result(doc_id="case/<one>", text=TEXT, mentions=mentions, timeline=timeline,
                  summary={"latest_stage": "IIIB", "age": None})


class Collector(HTMLParser):
    """Counts elements and collects attributes of the ones tests look at."""

    def __init__(self):
        super().__init__()
        self.marks, self.circles, self.svgs, self.tags, self.scripts_src = [], [], [], [], []
        self.root_attrs, self.body_attrs, self.text_in_script = {}, {}, []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.root_attrs = a
        elif tag == "body":
            self.body_attrs = a
        elif tag == "mark":
            self.marks.append(a)
        elif tag == "circle":
            self.circles.append(a)
        elif tag == "svg":
            self.svgs.append(a)
        elif tag == "script":
            self._in_script = True
            if "src" in a:
                self.scripts_src.append(a["src"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.text_in_script.append(data)


def parse(page: str) -> Collector:
    c = Collector()
    c.feed(page)
    return c


# ---------------------------------------------------------------- unit tests

def test_page_highlights_every_mention_and_escapes_text():
    result = hand_result()
    page = render_document(result)
    c = parse(page)
    assert len(c.marks) == len(result.mentions)
    assert [m["data-label"] for m in c.marks] == [m.label for m in sorted(result.mentions, key=lambda m: m.start)]
    # the document's markup is text, never markup
    assert "<b>low" not in page and "&lt;b&gt;" in page
    assert "&lt;/b&gt; &amp; <mark" in page
    assert "case/&lt;one&gt;" in page and "case/<one>" not in page
    # nothing is loaded from anywhere: no src/href to the network, a CSP forbids it
    assert not c.scripts_src
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "default-src 'none'" in page


@pytest.mark.parametrize("label,expected_in_title", [
    ("STAGE", "STAGE: pT3N1M0"),
    ("DATE", "DATE: 2015-03"),
    ("DRUG", "DRUG: FOLFOX = fluorouracil + folinic acid + oxaliplatin"),
    ("PROCEDURE", "PROCEDURE: surgery"),
    ("BIOMARKER", "BIOMARKER: KRAS p.G12D"),
    ("SURVIVAL", "SURVIVAL: os 86 months"),
])
def test_hover_shows_normalised_value(label, expected_in_title):
    c = parse(render_document(hand_result()))
    titles = [m["title"] for m in c.marks if m["data-label"] == label]
    assert any(t.startswith(expected_in_title) for t in titles), titles
    assert all(m["data-norm"] == m["title"] for m in c.marks)


def test_not_patient_mentions_are_marked():
    c = parse(render_document(hand_result()))
    flagged = {m["id"] for m in c.marks if "not-patient" in m["class"]}
    assert flagged == {f"m-{_find('stage IV')}", f"m-{_find('R0')}"}


@pytest.mark.parametrize("value,expected", [
    ("2015", 2015.5), ("2015-01", 2015 + 15 / 365.25), ("2015-10-01", 2015 + 273 / 365.25),
    ("2023-1", 2023 + 15 / 365.25), (None, None), ("", None), ("about then", None), ("2015-13", None),
])
def test_date_to_year(value, expected):
    got = date_to_year(value)
    assert got == (None if expected is None else pytest.approx(expected, abs=1e-6))


def test_timeline_chart_draws_dated_events_on_a_year_axis():
    result = hand_result()
    mode, points = timeline_points(result)
    assert mode == "dated" and len(points) == 3            # the undated event is left to the table
    svg = timeline_svg(result)
    c = parse(svg)
    assert c.svgs[0]["data-mode"] == "dated" and c.svgs[0]["data-events"] == "3"
    assert len(c.circles) == 3
    assert sorted(x["data-label"] for x in c.circles) == ["DRUG", "PROCEDURE", "STAGE"]
    assert ">2015<" in svg and ">2016<" in svg


def test_timeline_falls_back_to_report_order_without_dates():
    result = hand_result(with_timeline=False)
    mode, points = timeline_points(result)
    assert mode == "order"
    # the patient's events and the dates, in text order; cohort mentions and markers left out
    assert [p["text"] for p in points] == ["March 2015", "low anterior resection", "FOLFOX", "pT3N1M0",
                                           "stage IIIB", "86 months"]
    assert len(parse(timeline_svg(result)).circles) == len(points)


def test_empty_document_renders():
    page = render_document(Result(doc_id="empty", text="Nothing here."))
    c = parse(page)
    assert not c.marks and c.svgs[0]["data-events"] == "0"
    assert "no events of the patient" in page


def test_overlapping_mentions_are_skipped_not_broken():
    text = "stage IIIB disease"
    ms = [Stage(0, 10, "stage IIIB", value="IIIB"), Stage(6, 10, "IIIB", value="IIIB")]
    out, skipped = highlight_text(text, ms)
    assert skipped == 1 and out.count("<mark") == 1 and out.endswith(" disease")


def test_tables_are_on_the_page():
    page = render_document(hand_result())
    for name in ("stages", "dates", "drugs", "procedures", "biomarkers", "survival", "timeline"):
        assert f'id="table-{name}"' in page
    assert 'href="#m-' in page       # table rows link to their highlight


@pytest.mark.parametrize("doc_id,expected", [
    ("seed-rectal-kras", "seed-rectal-kras.html"),
    ("reports/case 12", "reports_case_12.html"),
    ("../../etc/passwd", "etc_passwd.html"),
    ("", "document.html"),
])
def test_page_name_is_safe(doc_id, expected):
    assert page_name(doc_id, set()) == expected


def test_page_names_stay_unique():
    taken = set()
    assert [page_name(d, taken) for d in ("a/b", "a_b", "A_B")] == ["a_b.html", "a_b-2.html", "A_B-3.html"]


def test_index_lists_counts_and_failures():
    entries = [{"doc_id": "a", "href": "docs/a.html", "status": "ok", "n_chars": 1200,
                "counts": {"STAGE": 2, "DRUG": 1}, "n_events": 1, "latest_stage": "IV"},
               {"doc_id": "b<x>", "href": None, "status": "error: empty file", "counts": {}}]
    page = render_index(entries)
    assert 'href="docs/a.html"' in page and "b&lt;x&gt;" in page and "error: empty file" in page
    assert "1/2 ok" in page


def test_build_report_writes_index_and_pages(tmp_path, nlp):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "one.txt").write_text("The tumour was pT3N1M0, stage IIIB. R0 resection followed.", encoding="utf-8")
    (src / "sub" / "two.txt").write_text("Stage IV disease.", encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    index = Path(build_report([str(src)], str(tmp_path / "out"), nlp_factory=lambda: nlp))
    assert index == tmp_path / "out" / "index.html"
    page = index.read_text(encoding="utf-8")
    assert 'href="docs/one.html"' in page and 'href="docs/sub_two.html"' in page
    assert "error: empty file" in page
    one = (tmp_path / "out" / "docs" / "one.html").read_text(encoding="utf-8")
    labels = [m["data-label"] for m in parse(one).marks]
    assert labels.count("STAGE") >= 2


def _gold(sub, label, **attrs):
    s = _find(sub)
    return {"start": s, "end": s + len(sub), "label": label, "text": sub, "attrs": attrs}


def test_gold_comparison_marks_every_kind_of_disagreement():
    result = hand_result()
    gold = [m.to_gold() for m in result.mentions if m.text not in ("FOLFOX", "R0", "stage IIIB", "86 months")]
    gold += [_gold("stage IIIB", "STAGE", system="group", value="IIIA", patient=True),  # attribute differs
             _gold("Alive for 86 months", "SURVIVAL", value=86, unit="months"),         # span differs
             _gold("Cohort", "STAGE", value="IV")]                                      # missed, no overlap
    comp = compare_with_gold(result, gold)
    issues = {(r["issue"], r["text"]) for r in comp["rows"]}
    assert issues == {("spurious", "FOLFOX"), ("spurious", "R0"), ("attribute", "stage IIIB"),
                      ("span", "86 months"), ("missed", "Cohort")}
    assert comp["scores"]["lenient"]["micro"]["tp"] == len(gold) - 1
    page = render_document(result, gold=gold)
    c = parse(page)
    classes = {m["data-label"] + ":" + m["id"]: m["class"] for m in c.marks}
    assert "missed" in classes[f"STAGE:m-{_find('Cohort')}"]
    assert "spurious" in classes[f"DRUG:m-{_find('FOLFOX')}"]
    assert "attribute" in classes[f"STAGE:m-{_find('stage IIIB')}"]
    assert 'id="gold-section"' in page and "value=IIIA" in page


def test_report_with_gold_gives_each_document_its_f1(tmp_path, nlp):
    src = tmp_path / "in"
    src.mkdir()
    text = "The tumour was pT3N1M0, stage IIIB."
    (src / "one.txt").write_text(text, encoding="utf-8")
    s = text.index("pT3N1M0")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "one", "text_file": "in/one.txt", "mentions": [
        {"start": s, "end": s + 7, "label": "STAGE", "text": "pT3N1M0", "attrs": {"value": "pT3N1M0"}}]}) + "\n",
        encoding="utf-8")
    index = Path(build_report([str(src)], str(tmp_path / "out"), nlp_factory=lambda: nlp, gold=str(gold)))
    page = index.read_text(encoding="utf-8")
    assert "F1 vs gold" in page
    assert 'id="gold-section"' in (tmp_path / "out" / "docs" / "one.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- headless Chromium

def chromium() -> str:
    """The Chromium binary; installed by scripts/install_chromium.sh when missing (as root).
    Under CI=true a missing browser is a failure, elsewhere a skip."""
    def find():
        return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                     if shutil.which(n)), None)

    binary = find()
    if binary is None and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["sh", str(REPO / "scripts" / "install_chromium.sh")], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
        binary = find()
    if binary is None:
        msg = "Chromium is not installed and could not be installed (run scripts/install_chromium.sh as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return binary


def run_chromium(binary: str, tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra, url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}"
    return proc


def console_messages(stderr: str):
    """Console output the page produced (Chromium logs it as CONSOLE lines)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def png_size(path: Path):
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_seed_report_in_headless_chromium(tmp_path, nlp):
    import extractor

    seed = require_shared(SEED)
    binary = chromium()
    out = tmp_path / "report"
    index = Path(build_report([str(seed)], str(out), nlp_factory=lambda: nlp))
    page = out / "docs" / "seed-rectal-kras.html"
    status = re.findall(r"<td>(error: [^<]*)</td>", index.read_text(encoding="utf-8"))
    assert page.exists(), f"no page for the seed: {status}"
    result = extractor.extract(seed.read_text(encoding="utf-8"), doc_id="seed-rectal-kras", nlp=nlp)
    assert result.mentions, "the pipeline found nothing in the seed"

    proc = run_chromium(binary, tmp_path, page.as_uri(), "--dump-dom", "--virtual-time-budget=3000")
    dom = parse(proc.stdout)
    # the page's scripts ran to the end, and nothing failed on the way
    assert dom.body_attrs.get("data-js-status") == "ok", "page script did not finish"
    assert json.loads(dom.root_attrs.get("data-js-errors", "null")) == [], dom.root_attrs
    assert console_messages(proc.stderr) == []
    # highlights: one per mention, with the labels of the extraction
    assert len(dom.marks) == len(result.mentions)
    assert {m["data-label"] for m in dom.marks} == {m.label for m in result.mentions}
    assert all(m.get("title") for m in dom.marks)
    # the timeline is drawn: one marker per event the chart reports
    svg = next(s for s in dom.svgs if s.get("id") == "timeline")
    assert int(svg["data-events"]) >= 1
    assert len([c for c in dom.circles if "tl-event" in c.get("class", "")]) == int(svg["data-events"])

    # the index opens and links to the page
    proc = run_chromium(binary, tmp_path, index.as_uri(), "--dump-dom", "--virtual-time-budget=2000")
    assert 'href="docs/seed-rectal-kras.html"' in proc.stdout
    assert parse(proc.stdout).body_attrs.get("data-js-status") == "ok"
    assert console_messages(proc.stderr) == []

    # a screenshot kept as a test artefact
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / "seed-report.png"
    if shot.exists():
        shot.unlink()
    proc = run_chromium(binary, tmp_path, page.as_uri(), f"--screenshot={shot}", "--window-size=1280,2000",
                        "--virtual-time-budget=2000")
    assert shot.exists(), proc.stderr[-2000:]
    assert png_size(shot) == (1280, 2000)
    assert shot.stat().st_size > 60_000, "screenshot looks blank"
    assert console_messages(proc.stderr) == []
