"""Gold (SCHEMA.md JSONL or brat) vs predictions: SCHEMA.md's scores.

- detection per label and micro, ``strict`` (same start, end, label) and
  ``lenient`` (same label, overlapping; each gold and each predicted mention
  pairs at most once, greedily by largest overlap);
- normalisation: over lenient pairs, the share whose key attribute equals gold;
- attribution: over lenient pairs where gold sets ``patient``, accuracy and the
  balanced form (mean of the recalls of true and of false).
Pure Python: the CLI prints and writes what ``score`` returns.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from .errors import GoldError
from .records import LABELS

#: label -> attribute(s) compared for the normalisation score
KEY_ATTRS: Dict[str, Tuple[Tuple[str, ...], ...]] = {
    "STAGE": (("value",),),
    "DATE": (("value",),),
    "DRUG": (("name",),),
    "PROCEDURE": (("category",),),
    "BIOMARKER": (("marker",), ("result",)),
    "SURVIVAL": (("value", "unit"),),
}

#: default label map for MACCROBAT brat annotations
BRAT_LABEL_MAP = {"Medication": "DRUG", "Date": "DATE", "Therapeutic_procedure": "PROCEDURE",
                  "Diagnostic_procedure": "PROCEDURE"}


# ---------------------------------------------------------------- reading gold

def _check_mention(m: dict, text: Optional[str], where: str, labels: Iterable[str]) -> dict:
    for key in ("start", "end", "label"):
        if key not in m:
            raise GoldError(f"{where}: mention lacks {key!r}")
    if not isinstance(m["start"], int) or not isinstance(m["end"], int) or m["start"] < 0 or m["end"] <= m["start"]:
        raise GoldError(f"{where}: bad offsets start={m['start']!r} end={m['end']!r}")
    if m["label"] not in labels:
        raise GoldError(f"{where}: unknown label {m['label']!r}; allowed: {sorted(labels)}")
    if text is not None:
        if m["end"] > len(text):
            raise GoldError(f"{where}: end {m['end']} is past the text's end ({len(text)} chars)")
        if "text" in m and text[m["start"]:m["end"]] != m["text"]:
            raise GoldError(f"{where}: text {m['text']!r} does not match the slice "
                            f"{text[m['start']:m['end']]!r}")
    return {"start": m["start"], "end": m["end"], "label": m["label"],
            "text": m.get("text", ""), "attrs": dict(m.get("attrs") or {})}


def read_jsonl(path: Path, check_text: bool = True, labels: Iterable[str] = LABELS) -> Dict[str, List[dict]]:
    """SCHEMA.md JSONL -> {doc id: mentions}; a malformed line raises GoldError naming file and line."""
    path = Path(path)
    docs: Dict[str, List[dict]] = {}
    labels = set(labels)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read ({exc})") from exc
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or "id" not in row or not isinstance(row.get("mentions", []), list):
            raise GoldError(f"{where}: each line needs an 'id' and a 'mentions' list")
        text = None
        if check_text and row.get("text_file"):
            tpath = path.parent / row["text_file"]
            try:
                text = tpath.read_bytes().decode("utf-8-sig")  # keep CRLF: offsets count \r
            except (OSError, UnicodeDecodeError) as exc:
                raise GoldError(f"{where}: text_file {tpath} cannot be read ({exc})") from exc
        elif check_text and isinstance(row.get("text"), str):
            text = row["text"]
        docs[str(row["id"])] = [_check_mention(m, text, f"{where} mention {i}", labels)
                                for i, m in enumerate(row.get("mentions", []))]
    return docs


def parse_textbound(field: str, where: str) -> Tuple[str, int, int, int]:
    """brat ``Type start end[;start end...]`` -> (type, first start, last end, segments).

    A discontinuous span becomes one span from its first start to its last end."""
    fields = field.split(" ", 1)
    if len(fields) != 2:
        raise GoldError(f"{where}: expected 'Type start end', got {field!r}")
    btype, offsets = fields
    try:
        pairs = [tuple(int(x) for x in seg.split()) for seg in offsets.split(";")]
        return btype, pairs[0][0], pairs[-1][1], len(pairs)
    except (ValueError, IndexError) as exc:
        raise GoldError(f"{where}: bad offsets {offsets!r}") from exc


def read_brat(folder: Path, label_map: Dict[str, str]) -> Dict[str, List[dict]]:
    """A brat folder (``x.txt`` + ``x.ann``) -> {doc id: mentions}, labels mapped by ``label_map``.

    Discontinuous spans (``0 5;9 12``) become one span from the first start to the last end."""
    folder = Path(folder)
    docs: Dict[str, List[dict]] = {}
    for ann in sorted(folder.glob("*.ann")):
        txt = ann.with_suffix(".txt")
        text = txt.read_bytes().decode("utf-8-sig") if txt.exists() else None
        mentions = []
        for lineno, line in enumerate(ann.read_text(encoding="utf-8").splitlines(), 1):
            if not line.startswith("T"):
                continue
            where = f"{ann}:{lineno}"
            parts = line.split("\t")
            if len(parts) < 2:
                raise GoldError(f"{where}: a text-bound line needs tab-separated id, type+offsets, text")
            btype, start, end, n_segments = parse_textbound(parts[1], where)
            if btype not in label_map:
                continue
            m = {"start": start, "end": end, "label": label_map[btype]}
            if text is not None and n_segments == 1 and len(parts) > 2:
                m["text"] = parts[2]
            mentions.append(_check_mention(m, text, where, set(label_map.values())))
        docs[ann.stem] = mentions
    return docs


def read_gold(path: Path, label_map: Optional[Dict[str, str]] = None) -> Dict[str, List[dict]]:
    """Gold from a SCHEMA.md JSONL file or a brat folder."""
    path = Path(path)
    if path.is_dir():
        return read_brat(path, label_map or BRAT_LABEL_MAP)
    if not path.exists():
        raise GoldError(f"{path}: no such gold file or folder")
    return read_jsonl(path)


def read_predictions(path: Path) -> Dict[str, List[dict]]:
    """Predictions: a run's output folder (its ``predictions.jsonl``) or a JSONL file."""
    path = Path(path)
    if path.is_dir():
        path = path / "predictions.jsonl"
    if not path.exists():
        raise GoldError(f"{path}: no predictions (run `extractor run ... --out DIR` first)")
    return read_jsonl(path, check_text=False)


