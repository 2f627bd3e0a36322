"""Seeded OCR-damage simulator, with statistics measured on the shared OCR corpora.

Three commands:

``measure``   align each clean text of ../shared/corpora (seed, oncology-dev) with its
              OCR'd copy (seed-ocr, oncology-dev-ocr) character by character (difflib)
              and count what the OCR did: substitutions, deletions and insertions of
              1-3 characters per clean n-gram, spaces dropped or added, line widths,
              words hyphenated at a line end, blank lines. Writes the counts (no text)
              to patterns/ocr_simulation.json.
``damage``    print a damaged copy of a text file (``--seed``, ``--rate``).
``evaluate``  run the pipeline over damaged copies of gold files (our corpus/ and
              oncology-dev by default) under several seeds, and print per-label lenient
              F1 clean vs damaged; ``--misses`` lists the gold mentions found in the
              clean text but lost in a damaged copy (what the repair layer should fix).

``damage_text(text, seed)`` returns a ``Damaged`` with the damaged text and the offset
maps both ways; ``carry_span(damaged, start, end)`` carries a clean gold span over
(a span whose text is damaged keeps its extent).

Usage::

    python scripts/ocr_simulate.py measure
    python scripts/ocr_simulate.py damage corpus/case-pancreas.txt --seed 3
    python scripts/ocr_simulate.py evaluate --seeds 0 1 2 [--misses] [--json out.json]
"""
from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
import tempfile
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
STATS_PATH = REPO / "patterns" / "ocr_simulation.json"
PAIRS = (("seed", "seed-ocr"), ("oncology-dev", "oncology-dev-ocr"))
LABELS = ("STAGE", "DATE", "DRUG", "PROCEDURE", "BIOMARKER", "SURVIVAL")
MAX_EDIT = 3  # an aligned difference longer than this is garbling (lost text), not a confusion

#: look-alike glyphs OCR is known to swap (rn/m, l/1/I, O/0, e/c, ...) that a few corpora
#: may not show: each gets at least ``PRIOR_RATE`` so the simulator exercises them too
PRIOR_CONFUSIONS = (
    ("m", "rn"), ("m", "in"), ("n", "ri"), ("l", "1"), ("l", "I"), ("I", "l"), ("I", "1"), ("1", "l"),
    ("1", "I"), ("0", "O"), ("O", "0"), ("o", "0"), ("e", "c"), ("c", "e"), ("e", "é"), ("h", "li"),
    ("u", "ii"), ("rn", "m"), ("cl", "d"), ("S", "5"), ("5", "S"), ("B", "8"), ("t", "i"), ("r", "t"),
)
PRIOR_RATE = 0.002
HYPHEN_SPLIT_PRIOR = 0.02


# --- measuring ---------------------------------------------------------------------

def _flatten(text: str) -> str:
    """Line breaks and tabs as spaces (same length, so offsets stay)."""
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ").replace("\x0c", " ")


def _cls(ch: str) -> str:
    if ch == "":
        return "^"
    if ch.isalpha():
        return "a"
    if ch.isdigit():
        return "d"
    if ch.isspace():
        return "s"
    return "p"


def _layout_stats(clean: str, ocr: str, acc: Dict) -> None:
    """Line widths, words split by a hyphen at a line end, blank lines (OCR side)."""
    flat_words = set(re.findall(r"[A-Za-z]+", clean))
    clean_breaks = clean.count("\n")
    lines = ocr.split("\n")
    for i, line in enumerate(lines[:-1]):
        s = line.rstrip()
        if not s:
            acc["blank_lines"] += 1
            continue
        acc["line_breaks"] += 1
        if len(s) >= 30:
            acc["widths"].append(len(s))
        m = re.search(r"([A-Za-z]+)-$", s)
        nxt = re.match(r"\s*([a-z]+)", lines[i + 1]) if i + 1 < len(lines) else None
        if m and nxt:
            joined = m.group(1) + nxt.group(1)
            if f"{m.group(1)}-{nxt.group(1)}" in clean:
                acc["hyphen_breaks"] += 1  # a line broken after a hyphen of the text
            elif joined in flat_words:
                acc["hyphen_splits"] += 1  # a word hyphenated at the line end
    acc["clean_breaks"] += clean_breaks
    acc["clean_paragraphs"] += len(re.findall(r"\n[ \t]*\n", clean))


