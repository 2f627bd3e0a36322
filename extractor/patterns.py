"""The one loader for data files under ``patterns/``.

Rule files are JSONL (one rule a line, each with an ``example``) and lexicons are
CSV. Both are validated on load: a bad row raises ``PatternError`` naming the
file, the line and what is allowed, so a typo never turns into a silent miss.
Works the same from a checkout and from an installed wheel (the wheel carries
``patterns/`` as ``extractor/_patterns``).
"""
from __future__ import annotations

import csv
import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, NamedTuple, Optional, Tuple

from .errors import PatternError


def patterns_dir() -> Path:
    """``$EXTRACTOR_PATTERNS``, else the packaged copy, else the checkout's ``patterns/``."""
    env = os.environ.get("EXTRACTOR_PATTERNS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here / "_patterns", here.parent / "patterns"):
        if candidate.is_dir():
            return candidate
    raise PatternError(f"patterns/ folder not found next to {here}")


@lru_cache(maxsize=None)
def _load_jsonl_cached(name: str, required: Tuple[str, ...]) -> Tuple[dict, ...]:
    path = patterns_dir() / name
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise PatternError(f"{path}: cannot read ({exc})") from exc
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PatternError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise PatternError(f"{path}:{lineno}: each line must be a JSON object")
        missing = [k for k in required if k not in row]
        if missing:
            raise PatternError(f"{path}:{lineno}: missing key(s) {missing}; required: {list(required)}")
        row["_line"] = lineno
        rows.append(row)
    return tuple(rows)


def load_jsonl(name: str, required: Iterable[str] = ()) -> List[dict]:
    """Rows of ``patterns/<name>`` as fresh dicts (callers may not mutate the cache)."""
    return [dict(r) for r in _load_jsonl_cached(name, tuple(required))]


@lru_cache(maxsize=None)
def _load_csv_cached(name: str, required: Tuple[str, ...]) -> Tuple[Dict[str, str], ...]:
    path = patterns_dir() / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            lines = [ln for ln in fh if not ln.startswith("#")]
    except OSError as exc:
        raise PatternError(f"{path}: cannot read ({exc})") from exc
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    missing = [k for k in required if k not in header]
    if missing:
        raise PatternError(f"{path}: header lacks column(s) {missing}; has {header}")
    rows = []
    for lineno, row in enumerate(reader, 2):
        if None in row or any(row.get(k) is None for k in header):
            raise PatternError(f"{path}: data row {lineno}: expected {len(header)} fields {header}")
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return tuple(rows)


def load_csv(name: str, required: Iterable[str] = ()) -> List[Dict[str, str]]:
    """Rows of the CSV lexicon ``patterns/<name>`` (lines starting with # are comments)."""
    return [dict(r) for r in _load_csv_cached(name, tuple(required))]


def load_words(name: str) -> Tuple[str, ...]:
    """A plain word list: one entry a line, # comments."""
    path = patterns_dir() / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PatternError(f"{path}: cannot read ({exc})") from exc
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


class ContextRule(NamedTuple):
    """One row of a context rule file: a compiled regex (``rx``, with ``pattern`` its
    expanded text) or a word list (``words``), and the row itself for extra fields."""
    id: str
    pattern: Optional[str]
    rx: Optional[re.Pattern]
    words: Optional[Tuple[str, ...]]
    row: Dict


_TEMPLATE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_FLAG_BITS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}


@lru_cache(maxsize=None)
def load_context_rules(name: str) -> Dict[str, ContextRule]:
    """The named context rules of ``patterns/<name>`` (JSONL), compiled once.

    Each row has an ``id`` and an ``example``, and either a ``pattern`` (a Python
    regex; ``flags`` may hold ``i``, ``m``, ``s``; ``{SOME_ID}`` inserts the pattern
    of the earlier row ``some-id``) that must find its example, or a ``words`` list
    (or object word -> value) that must hold its example. Word lists stay in JSONL:
    every word of a CSV under ``patterns/`` joins the OCR repair vocabulary. Used by
    the families and the timeline alike."""

    out: Dict[str, ContextRule] = {}
    for row in load_jsonl(name, required=("id", "example")):
        where = f"{name}:{row['_line']}"
        rid = row["id"]
        if rid in out:
            raise PatternError(f"{where}: duplicate id {rid!r}")
        if "words" in row:
            words = row["words"]
            if not isinstance(words, (list, dict)) or not all(isinstance(w, str) and w for w in words):
                raise PatternError(f"{where}: words must be a list of strings (or an object word -> value)")
            out[rid] = ContextRule(rid, None, None, tuple(words), row)
            continue
        if not isinstance(row.get("pattern"), str):
            raise PatternError(f"{where}: each row needs a pattern (a regex string) or a words list")

        def part(m: "re.Match[str]") -> str:
            ref = out.get(m.group(1).lower().replace("_", "-"))
            if ref is None or ref.pattern is None:
                raise PatternError(f"{where}: {m.group(0)} names no earlier pattern row")
            return ref.pattern

        pattern = _TEMPLATE.sub(part, row["pattern"])
        flags = 0
        for ch in row.get("flags", ""):
            if ch not in _FLAG_BITS:
                raise PatternError(f"{where}: unknown flag {ch!r}; allowed: {sorted(_FLAG_BITS)}")
            flags |= _FLAG_BITS[ch]
        try:
            rx = re.compile(pattern, flags)
        except re.error as exc:
            raise PatternError(f"{where}: bad regex ({exc})") from exc
        out[rid] = ContextRule(rid, pattern, rx, None, row)
    return out
