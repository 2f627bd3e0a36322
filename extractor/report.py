"""Static HTML review pages: one page per document and an index for the corpus.

Curators check extractions by looking, not by reading tables, so each page shows
the report's text with every family highlighted (displaCy-style; the normalised
value on hover), the patient's timeline as an inline SVG chart, the patient
summary and the document's tables. Pages are self-contained (inline CSS and JS,
a Content-Security-Policy that forbids any network load) so they open from disk
offline. Every piece of document text goes through ``html.escape``.

A small script records JavaScript errors and blocked loads into the
``data-js-errors`` attribute of ``<html>`` and sets ``data-js-status="ok"`` on
``<body>`` when the page has finished wiring, so a headless browser's DOM dump
shows whether the page ran cleanly.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date as _date
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from .records import LABELS, Result
from .tables import TABLE_NAMES, rows_for_result, table_columns

#: highlight colours, displaCy's palette where it has one
COLOURS: Dict[str, str] = {
    "STAGE": "#feca74",
    "DATE": "#bfe1d9",
    "DRUG": "#aa9cfc",
    "PROCEDURE": "#7aecec",
    "BIOMARKER": "#ff9aa8",
    "SURVIVAL": "#b5e48c",
}
#: lanes of the timeline chart, top to bottom
TIMELINE_LANES: Tuple[str, ...] = ("PROCEDURE", "DRUG", "STAGE", "SURVIVAL", "DATE")

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'")

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: var(--bg); }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 1rem; }
h1 { font-size: 1.5rem; margin: .25rem 0 .5rem; word-break: break-all; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1rem 0 .35rem; }
a { color: #0969da; }
.muted { color: var(--muted); }
nav.crumbs { font-size: .9rem; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.summary dt { color: var(--muted); }
dl.summary dd { margin: 0; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
.legend label { display: inline-flex; align-items: center; gap: .35rem; padding: .15rem .55rem; border-radius: .35rem;
                cursor: pointer; font-size: .85rem; font-weight: 600; user-select: none; }
.legend .count { font-weight: 400; }
.doc-text { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 2.3; background: var(--panel);
            border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem; font-size: 15px; }
mark.ent { position: relative; padding: .2em .35em; margin: 0 .1em; border-radius: .35em; line-height: 1;
           color: inherit; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
mark.ent .ent-tag { font-size: .62em; font-weight: 700; letter-spacing: .02em; vertical-align: middle;
                    margin-left: .4em; text-transform: uppercase; opacity: .8; }
mark.ent.not-patient { outline: 1.5px dashed rgba(0,0,0,.45); outline-offset: -1.5px; }
mark.ent:hover::after, mark.ent:focus::after { content: attr(data-norm); position: absolute; left: 0; top: 100%;
           z-index: 5; margin-top: .3em; white-space: pre; background: #24292f; color: #fff; font-size: .78rem;
           line-height: 1.35; padding: .3em .55em; border-radius: .3em; pointer-events: none; }
body.hide-STAGE mark.ent-STAGE, body.hide-DATE mark.ent-DATE, body.hide-DRUG mark.ent-DRUG,
body.hide-PROCEDURE mark.ent-PROCEDURE, body.hide-BIOMARKER mark.ent-BIOMARKER,
body.hide-SURVIVAL mark.ent-SURVIVAL { background: transparent !important; outline: none; padding: 0; margin: 0; }
body.hide-STAGE mark.ent-STAGE .ent-tag, body.hide-DATE mark.ent-DATE .ent-tag, body.hide-DRUG mark.ent-DRUG .ent-tag,
body.hide-PROCEDURE mark.ent-PROCEDURE .ent-tag, body.hide-BIOMARKER mark.ent-BIOMARKER .ent-tag,
body.hide-SURVIVAL mark.ent-SURVIVAL .ent-tag { display: none; }
mark.ent.flash { box-shadow: 0 0 0 3px #0969da; }
mark.ent.spurious { box-shadow: inset 0 -3px 0 #cf222e; text-decoration: line-through #cf222e; }
mark.ent.missed { background-image: repeating-linear-gradient(45deg, rgba(255,255,255,.75) 0 4px, transparent 4px 8px);
                  outline: 2px solid #cf222e; outline-offset: -2px; }
mark.ent.attribute, mark.ent.span { box-shadow: inset 0 -3px 0 #bf8700; }
.timeline-box { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem; background: #fff; }
svg.timeline { width: 100%; height: auto; display: block; font-family: inherit; }
svg.timeline .axis line, svg.timeline .axis path { stroke: #8c959f; }
svg.timeline .lane-bg { fill: #f6f8fa; }
svg.timeline text { font-size: 11px; fill: #1f2328; }
svg.timeline .lane-label { font-weight: 700; font-size: 11px; }
svg.timeline .tl-event { stroke: #1f2328; stroke-width: 1; cursor: pointer; }
svg.timeline a:hover .tl-event { stroke-width: 2.5; }
table.data { border-collapse: collapse; font-size: .85rem; margin: .25rem 0 1rem; width: 100%; }
table.data th, table.data td { border: 1px solid var(--line); padding: .2rem .45rem; text-align: left; vertical-align: top; }
table.data th { background: var(--panel); position: sticky; top: 0; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { max-height: 28rem; overflow: auto; }
.bar { display: inline-block; height: .7rem; border-radius: .2rem; vertical-align: middle; }
.note { background: #fff8c5; border: 1px solid #d4a72c; border-radius: .35rem; padding: .35rem .6rem; font-size: .9rem; }
footer { max-width: 1200px; margin: 2rem auto 1rem; padding: 0 1.25rem; font-size: .8rem; color: var(--muted); }
"""