def _dehyphenate(ocr: str, clean: str) -> str:
    """OCR text with words hyphenated at a line end joined back, for the alignment."""
    words = set(re.findall(r"[A-Za-z]+", clean))

    def join(m: "re.Match") -> str:
        if m.group(1) + m.group(2) in words:
            return m.group(1) + m.group(2)
        return m.group(0)

    return re.sub(r"([A-Za-z]+)-[ \t]*\n\s*([a-z]+)", join, ocr)


def align_pair(clean: str, ocr: str, acc: Dict) -> None:
    """Count the OCR's edits of ``clean`` (events keyed by the clean n-gram they hit)."""
    a = re.sub(r"\s+", " ", _flatten(clean)).strip()
    b = re.sub(r"\s+", " ", _flatten(_dehyphenate(ocr, clean))).strip()
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            acc["aligned_chars"] += i2 - i1
            continue
        src, dst = a[i1:i2], b[j1:j2]
        if len(src) > MAX_EDIT or len(dst) > MAX_EDIT:
            acc["garbled_chars"] += i2 - i1
            continue
        acc["aligned_chars"] += i2 - i1
        if tag == "insert":
            ctx = _cls(a[i1 - 1] if i1 else "") + _cls(a[i1] if i1 < len(a) else "")
            acc["insert"][ctx][dst] += 1
        else:  # replace or delete: keyed by the clean text it hit
            acc["subst"][src][dst] += 1
    acc["texts"].append(a)
    for i in range(len(a) + 1):
        acc["boundary"][_cls(a[i - 1] if i else "") + _cls(a[i] if i < len(a) else "")] += 1


def measure(corpora: Path = CORPORA) -> Dict:
    acc = {"aligned_chars": 0, "garbled_chars": 0, "subst": defaultdict(Counter),
           "insert": defaultdict(Counter), "texts": [], "boundary": Counter(),
           "widths": [], "line_breaks": 0, "blank_lines": 0, "hyphen_splits": 0, "hyphen_breaks": 0, "clean_breaks": 0, "clean_paragraphs": 0}
    n_docs = 0
    for clean_dir, ocr_dir in PAIRS:
        for path in sorted((corpora / clean_dir).glob("*.txt")):
            other = corpora / ocr_dir / path.name
            if not other.exists():
                continue
            clean = path.read_text(encoding="utf-8")
            ocr = other.read_text(encoding="utf-8")
            align_pair(clean, ocr, acc)
            _layout_stats(clean, ocr, acc)
            n_docs += 1
    subst = {}
    for src, outs in acc["subst"].items():
        # how often the clean n-gram occurs at all (its chance of being hit is per occurrence)
        base = max(sum(t.count(src) for t in acc["texts"]), sum(outs.values()))
        subst[src] = {"n": base, "to": dict(outs.most_common())}
    insert = {ctx: {"n": acc["boundary"][ctx], "to": dict(outs.most_common())}
              for ctx, outs in acc["insert"].items()}
    widths = sorted(acc["widths"])
    pct = (lambda q: widths[min(len(widths) - 1, int(q * len(widths)))]) if widths else (lambda q: 90)
    breaks = max(1, acc["line_breaks"])
    return {
        "source": "measured by scripts/ocr_simulate.py measure: difflib character alignment of "
                  "../shared/corpora seed vs seed-ocr and oncology-dev vs oncology-dev-ocr "
                  f"({n_docs} documents); counts only, no text",
        "documents": n_docs,
        "aligned_chars": acc["aligned_chars"],
        "garbled_chars": acc["garbled_chars"],
        "subst": dict(sorted(subst.items())),
        "insert": insert,
        "layout": {
            "width_p10": pct(0.1), "width_p50": pct(0.5), "width_p90": pct(0.9),
            "hyphen_break_rate": round(acc["hyphen_breaks"] / breaks, 4),
            "hyphen_split_rate": round(acc["hyphen_splits"] / breaks, 4),
            # PDF text (the seed) also carries words hyphenated at a line end: a floor
            "hyphen_split_prior": HYPHEN_SPLIT_PRIOR,
            "blank_line_rate": round(max(0, acc["blank_lines"] - acc["clean_paragraphs"]) / breaks, 4),
        },
        "prior": {"rate": PRIOR_RATE, "pairs": [list(p) for p in PRIOR_CONFUSIONS]},
    }


