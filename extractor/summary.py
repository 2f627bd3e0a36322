"""The per-document patient summary for the ``documents`` table.

What the text supports about this report's patient, each value or None:

- ``age``: the first age of the case text (``A 51-year-old woman`` -> 51);
- ``sex``: ``female``/``male`` from the opening phrase, else from the pronouns;
- ``primary_site``: the organ of the first tumour named outside the literature
  sections (``rectal cancer`` -> ``rectum``, ``carcinoma of the fallopian tube``);
- ``latest_stage``: the last stage group of the patient (else her last TNM code);
- ``key_biomarkers``: mutations, MSI status and predictive markers with their results
  (``KRAS p.G12D; MSI MSS``);
- ``overall_survival``: the patient's longest overall-survival figure (``86 months``).

The lexicons (sites, sex words, key markers) are data in ``patterns/survival_summary.csv``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from .normalize.survival import WORD_NUMBER as _WORD, parse_number
from .patterns import load_csv
from .records import Result
from .sections import LITERATURE_SECTIONS, section_at

SUMMARY_COLUMNS = ("age", "sex", "primary_site", "latest_stage", "key_biomarkers", "overall_survival")
SUMMARY_KINDS = ("site", "site_term", "sex", "key_marker")
_NOT_CASE = LITERATURE_SECTIONS | {"conclusion"}

_TUMOUR = (r"(?:cancers?|carcinomas?|adenocarcinomas?|tumou?rs?|neoplasms?|malignanc(?:y|ies)|sarcomas?|melanomas?|"
           r"lymphomas?|carcinoids?|blastomas?|seminomas?|mesotheliomas?|GISTs?|NETs?|neuroendocrine (?:tumou?r|carcinoma)s?)")
_MOD = (r"(?:(?:advanced|metastatic|locally|primary|invasive|recurrent|poorly|moderately|well|differentiated|"
        r"undifferentiated|mucinous|squamous|cell|small|non-small|large|ductal|lobular|papillary|medullary|"
        r"follicular|anaplastic|serous|clear|signet|ring|neuroendocrine|sarcomatoid|adenosquamous|stage|[IV]{1,4}[ABC]?|"
        r"low|high|grade|middle|lower|upper|distal|proximal|right|left|sided|triple|negative|positive|HER2|"
        r"early|synchronous|sporadic|hereditary|familial|bilateral|infiltrating|in situ)[\s-]+){0,5}")
_AGE = re.compile(
    rf"\b(?P<n>\d{{1,3}}|{_WORD})[\s-]*(?:years?|yrs?|yo)[\s-]*old\b|\baged? (?:of )?(?P<n2>\d{{1,3}})\b"
    rf"|\bat the age of (?P<n3>\d{{1,3}})\b|\b(?P<n4>\d{{1,3}})[\s-]*(?:y/o|yo)\b", re.IGNORECASE)
# pronouns in lower case or capitalised only: "HER-2" and "HE staining" are not pronouns
_PRONOUNS = re.compile(r"\b(?:(?P<f>[Ss]he|[Hh]er|[Hh]ers|[Hh]erself)|(?P<m>[Hh]e|[Hh]im|[Hh]is|[Hh]imself))\b"
                       r"(?![-/ ]?2\b|/neu)")
_UNIT_DAYS = {"days": 1, "weeks": 7, "months": 30.44, "years": 365.25}


@lru_cache(maxsize=1)
def _lexicon() -> Dict[str, List[Tuple[str, str]]]:
    from .errors import PatternError

    out: Dict[str, List[Tuple[str, str]]] = {k: [] for k in SUMMARY_KINDS}
    for i, row in enumerate(load_csv("survival_summary.csv", required=("kind", "value", "pattern", "example")), 2):
        if row["kind"] not in out:
            raise PatternError(f"survival_summary.csv: data row {i}: unknown kind {row['kind']!r}; "
                               f"allowed: {SUMMARY_KINDS}")
        out[row["kind"]].append((row["value"], row["pattern"]))
    return out


def _spaces(pattern: str) -> str:
    """A space outside a character class matches a run of spaces or hyphens (``gall bladder``)."""
    def sub(m: re.Match) -> str:
        return {" ": r"[\s-]+", " ?": r"[\s-]*"}.get(m.group(0), m.group(0))

    return re.sub(r"\[[^\]]*\]| \??", sub, pattern)


def _alternation(rows: List[Tuple[str, str]], prefix: str) -> Tuple[str, Dict[str, str]]:
    """One named group per row: returns the alternation and group name -> value."""
    names = {f"{prefix}{i}": value for i, (value, _) in enumerate(rows)}
    alt = "|".join(f"(?P<{prefix}{i}>{_spaces(pattern)})" for i, (_, pattern) in enumerate(rows))
    return alt, names


@lru_cache(maxsize=1)
def _site_rx() -> Tuple[re.Pattern, Dict[str, str]]:
    lex = _lexicon()
    before, names_b = _alternation(lex["site"], "b")
    after, names_a = _alternation(lex["site"], "a")
    term, names_t = _alternation(lex["site_term"], "t")
    rx = re.compile(
        rf"\b{_MOD}(?:{before})[\s-]+{_MOD}{_TUMOUR}\b"
        rf"|\b{_TUMOUR}[\s-]+(?:\w+[\s-]+){{0,3}}?(?:of|in|from)[\s-]+(?:the[\s-]+)?(?:\w+[\s-]+){{0,2}}?(?:{after})\b"
        rf"|(?<![\w-])(?:{term})(?![\w-])", re.IGNORECASE)
    return rx, {**names_b, **names_a, **names_t}


@lru_cache(maxsize=1)
def _sex_rx() -> Tuple[re.Pattern, Dict[str, str]]:
    alt, names = _alternation(_lexicon()["sex"], "s")
    opening = re.compile(rf"\b(?:\d{{1,3}}|{_WORD})[\s-]*(?:years?|yrs?)[\s-]*old[\s,-]+(?:[\w-]+[\s,]+){{0,3}}?"
                         rf"(?:{alt})\b", re.IGNORECASE)
    return opening, names


def _case_spans(result: Result) -> List[Tuple[int, int]]:
    """The text outside literature/reference sections, as (start, end) spans (all text if none)."""
    spans = [(s.start, s.end) for s in result.sections if s.name not in _NOT_CASE | {"references", "boilerplate"}]
    return spans or [(0, len(result.text))]


def _in_case(result: Result, offset: int) -> bool:
    return section_at(result.sections, offset) not in _NOT_CASE if result.sections else True


def find_age(text: str) -> Optional[int]:
    m = _AGE.search(text)
    if not m:
        return None
    raw = next(g for g in (m.group("n"), m.group("n2"), m.group("n3"), m.group("n4")) if g)
    value = parse_number(raw)
    return int(value) if value is not None and 0 <= value < 120 else None


def find_sex(text: str) -> Optional[str]:
    rx, names = _sex_rx()
    m = rx.search(text)
    if m:
        return next(names[k] for k, v in m.groupdict().items() if v and k in names)
    female = male = 0
    for p in _PRONOUNS.finditer(text):
        if p.group("f"):
            female += 1
        else:
            male += 1
    if female == male:
        return None
    return "female" if female > male else "male"


def find_primary_site(text: str) -> Optional[str]:
    rx, names = _site_rx()
    for m in rx.finditer(text):
        for k, v in m.groupdict().items():
            if v and k in names:
                return names[k]
    return None


def _stage(result: Result) -> Optional[str]:
    stages = [m for m in result.stages if m.patient and m.system in ("group", "tnm") and m.value]
    case = [m for m in stages if _in_case(result, m.start)] or stages
    groups = [m for m in case if m.system == "group"]
    pick = (groups or case)
    return pick[-1].value if pick else None


def _result_rank(result: str) -> int:
    if result.startswith("p.") or result.startswith("c."):
        return 0
    if result in ("MSS", "MSI-H", "MSI-L"):
        return 0
    if result == "mutated":
        return 1
    return 2


def _key_biomarkers(result: Result) -> Optional[str]:
    keys = {value for value, _ in _lexicon()["key_marker"]}
    marks = [m for m in result.biomarkers if getattr(m, "result", None)]
    case = [m for m in marks if _in_case(result, m.start)] or marks
    best: Dict[str, List[str]] = {}
    for m in case:
        kind = getattr(m, "kind", None)
        key = (kind == "gene" and _result_rank(m.result) <= 1) or m.marker in keys
        if not key:
            continue
        have = best.setdefault(m.marker, [])
        rank = _result_rank(m.result)
        if not have or rank < _result_rank(have[0]):
            best[m.marker] = [m.result]
        elif rank == 0 == _result_rank(have[0]) and m.result not in have:
            have.append(m.result)  # several variants of one gene: EGFR p.L858R, p.T790M
    return "; ".join(f"{k} {', '.join(v)}" for k, v in best.items()) or None


def _overall_survival(result: Result) -> Optional[str]:
    figures = [m for m in result.survival if m.patient and m.measure == "os" and m.value is not None
               and m.unit in _UNIT_DAYS]
    if not figures:
        return None
    best = max(figures, key=lambda m: (m.high or m.value) * _UNIT_DAYS[m.unit])
    value = best.value if best.high is None else f"{best.value}-{best.high}"
    value = value if isinstance(value, str) else (int(value) if float(value).is_integer() else value)
    return f"{value} {best.unit}"


def summarise(result: Result) -> Dict[str, Any]:
    """Age, sex, primary site, latest stage, key biomarkers, survival (what the text supports)."""
    case_text = " \n".join(result.text[s:e] for s, e in _case_spans(result))
    return {
        "age": find_age(case_text) or find_age(result.text),
        "sex": find_sex(case_text),
        "primary_site": find_primary_site(case_text) or find_primary_site(result.text),
        "latest_stage": _stage(result),
        "key_biomarkers": _key_biomarkers(result),
        "overall_survival": _overall_survival(result),
    }