#: runs first, in <head>: records errors (script errors, blocked loads, CSP violations)
SENTINEL_JS = """
(function () {
  var root = document.documentElement, errors = [];
  function record(msg) {
    errors.push(String(msg).slice(0, 300));
    root.setAttribute('data-js-errors', JSON.stringify(errors));
  }
  window.onerror = function (message, source, line) { record(message + ' @' + line); };
  window.addEventListener('error', function (ev) {
    var t = ev.target;
    if (t && t !== window && (t.src || t.href)) { record('failed to load ' + (t.src || t.href)); }
  }, true);
  window.addEventListener('unhandledrejection', function (ev) { record('unhandled rejection: ' + ev.reason); });
  document.addEventListener('securitypolicyviolation', function (ev) { record('CSP blocked ' + ev.blockedURI); });
  root.setAttribute('data-js-errors', '[]');
})();
"""

#: runs last: family toggles, jump-to-mention links; then marks the page ready
PAGE_JS = """
(function () {
  var body = document.body;
  var boxes = document.querySelectorAll('.legend input[type=checkbox]');
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener('change', function (ev) {
      body.classList.toggle('hide-' + ev.target.value, !ev.target.checked);
    });
  }
  var links = document.querySelectorAll('a[href^="#m-"]');
  for (var j = 0; j < links.length; j++) {
    links[j].addEventListener('click', function (ev) {
      var href = ev.currentTarget.getAttribute('href') || ev.currentTarget.getAttribute('xlink:href');
      var el = document.getElementById(href.slice(1));
      if (!el) { return; }
      el.classList.add('flash');
      window.setTimeout(function () { el.classList.remove('flash'); }, 1500);
    });
  }
  body.setAttribute('data-js-status', 'ok');
})();
"""


def esc(value: Any) -> str:
    """Escaped text for element content and (double-quoted) attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


# ---------------------------------------------------------------- mention labels

def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def normalised(mention) -> str:
    """The mention's key normalised value in words (what the hover shows first)."""
    a = mention.attrs()
    label = mention.label
    if label == "STAGE":
        return a.get("value", "")
    if label == "DATE":
        return a.get("value", "") or (f"{a['type']} (unresolved)" if a.get("type") else "")
    if label == "DRUG":
        name = a.get("name", "")
        return f"{name} = {a['components'].replace(';', ' + ')}" if a.get("components") else name
    if label == "PROCEDURE":
        return a.get("category", "")
    if label == "BIOMARKER":
        return " ".join(_fmt(a[k]) for k in ("marker", "result") if a.get(k) is not None)
    if label == "SURVIVAL":
        if a.get("value") is None:
            return a.get("measure", "")
        rng = _fmt(a["value"]) + (f"-{_fmt(a['high'])}" if a.get("high") is not None else "")
        return " ".join(x for x in (a.get("measure", ""), rng, a.get("unit", "")) if x)
    return ""


