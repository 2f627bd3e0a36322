"""Patient or literature: is a mention about this report's patient?

Case reports mix the patient's course with the literature. The rules, in order:

1. a survival rate is a cohort's figure, never one patient's; so is a median
   (unless the report is a case series and the median sits in its case section);
2. a hypothetical/negated cue next to the mention (``TAC102 could be considered``,
   ``refused surgery``, ``was not performed``), or a relative in its clause
   (``her mother received tamoxifen``) -> not the patient's;
3. the mention's clause names the patient (``our patient``, ``she``) -> the patient's;
   the clause cites the literature (``research suggests that``, ``[4]``) -> not;
4. in a literature section (introduction, discussion, conclusion) -> the patient's
   only if the sentence names the patient and the mention's own clause is not a
   general statement (``Radiotherapy may extend the benefit, as in our patient``),
   or, in a discussion, if it retells the case in the past tense with no study,
   cohort, citation or general statement in it;
5. elsewhere (case description, abstract, captions) -> the patient's, unless the
   sentence speaks of the literature, of a cohort (ignored in a case series, whose
   own patients form a group), or, in the narrative sections, the clause is a
   general statement (modal verbs, "is the mainstay of treatment"; in an abstract
   or in a report whose literature sections were not found, any present-tense
   clause) that has no past-tense narrative.

Cues are data in ``patterns/attribution.csv``. Pure functions, no spaCy.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Mapping, Optional, Tuple

from .patterns import load_csv
from .sections import LITERATURE_SECTIONS

KINDS = ("patient", "cited", "literature", "citation", "cohort", "generic", "present", "past", "perfect", "series",
         "hypothetical_before", "hypothetical_after", "relative", "status_keep")
#: labels that carry a ``patient`` attribute
ATTRIBUTED_LABELS = ("STAGE", "DRUG", "PROCEDURE", "SURVIVAL")
#: sections whose sentences speak of the literature unless they name the patient
_LITERATURE = LITERATURE_SECTIONS | {"conclusion"}
#: sections told as the patient's story (captions describe her images)
_NARRATIVE = frozenset({"case", "abstract", "title"})

_CLAUSE_BREAK = re.compile(
    r";|, (?:while|whereas|but|and then|although|as|because|since|which|so that)\b|\b(?:while|whereas|although)\b"
    r"|\b(?:suggests?|suggested|showed|shown|reported|demonstrated|indicates?|indicated) that\b")


@lru_cache(maxsize=1)
def _cues() -> Dict[str, re.Pattern]:
    """One compiled alternation per kind (one search per question, not one per row)."""
    from .errors import PatternError

    out: Dict[str, List[str]] = {k: [] for k in KINDS}
    for i, row in enumerate(load_csv("attribution.csv", required=("kind", "pattern", "example")), 2):
        if row["kind"] not in out:
            raise PatternError(f"attribution.csv: data row {i}: unknown kind {row['kind']!r}; allowed: {KINDS}")
        # a space in a cue matches any whitespace run (PDF text breaks lines anywhere)
        pattern = row["pattern"].replace(" ", r"\s+")
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise PatternError(f"attribution.csv: data row {i}: bad regex ({exc})") from exc
        out[row["kind"]].append(pattern)
    never = r"(?!x)x"
    return {k: re.compile("|".join(f"(?:{p})" for p in v) or never, re.IGNORECASE) for k, v in out.items()}


def cue_rows() -> List[Dict[str, str]]:
    """The rows of ``patterns/attribution.csv`` (for tests)."""
    return load_csv("attribution.csv", required=("kind", "pattern", "example"))


@lru_cache(maxsize=8192)
def cue_matches(kind: str, text: str) -> bool:
    """Does a cue of ``kind`` occur in ``text``? (cached: mentions of one sentence share it)"""
    return _cues()[kind].search(text) is not None


_any = cue_matches


def is_case_series(text: str) -> bool:
    """Does the report describe several patients of its own (``Case 2``, ``seven cases at our institution``)?"""
    return _any("series", text)


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


def _reporting_opener(before: str) -> str:
    """When the mention's clause is reported (``studies have shown that ...``), the
    clause that reports it, else ``""``."""
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if not breaks or not breaks[-1].group(0).endswith("that"):
        return ""
    start = breaks[-2].end() if len(breaks) > 1 else 0
    return before[start:breaks[-1].end()]


def is_hypothetical(sentence: str, start: int, end: int, label: Optional[str] = None) -> bool:
    """A cue in the mention's clause says it was not given to the patient."""
    before, after = clause_around(sentence, start, end)
    if _any("hypothetical_after", after):
        return True
    if not _any("hypothetical_before", before):
        return False
    # "alive without recurrence for 5 years", "no gross residual disease (R0)": a status,
    # not a withheld treatment
    return not (label in ("SURVIVAL", "STAGE") and _any("status_keep", before))