def load_stats(path: Path = STATS_PATH) -> Dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- damaging ----------------------------------------------------------------------

@dataclass
class Damaged:
    """A damaged copy of ``clean``: ``start_map[i]``/``end_map[i]`` are the damaged
    offsets where clean offset ``i`` starts/ends a span; ``back[j]`` is the clean offset
    damaged character ``j`` came from (inserted characters: the next clean one)."""

    clean: str
    text: str
    start_map: List[int]
    end_map: List[int]
    back: List[int]

    def to_clean(self, start: int, end: int) -> Tuple[int, int]:
        if start >= len(self.back):
            return len(self.clean), len(self.clean)
        s = self.back[start]
        e = self.back[end - 1] + 1 if end > start else s
        return s, max(s, e)


def carry_span(d: Damaged, start: int, end: int) -> Tuple[int, int]:
    """A clean span ``[start, end)`` in the damaged text, whitespace trimmed."""
    s, e = d.start_map[start], d.end_map[end]
    while s < e and d.text[s].isspace():
        s += 1
    while e > s and d.text[e - 1].isspace():
        e -= 1
    return s, e


class _Model:
    """The measured statistics as samplers (built once per stats dict)."""

    def __init__(self, stats: Dict, rate: float):
        self.rate = rate
        self.by_first: Dict[str, List[Tuple[str, List[Tuple[str, float]]]]] = defaultdict(list)
        probs: Dict[str, Dict[str, float]] = defaultdict(dict)
        for src, row in stats["subst"].items():
            n = max(1, row["n"])
            for dst, c in row["to"].items():
                probs[src][dst] = c / n
        prior = stats.get("prior", {})
        for src, dst in prior.get("pairs", ()):
            probs[src][dst] = max(probs[src].get(dst, 0.0), prior.get("rate", 0.0))
        for src, outs in probs.items():
            self.by_first[src[0]].append((src, sorted(outs.items())))
        for v in self.by_first.values():
            v.sort(key=lambda x: -len(x[0]))
        self.insert: Dict[str, List[Tuple[str, float]]] = {}
        for ctx, row in stats["insert"].items():
            n = max(1, row["n"])
            self.insert[ctx] = sorted((dst, c / n) for dst, c in row["to"].items())
        self.layout = stats["layout"]

    def substitute(self, text: str, i: int, rnd: random.Random) -> Optional[Tuple[int, str]]:
        for src, outs in self.by_first.get(text[i], ()):
            if text.startswith(src, i):
                x = rnd.random()
                for dst, p in outs:
                    x -= p * self.rate
                    if x < 0:
                        return len(src), dst
        return None

    def inserted(self, ctx: str, rnd: random.Random) -> str:
        x = rnd.random()
        for dst, p in self.insert.get(ctx, ()):
            x -= p * self.rate
            if x < 0:
                return dst
        return ""


_MODELS: Dict[Tuple[int, float], _Model] = {}