def hover_text(mention) -> str:
    """All SCHEMA attributes of a mention, one per line, for the tooltip and ``title``."""
    head = mention.label + (f": {normalised(mention)}" if normalised(mention) else "")
    lines = [head] + [f"{k} = {_fmt(v)}" for k, v in mention.attrs().items()]
    return "\n".join(lines)


# ---------------------------------------------------------------- highlighted text

def highlight_text(text: str, mentions: Sequence,
                   review: Optional[Dict[Tuple[int, int, str], Tuple[str, str]]] = None) -> Tuple[str, int]:
    """The document text as HTML with one ``<mark>`` per mention -> (html, n skipped).

    ``review`` maps (start, end, label) to (css class, note) when the page is
    compared with gold. Mentions are flat by contract; an overlapping one
    (hand-built input) is skipped rather than producing broken markup, and counted."""
    parts: List[str] = []
    pos = 0
    skipped = 0
    review = review or {}
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start < pos or m.end > len(text) or m.end <= m.start:
            skipped += 1
            continue
        parts.append(esc(text[pos:m.start]))
        classes = f"ent ent-{m.label}"
        if getattr(m, "patient", None) is False:
            classes += " not-patient"
        tip = hover_text(m)
        status, note = review.get((m.start, m.end, m.label), ("", ""))
        tag = m.label
        if status:
            classes += f" {status}"
            tip = f"{note}\n{tip}"
            tag = f"{m.label} \u00b7 {status}"
        parts.append(
            f'<mark class="{classes}" id="m-{m.start}" tabindex="0" data-label="{esc(m.label)}" '
            f'data-norm="{esc(tip)}" title="{esc(tip)}" style="background:{COLOURS.get(m.label, "#ddd")}">'
            f'{esc(text[m.start:m.end])}<span class="ent-tag">{esc(tag)}</span></mark>')
        pos = m.end
    parts.append(esc(text[pos:]))
    return "".join(parts), skipped


# ---------------------------------------------------------------- against gold

def compare_with_gold(result: Result, gold: Sequence[dict]) -> Dict[str, Any]:
    """Predictions of ``result`` vs gold mentions, SCHEMA.md's lenient pairing.

    Returns the document's scores, the disagreements (missed, spurious, and
    paired mentions whose key attribute differs) and the marks' review statuses.
    Missed gold mentions that overlap no prediction are returned as records to
    be highlighted too."""
    from .evaluate import KEY_ATTRS, _norm_value, lenient_matches, score
    from .records import make_record

    pred = [m.to_gold() for m in result.mentions]
    gold = [dict(g, text=result.text[g["start"]:g["end"]]) for g in gold
            if g.get("label") in COLOURS and 0 <= g["start"] < g["end"] <= len(result.text)]
    scores = score({result.doc_id: gold}, {result.doc_id: pred})
    pairs = lenient_matches(gold, pred)
    gold_of = {j: i for i, j in pairs}
    matched_gold = {i for i, _ in pairs}
    review: Dict[Tuple[int, int, str], Tuple[str, str]] = {}
    rows: List[Dict[str, Any]] = []
    for j, p in enumerate(pred):
        key = (p["start"], p["end"], p["label"])
        if j not in gold_of:
            review[key] = ("spurious", "not in gold")
            rows.append({"issue": "spurious", "label": p["label"], "start": p["start"], "text": p["text"],
                         "gold": "", "predicted": _attr_text(p["attrs"])})
            continue
        g = gold[gold_of[j]]
        diffs = []
        for keys in KEY_ATTRS.get(p["label"], ()):
            if any(k in g["attrs"] for k in keys) and any(
                    _norm_value(g["attrs"].get(k)) != _norm_value(p["attrs"].get(k)) for k in keys):
                diffs.extend(keys)
        if isinstance(g["attrs"].get("patient"), bool) and g["attrs"]["patient"] != p["attrs"].get("patient"):
            diffs.append("patient")
        span_differs = (g["start"], g["end"]) != (p["start"], p["end"])
        if diffs or span_differs:
            issue = "attribute" if diffs else "span"
            gold_attrs = ", ".join(f"{k}={_fmt(g['attrs'].get(k))}" for k in diffs)
            note = f"gold: {gold_attrs}" if diffs else f"gold span: '{g['text']}'"
            review[key] = (issue, note)
            rows.append({"issue": issue + (" + span" if diffs and span_differs else ""), "label": p["label"],
                         "start": p["start"], "text": p["text"],
                         "gold": (g["text"] + " | " if span_differs else "") + _attr_text(g["attrs"]),
                         "predicted": _attr_text(p["attrs"])})
    missed_marks = []
    for i, g in enumerate(gold):
        if i in matched_gold:
            continue
        overlaps = any(min(g["end"], p["end"]) > max(g["start"], p["start"]) for p in pred)
        rows.append({"issue": "missed", "label": g["label"], "start": g["start"] if not overlaps else None,
                     "text": g["text"], "gold": _attr_text(g["attrs"]), "predicted": ""})
        if not overlaps:
            missed_marks.append(make_record(g["label"], g["start"], g["end"], g["text"], g["attrs"]))
            review[(g["start"], g["end"], g["label"])] = ("missed", "in gold, not predicted")
    rows.sort(key=lambda r: (r["start"] if r["start"] is not None else -1, r["label"]))
    return {"scores": scores, "rows": rows, "review": review, "missed_marks": missed_marks,
            "n_gold": len(gold)}


