"""SURVIVAL: survival and outcome figures (durations and rates) and their measure.

A candidate is a number with a duration or percent unit (``86 months``,
``Twenty-seven months``, ``24 to 36 months``, ``75-85%``). The context rules in
``patterns/survival.jsonl`` decide whether it is a survival figure, in order:

1. exclusions: ages (``51-year-old``), intervals (``every 3 months``), descriptors
   (``5-year`` in ``5-year survival rate``);
2. a survival term before it (``median survival of``, ``PFS was``) -> its measure;
3. a percent followed by a survival term (``12% five-year survival``);
4. a status phrase before it (``died 8 months later``, ``alive for``,
   ``stable disease for``) or the patient's status after it
   (``Ten months after surgery, the patient is alive``), or a follow-up length with a
   status in the sentence or the next (``at the 2-year follow-up there was no evidence``);
5. a list continuing an accepted figure (``56.4%, 29.6%, and 8.1%``).

Number words, units, list and clause rules are ``patterns/survival_context.jsonl``
(read with ``extractor.patterns.load_context_rules``, shared by the families and the timeline).

Time phrases that only position an event (``recurred 2 years later``) are DATEs
and are never emitted here (SCHEMA.md's SURVIVAL-or-DATE convention).
Pure functions, no spaCy; offsets are into the text given.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, NamedTuple, Optional, Tuple

from ..patterns import load_context_rules as context_rules
from ..patterns import load_jsonl
from ..sentences import sentence_bounds


# context rule files are read with ``extractor.patterns.load_context_rules``


def _ctx(rule_id: str) -> re.Pattern:
    """A compiled rule of ``patterns/survival_context.jsonl``."""
    return context_rules("survival_context.jsonl")[rule_id].rx


def survival_phrase(where: str) -> re.Pattern:
    """The survival/status phrase that makes a time phrase a SURVIVAL figure rather
    than a DATE, read ``before`` (to the end of the left context) or ``after`` (at the
    start of the right context); ``normalize.dates`` asks here instead of keeping a copy."""
    return _ctx({"before": "survival-phrase-before", "after": "survival-phrase-after"}[where])

KINDS = ("cue", "rate_after", "status", "subject_status", "followup_before", "followup_after",
         "living_with", "exclude_before", "exclude_after", "event", "chain_block")
MEASURES = ("os", "pfs", "dfs", "median_os", "rate", "")
#: status measures, strongest first: "alive without recurrence" is dfs, "no evidence of progression" pfs
_STATUS_ORDER = {"pfs": 0, "dfs": 1, "os": 2}



@lru_cache(maxsize=1)
def _number_words() -> Tuple[Dict[str, int], Dict[str, int]]:
    """(ones, tens): English number words one..nineteen and twenty..ninety, word -> value
    (``patterns/survival_context.jsonl``, in file order)."""
    rules = context_rules("survival_context.jsonl")
    return dict(rules["number-ones"].row["words"]), dict(rules["number-tens"].row["words"])


@lru_cache(maxsize=1)
def _word_rx() -> str:
    """A number written in words (``Twenty-seven``, ``two and a half``) as a regex."""
    ones, tens = _number_words()
    return (r"(?:(?:" + "|".join(tens) + r")(?:[\s-](?:" + "|".join(k for k in ones if ones[k] < 10) + r"))?"
            r"|" + "|".join(sorted(ones, key=len, reverse=True)) + r")(?:\s+and\s+a\s+half)?")


def _part(rule_id: str) -> str:
    """The expanded pattern text of a rule of ``patterns/survival_context.jsonl``."""
    return context_rules("survival_context.jsonl")[rule_id].pattern


@lru_cache(maxsize=1)
def _units() -> Dict[str, str]:
    """Unit name -> regex of its written forms (rows with a ``unit``, in file order);
    OCR-damaged "months" (moinths, rmionths, montis) are common enough to accept."""
    return {r.row["unit"]: r.pattern for r in context_rules("survival_context.jsonl").values() if "unit" in r.row}


@lru_cache(maxsize=1)
def _unit_rx() -> str:
    return "|".join(f"(?P<u_{name}>{rx})" for name, rx in _units().items())


#: a number written in words, for other readers of case text (ages in the summary)
WORD_NUMBER = _word_rx()


@lru_cache(maxsize=1)
def _candidate_rx() -> re.Pattern:
    """A number or range with its unit: ``86 months``, ``24 to 36 months``, ``75-85%``, ``5-years``."""
    sep, digits, word, unit = _part("unit-gap"), _part("digits"), _word_rx(), _unit_rx()
    num = rf"(?:{digits}|{word}|{_part('article-one')})"
    low_unit = rf"(?:{sep}(?:{unit.replace('?P<u_', '?P<l_')}))?"
    # a word number only opens a range with "to" ("Twenty-seven" is one number)
    low = rf"(?:(?P<lo>{digits}){low_unit}\s*(?:-|\u2013|\u2014|to|~)\s*|(?P<lo_w>{word})\s+to\s+)"
    return re.compile(rf"(?<![\w.,])(?:{low})?(?P<num>{num}){sep}(?:{unit})(?![a-z])", re.IGNORECASE)


class _Rule(NamedTuple):
    id: str
    kind: str
    measure: str
    rx: re.Pattern


@lru_cache(maxsize=1)
def _rules() -> Dict[str, Tuple[_Rule, ...]]:
    from ..errors import PatternError

    out: Dict[str, List[_Rule]] = {k: [] for k in KINDS}
    for row in load_jsonl("survival.jsonl", required=("id", "kind", "measure", "pattern", "example")):
        where = f"survival.jsonl:{row['_line']}"
        if row["kind"] not in out:
            raise PatternError(f"{where}: unknown kind {row['kind']!r}; allowed: {KINDS}")
        if row["measure"] not in MEASURES:
            raise PatternError(f"{where}: unknown measure {row['measure']!r}; allowed: {MEASURES}")
        try:
            # a space in a rule matches any whitespace run: PDFs break lines anywhere
            rx = re.compile(row["pattern"].replace(" ", r"\s+"), re.IGNORECASE)
        except re.error as exc:
            raise PatternError(f"{where}: bad regex ({exc})") from exc
        out[row["kind"]].append(_Rule(row["id"], row["kind"], row["measure"], rx))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _fold_table() -> Dict[int, str]:
    """Accented letters -> their base letter, one char for one (offsets stay valid)."""
    import unicodedata

    table = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and len(base) == 1 and base.isascii():
            table[code] = base
    table[ord("\u00a2")] = "c"  # OCR reads c as a cent sign
    return table


def fold(text: str) -> str:
    """``text`` with OCR accents folded (``rémission`` -> ``remission``), same length."""
    return text.translate(_fold_table())


def rule_examples() -> List[Tuple[str, str, str]]:
    """(id, pattern, example) of every rule, for the tests."""
    return [(r["id"], r["pattern"], r["example"]) for r in load_jsonl("survival.jsonl")]


# ------------------------------------------------------------------ numbers

def parse_number(raw: str) -> Optional[float]:
    """``19.1`` -> 19.1, ``29,6`` (OCR) -> 29.6, ``Twenty-seven`` -> 27, ``two and a half`` -> 2.5."""
    s = raw.strip().lower()
    half = 0.0
    if s.endswith("and a half"):
        half = 0.5
        s = s[: -len("and a half")].strip()
    if s and s[0].isdigit():
        return float(s.replace(",", ".")) + half
    if s in ("a", "an"):
        return 1.0 + half
    ones, tens = _number_words()
    total = 0
    for part in re.split(r"[\s-]+", s):
        if part in tens:
            total += tens[part]
        elif part in ones:
            total += ones[part]
        else:
            return None
    return float(total) + half


def _unit_of(m: re.Match, prefix: str = "u_") -> Optional[str]:
    for name in _units():
        if m.group(prefix + name):
            return name
    return None


def _clean(value: float):
    return int(value) if value == int(value) else value


class Candidate(NamedTuple):
    start: int
    end: int
    value: float
    high: Optional[float]
    unit: str
    #: figures sharing one unit ("8.3 and 14.5 months") share a group number; -1 alone
    group: int = -1


def find_candidates(text: str) -> List[Candidate]:
    """Every number + duration/percent unit of ``text`` (ranges as one candidate)."""
    out = []
    bare_before = _ctx("bare-number-before")
    for m in _candidate_rx().finditer(text):
        unit = _unit_of(m)
        value = parse_number(m.group("num"))
        if value is None:
            continue
        start, high = m.start("num"), None
        lo_group = "lo" if m.group("lo") else "lo_w" if m.group("lo_w") else None
        if lo_group:
            lo = parse_number(m.group(lo_group))
            lo_unit = _unit_of(m, "l_") if lo_group == "lo" else None
            # "5 years - 6 months" or "12-6 months" are not ranges: keep the second figure alone
            if lo is not None and (lo_unit is None or lo_unit == unit) and lo < value:
                start, high, value = m.start(lo_group), value, lo
        # bare numbers listed before it share its unit: "PFS and OS were 8.3 and 14.5 months"
        bare: List[Candidate] = []
        pos = start
        while len(bare) < 5:
            b = bare_before.search(text, max(0, pos - 20), pos)
            if not b or (out and b.start() < out[-1].end):
                break
            bare.insert(0, Candidate(b.start("n"), b.end("n"), float(b.group("n").replace(",", ".")), None, unit))
            pos = b.start()
        if bare:
            group = start
            out.extend(c._replace(group=group) for c in bare)
            out.append(Candidate(start, m.end(), value, high, unit, group))
        else:
            out.append(Candidate(start, m.end(), value, high, unit))
    return out


# ------------------------------------------------------------------ context

def _last(rules, text: str) -> Optional[Tuple[_Rule, re.Match]]:
    """The rule match ending last in ``text`` (ties: the earlier, more specific rule)."""
    best = None
    for rule in rules:
        for m in rule.rx.finditer(text):
            if best is None or m.end() > best[1].end():
                best = (rule, m)
    return best


def _any(kind: str, text: str) -> bool:
    return any(r.rx.search(text) for r in _rules()[kind])


def _status_measure(text: str) -> Optional[str]:
    """The measure a status phrase implies (pfs > dfs > os), or None without one."""
    found = [r.measure for r in _rules()["status"] if r.rx.search(text)]
    found += [r.measure for r in _rules()["subject_status"] if r.rx.search(text)]
    if not found:
        return None
    return min(found, key=lambda m: _STATUS_ORDER.get(m, 9))


#: returned by ``_classify`` for a number that can never be a survival figure (an age, a descriptor)
EXCLUDED = "excluded"


def _classify(cand: Candidate, text: str, sent: Tuple[int, int], next_sent: Tuple[int, int]
              ) -> Tuple[Optional[str], str]:
    """(measure, rule kind that decided) of a candidate; measure None when it is not a
    survival figure, ``EXCLUDED`` when it can never be one."""
    rules = _rules()
    s_start, s_end = sent
    left = text[max(s_start, cand.start - 100): cand.start]
    right = text[cand.end: min(s_end, cand.end + 120)]
    percent = cand.unit == "percent"

    if percent and any(r.rx.search(right) for r in rules["rate_after"]):
        return "rate", "rate_after"
    if _any("exclude_after", right) or _any("exclude_before", left[-12:]):
        return EXCLUDED, "exclude"

    # a survival term just before: "median survival of", "PFS was", "survival rate of patients ... is"
    cue = _last(rules["cue"], left)
    if cue is not None:
        gap = left[cue[1].end():]
        if percent:  # "survival at 1 year was 75%": the time point is part of the measure
            gap = _ctx("time-point").sub("", gap)
        if len(gap) <= 70 and not _ctx("gap-break").search(gap):
            return ("rate" if percent else cue[0].measure), "cue"
    if percent:
        return None, ""

    # the patient lived with the disease: "diagnosed with ... for more than 7 years"
    if _any("living_with", left):
        return "os", "living_with"

    # a follow-up length: needs a status in the sentence or the next one
    if _any("followup_before", left) or _any("followup_after", right):
        where = text[s_start:s_end]
        if next_sent[0] == s_end:
            where += " " + text[next_sent[0]:next_sent[1]]
        measure = _status_measure(where)
        if measure:
            return measure, "followup"

    # a status before: "died 8 months later", "alive for 86 months", "stable disease for 12 months"
    # ("10% of patients survive beyond 5 years": the duration only qualifies a rate)
    status = _last(rules["status"], left[-90:]) if "%" not in left[-90:] else None
    if status is not None:
        gap = left[-90:][status[1].end():]
        if len(gap) <= 70 and not _ctx("gap-break").search(gap) and not _any("event", gap):
            # read the measure from the status phrase on, not from an earlier clause
            tail = _ctx("clause-break").split(right, maxsplit=1)[0]  # "alive 5 years after surgery without recurrence"
            return _status_measure(left[-90:][status[1].start():] + " " + tail) or status[0].measure, "status"

    # the patient's status after a time phrase that opens the sentence (or clause):
    # "Ten months after initial surgery, the patient is alive"
    prefix = _ctx("sentence-part-break").split(text[s_start:cand.start])[-1]
    if len(prefix) <= 50 and not _any("event", prefix):
        first = None
        for rule in rules["subject_status"] + rules["status"]:
            m = rule.rx.search(right)
            if m and m.start() <= 90 and (first is None or m.start() < first):
                first = m.start()
        if first is not None and not _any("event", right[:first]):
            return _status_measure(right[first:]), "subject_status"
    return None, ""


def _sentences(text: str) -> List[Tuple[int, int]]:
    """Sentence bounds (a piece that starts in lower case after a blank line is
    joined to the one before by ``sentences.sentence_bounds``)."""
    return list(sentence_bounds(text))


def _chains(prev: Candidate, cand: Candidate, text: str) -> bool:
    """Does ``cand`` continue a list that ``prev`` (a survival figure) opened?"""
    if (prev.unit == "percent") != (cand.unit == "percent"):
        return False
    gap = text[prev.end:cand.start]
    if len(gap) > 80 or _ctx("sentence-break").search(gap):
        return False
    return not _any("chain_block", gap) and not _any("event", gap)


def _respectively(cands: List[Candidate], text: str, sent: Tuple[int, int]) -> Optional[List[str]]:
    """Measures of a shared-unit list read in order: "median PFS and OS were 8.3 and 14.5
    months, respectively" -> pfs, median_os; None when the text does not pair them."""
    if not _ctx("respectively").match(text[cands[-1].end:cands[-1].end + 20]):
        return None
    left = text[max(sent[0], cands[0].start - 100):cands[0].start]
    left = _ctx("sentence-part-break").split(left)[-1]
    terms: List[Tuple[int, int, str]] = []
    for rule in _rules()["cue"]:  # specific rules first: keep the first rule at a place
        for m in rule.rx.finditer(left):
            if not any(m.start() < e and s < m.end() for s, e, _ in terms):
                terms.append((m.start(), m.end(), rule.measure))
    if len(terms) != len(cands):
        return None
    terms.sort()
    median = _ctx("median").search(left[: terms[0][0] + 8]) is not None
    return ["median_os" if (median and t[2] == "os") else t[2] for t in terms]