def _model(stats: Dict, rate: float) -> _Model:
    key = (id(stats), rate)
    if key not in _MODELS:
        _MODELS[key] = _Model(stats, rate)
    return _MODELS[key]


def damage_text(text: str, seed: int, stats: Optional[Dict] = None, rate: float = 1.0,
                layout: bool = True) -> Damaged:
    """A damaged copy of ``text``: measured character confusions, dropped/added
    characters and spaces, then (``layout``) lines re-wrapped at a measured width with
    some words hyphenated at the line end and some blank lines (two-column OCR)."""
    stats = stats if stats is not None else load_stats()
    model = _model(stats, rate)
    rnd = random.Random(seed)
    n = len(text)
    # units[i] = [prefix inserted before clean char i, what clean char i became]
    prefix = [""] * (n + 1)
    rep = list(text) + [""]
    i = 0
    while i < n:
        ctx = _cls(text[i - 1] if i else "") + _cls(text[i])
        if not text[i].isspace() or ctx[0] != "s":
            prefix[i] = model.inserted(ctx, rnd)
        if text[i] == "\n":
            i += 1
            continue
        hit = model.substitute(text, i, rnd)
        if hit:
            k, dst = hit
            rep[i] = dst
            for j in range(i + 1, i + k):
                rep[j] = ""
            i += k
        else:
            i += 1
    if layout:
        _wrap(text, prefix, rep, model.layout, rnd)
    out: List[str] = []
    start_map, end_map, back = [0] * (n + 1), [0] * (n + 1), []
    pos = 0
    for i in range(n + 1):
        end_map[i] = pos
        out.append(prefix[i])
        back.extend([i] * len(prefix[i]))
        pos += len(prefix[i])
        start_map[i] = pos
        out.append(rep[i])
        back.extend([i] * len(rep[i]))
        pos += len(rep[i])
    return Damaged(clean=text, text="".join(out), start_map=start_map, end_map=end_map, back=back)


def _wrap(text: str, prefix: List[str], rep: List[str], layout: Dict, rnd: random.Random) -> None:
    """Re-wrap the damaged units at a page width (in place): a word that does not fit
    goes to the next line (the space before it becomes a line break, sometimes a blank
    line), or is split with a hyphen at the line end."""
    width = rnd.randint(int(layout["width_p10"]), int(layout["width_p90"]))
    # the measured rate is per line break; only breaks before a long word can split one
    p_split = min(1.0, 2.5 * max(layout["hyphen_split_rate"], layout.get("hyphen_split_prior", 0.0)))
    blank = layout["blank_line_rate"]
    n = len(text)
    size = lambda k: len(prefix[k]) + len(rep[k])  # noqa: E731
    col = 0
    i = 0
    while i < n:
        if text[i] == "\n" or "\n" in rep[i]:
            col = 0
            i += 1
            continue
        if rep[i] == " ":
            col += 1
            i += 1
            continue
        j = i
        while j < n and rep[j] != " " and text[j] != "\n" and "\n" not in rep[j]:
            j += 1
        wlen = sum(size(k) for k in range(i, j))
        if col and col + wlen > width:
            room = width - col - 1

            def last_cut(stop: int, fits) -> Optional[int]:
                """The last position after unit k (i <= k < stop) where ``fits(k)`` holds
                and the units up to k still fit in the room left on the line."""
                cut, used = None, 0
                for k in range(i, stop):
                    used += size(k)
                    if used > room:
                        break
                    if fits(k):
                        cut = k + 1
                return cut

            # a hyphen of the text that fits: break after it; else, sometimes, split the word
            marker = "\n"
            cut = last_cut(j - 1, lambda k: rep[k] == "-" and k > i and text[k + 1].isalnum())
            if cut is None and wlen >= 6 and room >= 4 and rnd.random() < p_split:
                marker = "-\n"
                cut = last_cut(j - 2, lambda k: k - i >= 1 and text[k].isalpha() and text[k + 1].isalpha()
                               and text[k + 2].isalpha())
            if cut is not None:
                prefix[cut] = marker + prefix[cut]
                col = sum(size(k) for k in range(cut, j)) - len(marker)
                i = j
                continue
            k = i - 1
            while k >= 0 and rep[k] == "":
                k -= 1
            if k >= 0 and rep[k] == " ":
                rep[k] = "\n\n" if rnd.random() < blank else "\n"
                col = 0
        col += wlen
        i = j