def _attr_text(attrs: Dict[str, Any]) -> str:
    return "; ".join(f"{k}={_fmt(v)}" for k, v in attrs.items())


def gold_section(comparison: Dict[str, Any]) -> str:
    s = comparison["scores"]
    cells = []
    for mode in ("strict", "lenient"):
        m = s[mode]["micro"]
        cells.append(f"<tr><th>{mode}</th><td class=\"num\">{m['precision']:.3f}</td>"
                     f"<td class=\"num\">{m['recall']:.3f}</td><td class=\"num\">{m['f1']:.3f}</td>"
                     f"<td class=\"num\">{m['n_gold']}</td><td class=\"num\">{m['n_pred']}</td></tr>")
    table = ('<table class="data" id="gold-scores" style="width:auto"><thead><tr><th></th><th>P</th><th>R</th>'
             f'<th>F1</th><th>gold</th><th>predicted</th></tr></thead><tbody>{"".join(cells)}</tbody></table>')
    rows = comparison["rows"]
    issues = (html_table(rows, ["issue", "label", "text", "gold", "predicted"], link_column="text")
              if rows else '<p class="muted">no disagreement with gold</p>')
    return ('<section id="gold-section"><h2>Against gold</h2><p class="muted">Lenient pairing as in SCHEMA.md: '
            'red marks are not in gold, hatched ones are gold mentions the extractor missed, amber ones '
            f'differ in span or key attribute.</p>{table}<h3>Disagreements ({len(rows)})</h3>{issues}</section>')


# ---------------------------------------------------------------- timeline chart

def date_to_year(value: Optional[str]) -> Optional[float]:
    """ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` -> a fractional year; None if not a date."""
    if not value:
        return None
    match = _ISO_DATE.match(str(value).strip())
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2) or 1)
    day = int(match.group(3) or 1)
    if not 1 <= month <= 12:
        return None
    try:
        day_of_year = _date(year, month, day).timetuple().tm_yday - 1
    except ValueError:
        day_of_year = (month - 1) * 30.4
    # a bare year or month sits in the middle of its period
    if match.group(2) is None:
        return year + 0.5
    if match.group(3) is None:
        day_of_year += 15
    return year + day_of_year / 365.25


