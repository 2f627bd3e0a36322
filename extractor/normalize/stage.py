"""STAGE: find TNM codes, stage groups and residual-tumour classes and normalise them.

Runs on the repaired text (OCR confusions inside codes are already fixed by
``extractor.text``); the regexes are data in ``patterns/stage.jsonl``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from . import keep_longest
from ..patterns import load_jsonl

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


@lru_cache(maxsize=1)
def _rules() -> Tuple[Tuple[str, str, re.Pattern], ...]:
    return tuple((r["id"], r["system"], re.compile(r["pattern"]))
                 for r in load_jsonl("stage.jsonl", required=("id", "system", "pattern", "example")))


def normalise_group(group: str) -> str:
    """``IIIc`` -> ``IIIC``, ``4`` -> ``IV``, ``2a`` -> ``IIA``."""
    m = re.match(r"(IV|III|II|I|[1-4])(.*)$", group.strip())
    if not m:
        return group.upper()
    numeral = _ROMAN.get(m.group(1), m.group(1))
    return numeral + m.group(2).upper()


def _part(letter: str, raw: Optional[str]) -> Optional[str]:
    if not raw:
        return None
    body = re.sub(r"\s+", "", raw[1:])
    body = re.sub(r"(?:&|and)", "/", body)
    if body in ("X", "x"):
        return letter + "x"
    if body.lower() == "is":
        return letter + "is"
    return letter + body


def normalise_tnm(prefix: Optional[str], t: Optional[str], n: Optional[str], m: Optional[str]) -> Dict:
    parts = {"prefix": prefix or None, "t": _part("T", t), "n": _part("N", n), "m": _part("M", m)}
    value = "".join(p for p in (prefix, parts["t"], parts["n"], parts["m"]) if p)
    return dict(system="tnm", value=value, **parts)


def find_stages(text: str) -> List[Tuple[int, int, Dict]]:
    """Every STAGE mention of ``text`` as (start, end, attrs), without overlaps."""
    found: List[Tuple[int, int, Dict]] = []
    for rule_id, system, regex in _rules():
        for m in regex.finditer(text):
            groups = m.groupdict()
            if system == "tnm":
                if not (groups.get("n") or groups.get("m")):
                    continue
                end = m.end()
                while end > m.start() and text[end - 1] in " '\t\n":
                    end -= 1
                found.append((m.start(), end, normalise_tnm(groups.get("prefix"), groups["t"],
                                                            groups.get("n"), groups.get("m"))))
            elif system == "residual":
                found.append((m.start(), m.end(), {"system": "residual", "value": "R" + groups["r"]}))
            elif rule_id == "dukes":
                found.append((m.start("dukes"), m.end("dukes"),
                              {"system": "group", "value": groups["dukes"].upper(), "scheme": "dukes"}))
            else:
                first_start = m.start() if rule_id in ("group", "group-range") else m.start("group")
                found.append((first_start, m.end("group"),
                              {"system": "group", "value": normalise_group(groups["group"])}))
                if groups.get("group2"):
                    found.append((m.start("group2"), m.end("group2"),
                                  {"system": "group", "value": normalise_group(groups["group2"])}))
    return keep_longest(found)