# --- evaluating --------------------------------------------------------------------

def damage_gold_file(gold_path: Path, out_dir: Path, seed: int, stats: Dict, rate: float = 1.0) -> Path:
    """Damaged copies of a gold file's texts with their gold carried over (SCHEMA.md format)."""
    gold_path = Path(gold_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for n, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        text = (gold_path.parent / row["text_file"]).read_bytes().decode("utf-8-sig")
        d = damage_text(text, seed * 1000 + n, stats, rate)
        mentions = []
        for m in row["mentions"]:
            s, e = carry_span(d, m["start"], m["end"])
            if e > s:
                mentions.append({**m, "start": s, "end": e, "text": d.text[s:e], "clean_text": m["text"]})
        name = f"{row['id']}.txt"
        (out_dir / name).write_text(d.text, encoding="utf-8")
        rows.append({"id": row["id"], "text_file": name, "mentions": mentions})
    out = out_dir / "damaged.gold.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return out


def _misses(gold_path: Path, nlp) -> List[dict]:
    """Gold mentions the pipeline did not find (``kind: lost``) and predictions that
    pair with no gold mention (``kind: extra``), with their context."""
    from extractor.evaluate import lenient_matches, predict_gold_texts

    gold, pred = predict_gold_texts(gold_path, nlp=nlp)
    clean_text = {}
    texts = {}
    for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts[str(row["id"])] = (Path(gold_path).parent / row["text_file"]).read_text(encoding="utf-8")
        for m in row["mentions"]:
            clean_text[(str(row["id"]), m["start"], m["label"])] = m.get("clean_text", m["text"])
    out = []
    for doc, gms in gold.items():
        pms = pred.get(doc, [])
        pairs = lenient_matches(gms, pms)
        found, used = {i for i, _ in pairs}, {j for _, j in pairs}
        text = texts[doc]
        for kind, rows, seen in (("lost", gms, found), ("extra", pms, used)):
            for i, m in enumerate(rows):
                if i not in seen:
                    ctx = text[max(0, m["start"] - 30):m["end"] + 30].replace("\n", "|")
                    out.append({"kind": kind, "doc": doc, "label": m["label"], "text": m["text"], "context": ctx,
                                "clean_text": clean_text.get((doc, m["start"], m["label"]), "")})
    return out


def evaluate(gold_files: Dict[str, Path], seeds: Sequence[int], rate: float = 1.0,
             misses: bool = False) -> Dict:
    warnings.filterwarnings("ignore")
    import extractor
    from extractor.evaluate import evaluate_gold_file

    stats = load_stats()
    nlp = extractor.load()
    report: Dict = {}
    for name, gold_path in gold_files.items():
        entry = {"clean": evaluate_gold_file(gold_path, nlp=nlp), "seeds": {}, "lost": []}
        clean_miss = _misses(gold_path, nlp) if misses else []
        clean_extra = {(m["doc"], m["label"], m["text"]) for m in clean_miss if m["kind"] == "extra"}
        clean_lost = {(m["doc"], m["label"], m["text"]) for m in clean_miss if m["kind"] == "lost"}
        for seed in seeds:
            with tempfile.TemporaryDirectory() as tmp:
                dg = damage_gold_file(gold_path, Path(tmp), seed, stats, rate)
                entry["seeds"][seed] = evaluate_gold_file(dg, nlp=nlp)
                if misses:
                    for m in _misses(dg, nlp):
                        if m["kind"] == "extra" and (m["doc"], m["label"], m["text"]) in clean_extra:
                            continue  # wrong on the clean text too: not the damage's doing
                        if m["kind"] == "lost" and (m["doc"], m["label"], m["clean_text"]) in clean_lost:
                            continue  # missed on the clean text too
                        entry["lost"].append({"seed": seed, **m})
        report[name] = entry
    return report


def _f1(s: Dict, label: str) -> float:
    return s["lenient"]["per_label"][label]["f1"] if label else s["lenient"]["micro"]["f1"]


def format_report(report: Dict) -> str:
    lines = ["Lenient F1 per label, clean vs simulated OCR damage (mean over seeds; min in brackets):", "",
             "| corpus | copy | " + " | ".join(LABELS) + " | micro |", "|---" * (len(LABELS) + 3) + "|"]
    for name, entry in report.items():
        cells = [f"{_f1(entry['clean'], l):.3f}" for l in LABELS + ("",)]
        lines.append(f"| {name} | clean | " + " | ".join(cells) + " |")
        runs = list(entry["seeds"].values())
        if runs:
            cells = []
            for l in LABELS + ("",):
                vals = [_f1(s, l) for s in runs]
                cells.append(f"{sum(vals) / len(vals):.3f} ({min(vals):.3f})")
            lines.append(f"| {name} | damaged x{len(runs)} | " + " | ".join(cells) + " |")
    for name, entry in report.items():
        if entry["lost"]:
            lines.append(f"\nLost or added under damage in {name} ({len(entry['lost'])}):")
            for m in entry["lost"]:
                lines.append(f"  {m['kind']} seed {m['seed']} {m['doc']} {m['label']}: {m['text']!r} "
                             f"<- {m['clean_text']!r}   [{m['context']}]")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--corpora", default=str(CORPORA))
    m.add_argument("--out", default=str(STATS_PATH))
    d = sub.add_parser("damage")
    d.add_argument("path")
    d.add_argument("--seed", type=int, default=0)
    d.add_argument("--rate", type=float, default=1.0)
    e = sub.add_parser("evaluate")
    e.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    e.add_argument("--rate", type=float, default=1.0)
    e.add_argument("--gold", nargs="*", help="name=path.gold.jsonl (default: corpus and oncology-dev)")
    e.add_argument("--misses", action="store_true", help="list gold mentions lost under damage")
    e.add_argument("--json", help="write the scores as JSON here")
    args = ap.parse_args(argv)
    if args.cmd == "measure":
        stats = measure(Path(args.corpora))
        Path(args.out).write_text(json.dumps(stats, ensure_ascii=False, indent=1, sort_keys=False) + "\n",
                                  encoding="utf-8")
        lay = stats["layout"]
        print(f"{stats['documents']} documents, {stats['aligned_chars']} aligned characters, "
              f"{stats['garbled_chars']} garbled; {len(stats['subst'])} damaged n-grams; layout {lay}")
        return 0
    if args.cmd == "damage":
        sys.stdout.write(damage_text(Path(args.path).read_text(encoding="utf-8"), args.seed, rate=args.rate).text)
        return 0
    gold = {"corpus": REPO / "corpus" / "gold.jsonl",
            "oncology-dev": CORPORA / "oncology-dev" / "oncology-dev.gold.jsonl"}
    if args.gold:
        gold = dict(g.split("=", 1) for g in args.gold)
        gold = {k: Path(v) for k, v in gold.items()}
    report = evaluate(gold, args.seeds, args.rate, args.misses)
    print(format_report(report))
    if args.json:
        slim = {k: {"clean": {l: _f1(v["clean"], l) for l in LABELS},
                    "seeds": {s: {l: _f1(x, l) for l in LABELS} for s, x in v["seeds"].items()}}
                for k, v in report.items()}
        Path(args.json).write_text(json.dumps(slim, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