def timeline_points(result: Result) -> Tuple[str, List[Dict[str, Any]]]:
    """What the chart draws -> (mode, points); each point has x, lane, text, start, tip.

    ``dated``: the events of ``result.timeline`` that carry a calendar date, on a
    time axis. ``order``: when no event is dated, the patient's mentions (and
    the DATE mentions) in the order the report gives them, so the curator still
    sees the course of the case and the missing dates."""
    dated = []
    for ev in result.timeline:
        x = date_to_year(ev.date)
        if x is None:
            continue
        dated.append({"x": x, "lane": ev.event_label, "text": ev.event_text, "start": ev.event_start,
                      "tip": f"{ev.date} {ev.event_label}: {ev.event_text}"
                             + (f" (dated by '{ev.date_text}')" if ev.date_text else "")})
    if dated:
        return "dated", sorted(dated, key=lambda p: (p["x"], p["start"]))
    points = []
    for m in sorted(result.mentions, key=lambda m: m.start):
        if m.label not in TIMELINE_LANES:
            continue
        if m.label != "DATE" and getattr(m, "patient", None) is False:
            continue
        if m.label == "BIOMARKER":
            continue
        norm = normalised(m)
        points.append({"x": float(len(points)), "lane": m.label, "text": m.text, "start": m.start,
                       "tip": f"{m.label}: {m.text}" + (f" -> {norm}" if norm else "")})
    return "order", points


def _year_ticks(lo: float, hi: float) -> List[int]:
    span = hi - lo
    step = 1
    for candidate in (1, 2, 5, 10, 20, 50, 100):
        step = candidate
        if span / candidate <= 12:
            break
    first = int(lo // step * step)
    return [y for y in range(first, int(hi) + 2, step) if lo <= y <= hi]


def timeline_svg(result: Result, width: int = 1000) -> str:
    """The timeline as an inline SVG (lanes per family, one marker per event)."""
    mode, points = timeline_points(result)
    lanes = [lane for lane in TIMELINE_LANES if any(p["lane"] == lane for p in points)]
    left, right, top, lane_h = 96, 24, 14, 54
    height = top + lane_h * max(1, len(lanes)) + 34
    plot_w = width - left - right
    out = [f'<svg class="timeline" id="timeline" data-mode="{mode}" data-events="{len(points)}" '
           f'viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg" '
           f'aria-label="timeline of the patient">']
    if not points:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" class="muted">'
                   'no events of the patient were found</text></svg>')
        return "".join(out)
    xs = [p["x"] for p in points]
    lo, hi = min(xs), max(xs)
    if mode == "dated":
        pad = max(0.25, (hi - lo) * 0.04)
    else:
        pad = 0.75
    lo, hi = lo - pad, hi + pad

    def sx(x: float) -> float:
        return round(left + (x - lo) / (hi - lo) * plot_w, 1)

    for i, lane in enumerate(lanes):
        y0 = top + i * lane_h
        out.append(f'<rect class="lane-bg" x="{left}" y="{y0 + 3}" width="{plot_w}" height="{lane_h - 6}" rx="4"/>')
        out.append(f'<text class="lane-label" x="{left - 8}" y="{y0 + lane_h / 2 + 4}" text-anchor="end">'
                   f'{esc(lane)}</text>')
    axis_y = top + lane_h * len(lanes) + 4
    out.append(f'<g class="axis"><line x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}"/>')
    if mode == "dated":
        for year in _year_ticks(lo, hi):
            x = sx(year)
            out.append(f'<line x1="{x}" y1="{axis_y}" x2="{x}" y2="{axis_y + 5}"/>'
                       f'<text x="{x}" y="{axis_y + 18}" text-anchor="middle">{year}</text>')
    else:
        out.append(f'<text x="{left + plot_w / 2}" y="{axis_y + 18}" text-anchor="middle">'
                   'order in the report (no dated events) &#8594;</text>')
    out.append("</g>")
    # three rows per lane: a marker goes to the first row where it and its label
    # fit (label right of the marker, or left of it at the right edge); else to
    # a row where the bare marker fits, without a label (its tooltip has the text)
    row_end: Dict[Tuple[str, int], float] = {}
    x_max = left + plot_w + right - 2
    for p in points:
        lane_i = lanes.index(p["lane"])
        x = sx(p["x"])
        label = p["text"] if len(p["text"]) <= 22 else p["text"][:21] + "\u2026"
        need = 9 + 6.2 * len(label)
        anchor_end = x + need > x_max
        ends = [row_end.get((p["lane"], r), -1e9) for r in range(3)]
        lowest = x - need - 2 if anchor_end else x - 7
        free = [r for r in range(3) if lowest > ends[r]]
        bare = [r for r in range(3) if x - 7 > ends[r]]
        row = free[0] if free else bare[0] if bare else min(range(3), key=lambda r: ends[r])
        show = bool(free)
        row_end[(p["lane"], row)] = max(ends[row], (x + 7) if (anchor_end or not show) else (x + need))
        cy = top + lane_i * lane_h + 13 + row * 14
        colour = COLOURS.get(p["lane"], "#ccc")
        text_el = ""
        if show:
            tx, ta = (x - 9, ' text-anchor="end"') if anchor_end else (x + 9, "")
            text_el = f'<text x="{tx}" y="{cy + 4}"{ta}>{esc(label)}</text>'
        out.append(f'<a href="#m-{p["start"]}"><title>{esc(p["tip"])}</title>'
                   f'<circle class="tl-event" data-label="{esc(p["lane"])}" cx="{x}" cy="{cy}" r="5.5" '
                   f'fill="{colour}"/>{text_el}</a>')
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------- tables

