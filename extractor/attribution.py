"""Patient or literature: is a mention about this report's patient?

Case reports mix the patient's course with the literature. The rules, in order:
1. a hypothetical/negated cue next to the mention (``TAC102 could be considered``,
   ``refused surgery``) -> not the patient's;
2. in a literature section (introduction, discussion) -> the patient's only if
   the sentence names the patient (``our patient``, ``she``, ``we performed``);
3. elsewhere (case description, abstract summary, captions) -> the patient's
   unless the sentence speaks of a cohort or study and never of the patient.
Cues are data in ``patterns/attribution.csv``. Pure functions, no spaCy.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Tuple

from .patterns import load_csv
from .sections import LITERATURE_SECTIONS

KINDS = ("patient", "cohort", "hypothetical_before", "hypothetical_after")
#: labels that carry a ``patient`` attribute
ATTRIBUTED_LABELS = ("STAGE", "DRUG", "PROCEDURE", "SURVIVAL")
_CLAUSE_BREAK = re.compile(r";|, (?:while|whereas|but|and then|although)\b|\bwhile\b|\bwhereas\b")


@lru_cache(maxsize=1)
def _cues() -> Dict[str, Tuple[re.Pattern, ...]]:
    from .errors import PatternError

    out: Dict[str, List[re.Pattern]] = {k: [] for k in KINDS}
    for row in load_csv("attribution.csv", required=("kind", "pattern", "example")):
        if row["kind"] not in out:
            raise PatternError(f"attribution.csv: unknown kind {row['kind']!r}; allowed: {KINDS}")
        out[row["kind"]].append(re.compile(row["pattern"], re.IGNORECASE))
    return {k: tuple(v) for k, v in out.items()}


def _any(kind: str, text: str) -> bool:
    return any(rx.search(text) for rx in _cues()[kind])


def clause_around(sentence: str, start: int, end: int) -> Tuple[str, str]:
    """The clause text before and after ``[start, end)`` inside ``sentence``."""
    before = sentence[:start]
    after = sentence[end:]
    cut = None
    for m in _CLAUSE_BREAK.finditer(before):
        cut = m.end()
    if cut is not None:
        before = before[cut:]
    m = _CLAUSE_BREAK.search(after)
    if m:
        after = after[: m.start()]
    return before, after


def is_hypothetical(sentence: str, start: int, end: int) -> bool:
    before, after = clause_around(sentence, start, end)
    return _any("hypothetical_after", after) or _any("hypothetical_before", before)


def is_patient(section: str, sentence: str, start: int, end: int) -> bool:
    """``start``/``end`` are the mention's offsets inside ``sentence``."""
    if is_hypothetical(sentence, start, end):
        return False
    names_patient = _any("patient", sentence)
    if section in LITERATURE_SECTIONS or section == "conclusion":
        return names_patient
    if _any("cohort", sentence) and not names_patient:
        return False
    return True