_MONTHS = {"days": 1 / 30.44, "weeks": 7 / 30.44, "months": 1.0, "years": 12.0}


def _attrs(cand: Candidate, measure: str, evidence: str) -> Dict:
    attrs: Dict = {"measure": "rate" if cand.unit == "percent" else measure,
                   "value": _clean(cand.value), "unit": cand.unit, "evidence": evidence}
    if cand.high is not None:
        attrs["high"] = _clean(cand.high)
    if cand.unit in _MONTHS:
        attrs["months"] = round(cand.value * _MONTHS[cand.unit], 2)
    return attrs


def find_survival(text: str) -> List[Tuple[int, int, Dict]]:
    """Every SURVIVAL mention of ``text`` as (start, end, attrs)."""
    candidates = find_candidates(text)
    if not candidates:
        return []
    folded = fold(text)
    bounds = _sentences(folded)
    out: List[Tuple[int, int, Dict]] = []
    si = 0
    prev: Optional[Tuple[Candidate, str, int]] = None  # last accepted figure, measure, sentence
    i = 0
    while i < len(candidates):
        cand = candidates[i]
        while si + 1 < len(bounds) and bounds[si + 1][0] <= cand.start:
            si += 1
        sent = bounds[si]
        next_sent = bounds[si + 1] if si + 1 < len(bounds) else (sent[1], sent[1])
        if cand.group >= 0:
            # a shared-unit list: decided by a survival term before its first figure
            members = [c for c in candidates[i:] if c.group == cand.group]
            measure, how = _classify(cand, folded, sent, next_sent)
            if measure not in (None, EXCLUDED) and how in ("cue", "rate_after"):
                measures = _respectively(members, folded, sent) or [measure] * len(members)
                for member, m in zip(members, measures):
                    out.append((member.start, member.end, _attrs(member, m, "shared_unit")))
                prev = (members[-1], measures[-1], si)
                i += len(members)
                continue
            # else only the figure that carries the unit is read on its own
            i += len(members) - 1
            cand = members[-1]
        measure, how = _classify(cand, folded, sent, next_sent)
        i += 1
        if measure == EXCLUDED:
            continue
        if measure is None and prev is not None and prev[2] == si and _chains(prev[0], cand, folded):
            # "a median survival of 23 months ... and an average of 14 months"
            mean = prev[1] == "median_os" and _ctx("mean").search(folded, prev[0].end, cand.start)
            measure, how = ("os" if mean else prev[1]), "list"
        if measure is None:
            continue
        out.append((cand.start, cand.end, _attrs(cand, measure, how)))
        prev = (cand, measure, si)
    return out