def _cell(value: Any, column: str) -> str:
    if value is None or value == "":
        return "<td></td>"
    if isinstance(value, bool):
        return f"<td>{'true' if value else 'false'}</td>"
    if isinstance(value, (int, float)):
        return f'<td class="num">{esc(_fmt(value))}</td>'
    return f"<td>{esc(value)}</td>"


def html_table(rows: Sequence[Dict[str, Any]], columns: Sequence[str], link_column: Optional[str] = None,
               anchor_column: str = "start") -> str:
    """Rows -> an escaped HTML table; ``link_column`` cells link to their mention."""
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            v = row.get(c)
            if c == link_column and row.get(anchor_column) is not None and v not in (None, ""):
                cells.append(f'<td><a href="#m-{esc(row[anchor_column])}">{esc(v)}</a></td>')
            else:
                cells.append(_cell(v, c))
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="table-wrap"><table class="data"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def tables_html(result: Result) -> str:
    rows = rows_for_result(result)
    parts = []
    for name in TABLE_NAMES:
        if name == "documents":
            continue
        columns = [c for c in table_columns(name) if c != "doc_id"]
        if not rows[name]:
            parts.append(f'<h3 id="table-{name}">{esc(name)} <span class="muted">(none)</span></h3>')
            continue
        link, anchor = ("event_text", "event_start") if name == "timeline" else ("text", "start")
        parts.append(f'<h3 id="table-{name}">{esc(name)} <span class="muted">({len(rows[name])})</span></h3>')
        parts.append(html_table(rows[name], columns, link_column=link, anchor_column=anchor))
    return "".join(parts)


# ---------------------------------------------------------------- pages

def _page(title: str, body: str, body_attrs: str = "") -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{CSS}</style><script>{SENTINEL_JS}</script></head>"
            f"<body data-js-status=\"pending\"{body_attrs}>{body}"
            f"<footer>extractor review page &middot; offline, no external resources</footer>"
            f"<script>{PAGE_JS}</script></body></html>\n")


def label_counts(result: Result) -> Dict[str, int]:
    counts = Counter(m.label for m in result.mentions)
    return {label: counts.get(label, 0) for label in LABELS}


