"""STAGE: find TNM codes, stage groups and residual-tumour classes and normalise them.

Runs on the repaired text (OCR confusions inside codes are already fixed by
``extractor.text``); the regexes are data in ``patterns/stage.jsonl``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

from . import keep_longest
from ..patterns import load_context_rules, load_jsonl

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


#: ``I`` read as ``E`` inside a Roman numeral: the numeral it was (Ann Arbor's extranodal ``E``
#: belongs to lymphoma, ``patterns/stage_context.jsonl``; elsewhere ``IIEB`` is OCR damage of ``IIIB``)
_E_AS_I = {"IE": "II", "IIE": "III"}


@lru_cache(maxsize=1)
def _all_rules() -> Tuple[Tuple[str, str, re.Pattern, bool], ...]:
    return tuple((r["id"], r["system"], re.compile(r["pattern"]), bool(r.get("keep_word")))
                 for r in load_jsonl("stage.jsonl", required=("id", "system", "pattern", "example")))


def _rules() -> Tuple[Tuple[str, str, re.Pattern, bool], ...]:
    return tuple(r for r in _all_rules() if r[1] != "exclude")


def _excluded_spans(text: str) -> List[Tuple[int, int]]:
    """Spans of staging words that are not cancer stages (``stage 3 chronic kidney disease``)."""
    return [m.span() for _, system, rx, _ in _all_rules() if system == "exclude" for m in rx.finditer(text)]


def normalise_group(group: str, lymphoma: bool = True) -> str:
    """``IIIc`` -> ``IIIC``, ``4`` -> ``IV``, ``2a`` -> ``IIA``, ``IV-B`` -> ``IVB``; outside
    lymphoma (``lymphoma=False``) an ``E`` after the numeral is OCR for ``I``: ``IIEB`` -> ``IIIB``."""
    m = re.match(r"(IV|III|II|I|[0-4])(E?)-?(.*)$", group.strip())
    if not m:
        return group.upper()
    numeral = _ROMAN.get(m.group(1), m.group(1))
    extra = m.group(2)
    if extra and not lymphoma:
        numeral, extra = _E_AS_I.get(numeral + extra, numeral), ""
    return numeral + extra + m.group(3).upper()


def _part(letter: str, raw: Optional[str]) -> Optional[str]:
    if not raw:
        return None
    body = re.sub(r"\s+", "", raw[raw.index(letter) + 1:])  # ``pN1``: the prefix is the code's
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
    lymphoma: Optional[bool] = None
    for rule_id, system, regex, keep_word in _rules():
        for m in regex.finditer(text):
            groups = m.groupdict()
            if system == "tnm":
                if not (groups.get("n") or groups.get("m")):
                    continue
                end = m.end()
                while end > m.start() and text[end - 1] in " ',\t\n":
                    end -= 1
                found.append((m.start(), end, normalise_tnm(groups.get("prefix"), groups["t"],
                                                            groups.get("n"), groups.get("m"))))
            elif system == "residual":
                found.append((m.start(), m.end(), {"system": "residual", "value": "R" + groups["r"]}))
            elif rule_id == "dukes":
                found.append((m.start("dukes"), m.end("dukes"),
                              {"system": "group", "value": groups["dukes"].upper(), "scheme": "dukes"}))
            else:
                if lymphoma is None and "E" in m.group(0):
                    lymphoma = bool(load_context_rules("stage_context.jsonl")["lymphoma-document"].rx.search(text))
                first_start = m.start() if keep_word else m.start("group")
                found.append((first_start, m.end("group"),
                              {"system": "group", "value": normalise_group(groups["group"], lymphoma is not False)}))
                if groups.get("group2"):
                    found.append((m.start("group2"), m.end("group2"),
                                  {"system": "group", "value": normalise_group(groups["group2"], lymphoma is not False)}))
    if any(a["system"] == "group" for _, _, a in found):
        excluded = _excluded_spans(text)
        if excluded:
            found = [f for f in found if f[2]["system"] != "group"
                     or not any(s < f[1] and f[0] < e for s, e in excluded)]
    return keep_longest(found)