def is_general_statement(clause: str, tense: bool = True) -> bool:
    """A clause that states a general fact rather than tells the patient's story; with
    ``tense``, any present-tense clause counts too. A clause told in the past tense is the case's."""
    if _any("past", clause) or _any("perfect", clause):  # "metastasis could not be excluded, so PET-CT was performed"
        return False
    return _any("generic", clause) or (tense and _any("present", clause))


def cites_literature(clause: str) -> bool:
    """Studies, guidelines, ``et al.``; a reference mark only outside past-tense narrative
    (``DNA was extracted ... using established techniques [5]`` is still the case)."""
    if _any("literature", clause) or _any("cited", clause):
        return True
    return _any("citation", clause) and not _any("past", clause)


def sentence_spans(text: str) -> List[Tuple[int, int]]:
    """Sentence bounds (``sentences.sentence_bounds`` already joins a piece that starts
    in lower case after a blank line to the one before)."""
    from .sentences import sentence_bounds

    return list(sentence_bounds(text))


def is_patient(section: str, sentence: str, start: int, end: int, label: Optional[str] = None,
               attrs: Optional[Mapping] = None, series: bool = False, sectioned: bool = True) -> bool:
    """``start``/``end`` are the mention's offsets inside ``sentence``; ``series`` says the
    report describes several patients of its own (``is_case_series``); ``sectioned`` that
    the report's literature sections were found (if not, its "case" text may hold the
    discussion too, and present-tense general statements are read as literature)."""
    literature_section = section in _LITERATURE
    measure = attrs.get("measure") if (label == "SURVIVAL" and attrs) else None
    if measure == "rate" or (measure == "median_os" and not (series and not literature_section)):
        return False
    if is_hypothetical(sentence, start, end, label):
        return False
    before, after = clause_around(sentence, start, end)
    clause = before + sentence[start:end] + after
    if _any("relative", clause):  # family history: "her mother was treated with tamoxifen"
        return False
    if _any("cited", clause):  # "Zhang et al. reported a patient who received apatinib"
        return False
    if _any("patient", clause):
        return True
    if cites_literature(clause) or cites_literature(_reporting_opener(sentence[:start])):
        return False
    names_patient = _any("patient", sentence)
    if literature_section:
        # "Local radiotherapy may extend the benefit, as it did in our patient": the
        # mention's own clause is a general statement
        if names_patient:
            return not is_general_statement(clause, tense=False)
        # a past-tense account with no study, cohort or citation in it retells the case
        # ("Pheochromocytoma was ruled out on the basis of a normal abdominal CT scan")
        return (section == "discussion" and _any("past", sentence) and not _any("citation", sentence)
                and not cites_literature(sentence) and not _any("cohort", sentence)
                and not _any("generic", sentence))
    if names_patient:
        return True
    if cites_literature(sentence):
        return False
    if not series and _any("cohort", sentence):
        return False
    if section in _NARRATIVE and is_general_statement(clause, tense=not sectioned or section == "abstract"):
        return False
    return True