def render_document(result: Result, index_href: Optional[str] = "../index.html", path: str = "",
                    gold: Optional[Sequence[dict]] = None) -> str:
    """One document's review page as an HTML string; with ``gold`` (SCHEMA.md
    mentions of this document) the page also marks and lists the disagreements."""
    counts = label_counts(result)
    comparison = compare_with_gold(result, gold) if gold is not None else None
    if comparison:
        marked, skipped = highlight_text(result.text, list(result.mentions) + comparison["missed_marks"],
                                         comparison["review"])
    else:
        marked, skipped = highlight_text(result.text, result.mentions)
    legend = "".join(
        f'<label style="background:{COLOURS[label]}"><input type="checkbox" value="{label}" checked> '
        f'{label} <span class="count">{counts[label]}</span></label>' for label in LABELS)
    summary_items = [("document", result.doc_id), ("file", path), ("characters", f"{len(result.text):,}"),
                     ("mentions", str(len(result.mentions)))]
    for key, value in result.summary.items():
        if value not in (None, "", [], {}):
            summary_items.append((key.replace("_", " "), value if not isinstance(value, (list, tuple))
                                  else "; ".join(map(str, value))))
    summary = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in summary_items if v not in (None, ""))
    mode, points = timeline_points(result)
    caption = ("dated events of the patient (PROCEDURE, DRUG, STAGE linked to their DATE)" if mode == "dated"
               else "no event carries a calendar date yet: the patient's mentions and the dates, "
                    "in the order the report gives them")
    undated = [ev for ev in result.timeline if date_to_year(ev.date) is None]
    crumbs = f'<nav class="crumbs"><a href="{esc(index_href)}">&#8592; all documents</a></nav>' if index_href else ""
    warn = (f'<p class="note">{skipped} overlapping mention(s) could not be highlighted; '
            'they are listed in the tables below.</p>') if skipped else ""
    body = (
        f"<header>{crumbs}<h1>{esc(result.doc_id or 'document')}</h1>"
        f'<dl class="summary">{summary}</dl></header><main>'
        f'<section id="timeline-section"><h2>Timeline</h2><p class="muted">{esc(caption)}'
        + (f"; {len(undated)} event(s) without a calendar date are in the timeline table" if undated and mode == "dated" else "")
        + f'</p><div class="timeline-box">{timeline_svg(result)}</div></section>'
        f'<section id="text-section"><h2>Text</h2><div class="legend" id="legend">{legend}</div>'
        '<p class="muted">Hover a highlight for its normalised value and attributes; a dashed outline marks a '
        'mention that is not about this patient. Untick a family to hide it.</p>'
        f'{warn}<div class="doc-text" id="doc-text">{marked}</div></section>'
        + (gold_section(comparison) if comparison else "")
        + f'<section id="tables-section"><h2>Tables</h2>{tables_html(result)}</section></main>')
    return _page(f"{result.doc_id} - extractor review", body)