# ---------------------------------------------------------------- scoring

def _prf(tp: int, n_pred: int, n_gold: int) -> Dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def _overlap(a: dict, b: dict) -> int:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def strict_matches(gold: List[dict], pred: List[dict]) -> List[Tuple[int, int]]:
    """Pairs of (gold index, pred index) with equal start, end and label; each used once."""
    free = defaultdict(list)
    for j, p in enumerate(pred):
        free[(p["start"], p["end"], p["label"])].append(j)
    pairs = []
    for i, g in enumerate(gold):
        bucket = free.get((g["start"], g["end"], g["label"]))
        if bucket:
            pairs.append((i, bucket.pop(0)))
    return pairs


def lenient_matches(gold: List[dict], pred: List[dict]) -> List[Tuple[int, int]]:
    """Same label and overlapping spans; greedy by largest overlap, each mention once."""
    candidates = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if g["label"] == p["label"]:
                ov = _overlap(g, p)
                if ov > 0:
                    candidates.append((-ov, abs(g["start"] - p["start"]), i, j))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, _, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def _norm_value(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return round(float(v), 4)
    if isinstance(v, str):
        s = v.strip()
        try:
            return round(float(s), 4)
        except ValueError:
            return s.lower()
    return v


def score(gold_docs: Dict[str, List[dict]], pred_docs: Dict[str, List[dict]],
          labels: Iterable[str] = LABELS) -> Dict:
    """SCHEMA.md scores over the documents of ``gold_docs`` (missing predictions count as empty)."""
    labels = list(labels)
    counts = {mode: {lab: [0, 0, 0] for lab in labels} for mode in ("strict", "lenient")}
    norm = {lab: defaultdict(lambda: [0, 0]) for lab in labels}
    attr = {lab: {"n": 0, "correct": 0, True: [0, 0], False: [0, 0]} for lab in labels}
    unknown_docs = sorted(set(pred_docs) - set(gold_docs))
    for doc_id, gold in gold_docs.items():
        pred = pred_docs.get(doc_id, [])
        for lab in labels:
            g = [m for m in gold if m["label"] == lab]
            p = [m for m in pred if m["label"] == lab]
            for mode, fn in (("strict", strict_matches), ("lenient", lenient_matches)):
                pairs = fn(g, p)
                c = counts[mode][lab]
                c[0] += len(pairs)
                c[1] += len(p)
                c[2] += len(g)
                if mode != "lenient":
                    continue
                for i, j in pairs:
                    ga, pa = g[i]["attrs"], p[j]["attrs"]
                    for keys in KEY_ATTRS.get(lab, ()):
                        if all(k not in ga for k in keys):
                            continue
                        name = "+".join(keys)
                        ok = all(_norm_value(ga.get(k)) == _norm_value(pa.get(k)) for k in keys)
                        norm[lab][name][0] += int(ok)
                        norm[lab][name][1] += 1
                    if isinstance(ga.get("patient"), bool):
                        truth = ga["patient"]
                        guess = pa.get("patient")
                        a = attr[lab]
                        a["n"] += 1
                        a["correct"] += int(guess == truth)
                        a[truth][0] += int(guess == truth)
                        a[truth][1] += 1
    out: Dict = {"documents": len(gold_docs), "unmatched_prediction_docs": unknown_docs}
    for mode in ("strict", "lenient"):
        per = {lab: _prf(*counts[mode][lab]) for lab in labels}
        tot = [sum(counts[mode][lab][k] for lab in labels) for k in range(3)]
        out[mode] = {"per_label": per, "micro": _prf(*tot)}
    out["normalisation"] = {
        lab: {name: {"accuracy": round(c / n, 4) if n else None, "n": n} for name, (c, n) in norm[lab].items()}
        for lab in labels if norm[lab]}
    per_attr = {}
    all_n = all_c = 0
    recalls = {True: [0, 0], False: [0, 0]}
    for lab in labels:
        a = attr[lab]
        if not a["n"]:
            continue
        all_n += a["n"]
        all_c += a["correct"]
        for t in (True, False):
            recalls[t][0] += a[t][0]
            recalls[t][1] += a[t][1]
        per_attr[lab] = {"accuracy": round(a["correct"] / a["n"], 4), "n": a["n"],
                         "balanced": _balanced(a[True], a[False])}
    out["attribution"] = {"per_label": per_attr,
                          "accuracy": round(all_c / all_n, 4) if all_n else None, "n": all_n,
                          "balanced": _balanced(recalls[True], recalls[False])}
    return out


def _balanced(true_counts, false_counts) -> Optional[float]:
    rs = [c / n for c, n in (true_counts, false_counts) if n]
    return round(sum(rs) / len(rs), 4) if rs else None


def format_scores(scores: Dict) -> str:
    """A plain-text table of the scores for the terminal."""
    lines = [f"documents: {scores['documents']}",
             f"{'label':<11}{'strict P':>9}{'R':>7}{'F1':>7}   {'lenient P':>9}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}"]
    labels = list(scores["strict"]["per_label"]) + ["micro"]
    for lab in labels:
        s = scores["strict"]["micro"] if lab == "micro" else scores["strict"]["per_label"][lab]
        l = scores["lenient"]["micro"] if lab == "micro" else scores["lenient"]["per_label"][lab]
        lines.append(f"{lab:<11}{s['precision']:>9.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}   "
                     f"{l['precision']:>9.3f}{l['recall']:>7.3f}{l['f1']:>7.3f}{l['n_gold']:>6}{l['n_pred']:>6}")
    if scores["normalisation"]:
        lines.append("normalisation accuracy (over lenient pairs):")
        for lab, d in scores["normalisation"].items():
            parts = ", ".join(f"{k}={v['accuracy']:.3f} (n={v['n']})" for k, v in d.items() if v["accuracy"] is not None)
            lines.append(f"  {lab:<10} {parts}")
    a = scores["attribution"]
    if a["n"]:
        lines.append(f"attribution: accuracy={a['accuracy']:.3f} balanced={a['balanced']:.3f} (n={a['n']})")
        for lab, d in a["per_label"].items():
            bal = "n/a" if d["balanced"] is None else f"{d['balanced']:.3f}"
            lines.append(f"  {lab:<10} accuracy={d['accuracy']:.3f} balanced={bal} (n={d['n']})")
    return "\n".join(lines)


def predict_gold_texts(gold_path: Path, nlp=None) -> Tuple[Dict[str, List[dict]], Dict[str, List[dict]]]:
    """Run the pipeline over the texts a SCHEMA.md gold file names -> (gold, predictions)."""
    from . import extract

    gold_path = Path(gold_path)
    gold = read_jsonl(gold_path)
    pred: Dict[str, List[dict]] = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = (gold_path.parent / row["text_file"]).read_bytes().decode("utf-8-sig")
        result = extract(text, doc_id=str(row["id"]), nlp=nlp)
        pred[str(row["id"])] = [m.to_gold() for m in result.mentions]
    return gold, pred


def evaluate_gold_file(gold_path: Path, nlp=None, labels: Iterable[str] = LABELS) -> Dict:
    """Scores of the pipeline on the texts of one gold file (used by tests and dev loops)."""
    gold, pred = predict_gold_texts(gold_path, nlp=nlp)
    return score(gold, pred, labels=labels)