def render_index(entries: Sequence[Dict[str, Any]], title: str = "extractor review") -> str:
    """The corpus index: one row per document with its per-family counts.

    Each entry: ``doc_id``, ``href`` (None when the document failed), ``status``,
    ``n_chars``, ``counts`` (label -> n), optional ``latest_stage`` and ``n_events``."""
    totals = Counter()
    with_gold = any("f1" in e for e in entries)
    for e in entries:
        totals.update(e.get("counts") or {})
    n_ok = sum(1 for e in entries if str(e.get("status", "")).startswith("ok"))
    biggest = max([totals[label] for label in LABELS] + [1])
    bars = "".join(
        f'<tr><th>{label}</th><td class="num">{totals[label]}</td><td style="width:60%">'
        f'<span class="bar" style="width:{100 * totals[label] / biggest:.1f}%;background:{COLOURS[label]}"></span>'
        f'</td></tr>' for label in LABELS)
    head = ("<th>document</th><th>status</th><th>characters</th>"
            + "".join(f'<th style="background:{COLOURS[label]}">{label}</th>' for label in LABELS)
            + "<th>timeline events</th><th>latest stage</th>"
            + ("<th>F1 vs gold (lenient)</th>" if with_gold else ""))
    rows = []
    for e in entries:
        name = esc(e["doc_id"])
        link = f'<a href="{esc(e["href"])}">{name}</a>' if e.get("href") else name
        counts = e.get("counts") or {}
        cells = "".join(f'<td class="num">{counts.get(label, 0)}</td>' for label in LABELS)
        rows.append(f"<tr><td>{link}</td><td>{esc(e.get('status', ''))}</td>"
                    f"<td class=\"num\">{e.get('n_chars') or 0:,}</td>{cells}"
                    f"<td class=\"num\">{e.get('n_events') or 0}</td><td>{esc(e.get('latest_stage') or '')}</td>"
                    + (f"<td class=\"num\">{'' if e.get('f1') is None else format(e['f1'], '.3f')}</td>"
                       if with_gold else "") + "</tr>")
    total_cells = "".join(f'<td class="num">{totals[label]}</td>' for label in LABELS)
    rows.append(f"<tr><th>total</th><th>{n_ok}/{len(entries)} ok</th><td></td>{total_cells}<td></td><td></td>"
                + ("<td></td>" if with_gold else "") + "</tr>")
    body = (f"<header><h1>{esc(title)}</h1><p class=\"muted\">{len(entries)} document(s); "
            "open a document to review its highlights, timeline and tables.</p></header><main>"
            f'<h2>Mentions per family</h2><table class="data" id="family-totals" style="width:auto;min-width:50%">'
            f"<tbody>{bars}</tbody></table>"
            f'<h2>Documents</h2><div class="table-wrap" style="max-height:none"><table class="data" id="documents">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></main>")
    return _page(title, body)


def page_name(doc_id: str, taken: set) -> str:
    """A safe, unique file name for a document's page."""
    base = _UNSAFE_NAME.sub("_", doc_id).strip("._") or "document"
    name, i = f"{base}.html", 1
    while name.lower() in taken:
        i += 1
        name = f"{base}-{i}.html"
    taken.add(name.lower())
    return name


def build_report(inputs: Iterable[str], out_dir: str, nlp_factory: Optional[Callable] = None,
                 title: str = "extractor review", gold: Optional[str] = None) -> str:
    """Text files and folders -> ``out_dir/index.html`` + ``out_dir/docs/<doc>.html``.

    A document that cannot be read or extracted is listed in the index with its
    error and gets no page; the report is still written. With ``gold`` (a
    SCHEMA.md gold JSONL, or a brat folder) the pages of the documents it holds
    mark the disagreements and the index gives each one's F1. Returns the index path."""
    from . import extract
    from .batch import discover, read_document
    from .errors import InputError
    from .tables import atomic_path

    if isinstance(inputs, (str, Path)):
        inputs = [str(inputs)]
    out = Path(out_dir)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    docs = discover([str(p) for p in inputs])
    gold_docs: Dict[str, List[dict]] = {}
    if gold is not None:
        from .evaluate import read_gold

        gold_docs = read_gold(Path(gold))
    nlp = None
    entries: List[Dict[str, Any]] = []
    taken: set = set()
    for doc in docs:
        entry: Dict[str, Any] = {"doc_id": doc.doc_id, "href": None, "n_chars": 0, "counts": {}}
        if doc.error:
            entry["status"] = f"error: {doc.error}"
            entries.append(entry)
            continue
        try:
            text, warning = read_document(doc.path)
        except InputError as exc:
            entry["status"] = f"error: {exc}"
            entries.append(entry)
            continue
        if nlp is None:
            if nlp_factory is None:
                from . import load as nlp_factory
            nlp = nlp_factory()
        try:
            result = extract(text, doc_id=doc.doc_id, nlp=nlp)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the report
            entry.update(status=f"error: extraction failed: {type(exc).__name__}: {exc}", n_chars=len(text))
            entries.append(entry)
            continue
        name = page_name(doc.doc_id, taken)
        doc_gold = gold_docs.get(doc.doc_id) if gold is not None else None
        with atomic_path(out / "docs" / name) as tmp:
            tmp.write_text(render_document(result, index_href="../index.html", path=doc.path, gold=doc_gold),
                           encoding="utf-8")
        if gold is not None:
            entry["f1"] = None
            if doc_gold is not None:
                from .evaluate import score

                pred = [m.to_gold() for m in result.mentions]
                entry["f1"] = score({doc.doc_id: doc_gold}, {doc.doc_id: pred})["lenient"]["micro"]["f1"]
        entry.update(href=f"docs/{name}", status="ok" if warning is None else f"ok; warning: {warning}",
                     n_chars=len(text), counts=label_counts(result), n_events=len(result.timeline),
                     latest_stage=result.summary.get("latest_stage"))
        entries.append(entry)
    index = out / "index.html"
    with atomic_path(index) as tmp:
        tmp.write_text(render_index(entries, title=title), encoding="utf-8")
    return str(index)
