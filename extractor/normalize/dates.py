"""DATE: calendar points and relative time phrases, with ISO 8601 values.

The shapes are regex rules in ``patterns/dates.jsonl`` (parts such as ``{QTY}``
are shared between rules); the words they may contain (numbers, units,
relation words, anchor events) are the lexicon ``patterns/dates_words.csv``;
the context rules and closed word lists around them (durations, page furniture,
anchor phrase words, event-class cues) are ``patterns/dates_context.jsonl``, and
the survival phrases that make a time phrase SURVIVAL are asked of
``normalize.survival`` (one definition, ``patterns/survival_context.jsonl``).
Word slots are wide on purpose (``[A-Za-z]{3,9}`` for a month) and each
candidate word is then checked against the lexicon, exactly first and then
OCR-tolerantly (``Aiugust``, ``moinths``, ``Thiiteen``), so OCR damage does not
need a rule of its own.

Values: ``python-dateutil`` parses the calendar points (always with an explicit
``default=`` so a missing day or month never becomes today's) and
``dateutil.relativedelta`` moves an anchor by a relative amount. A value is as
precise as the text: ``2 years later`` gives a year, ``22 months after`` a
month. A relative phrase gets a value only when its anchor is certain: a dated
event of the same kind named by the phrase (``22 months after the surgery``),
or for ``later``/``after N months`` the last date the narrative gave before it in
the same paragraph (an unresolved relative phrase in between stops the chain).
``ago`` (relative to an undated present) gets none. Dates of the literature
(given ``section_at``) never anchor the patient's relative dates.

Day-first policy: ``12/03/2015`` is read day first (``2015-03-12``) unless the
numbers only make sense month first (``03/25/2015``); see ``DAYFIRST``.
"""
from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from datetime import datetime
from functools import lru_cache
from typing import Callable, Dict, List, Optional, Tuple

from dateutil import parser as du_parser
from dateutil.relativedelta import relativedelta

from . import keep_longest
from ..patterns import load_csv, load_jsonl
from ..sentences import sentence_bounds
from ..patterns import load_context_rules as context_rules
from .survival import survival_phrase

#: read ``a/b/yyyy`` day first when both readings are possible
DAYFIRST = True
#: sections whose dates are not reported (SCHEMA.md: reference lists, page furniture)
SKIP_SECTIONS = frozenset({"references", "boilerplate"})
#: sections about the literature: their dates never anchor the patient's relative dates
LITERATURE_SECTIONS = frozenset({"introduction", "discussion"})

Found = Tuple[int, int, Dict]
_PRECISION = {"year": 1, "month": 2, "day": 3}
_UNIT_PRECISION = {"years": "year", "months": "month", "weeks": "day", "days": "day"}
_PARSERINFO = du_parser.parserinfo()


# ---------------------------------------------------------------- lexicon

def _ctx(rule_id: str) -> re.Pattern:
    """A compiled context rule of ``patterns/dates_context.jsonl``."""
    return context_rules("dates_context.jsonl")[rule_id].rx


@lru_cache(maxsize=None)
def _word_set(rule_id: str) -> frozenset:
    """A closed word list of ``patterns/dates_context.jsonl``."""
    return frozenset(context_rules("dates_context.jsonl")[rule_id].words)


@lru_cache(maxsize=1)
def _ocr_swaps() -> Tuple[Tuple[str, str], ...]:
    """Single-character OCR confusions tried before fuzzy matching (`Foui` -> `Four`), in order."""
    return tuple(tuple(w.split(">", 1)) for w in context_rules("dates_context.jsonl")["ocr-swaps"].words)


@lru_cache(maxsize=1)
def _words() -> Dict[str, Dict[str, str]]:
    out: Dict[str, Dict[str, str]] = {}
    for row in load_csv("dates_words.csv", required=("word", "kind", "value")):
        out.setdefault(row["kind"], {})[row["word"]] = row["value"]
    return out


@lru_cache(maxsize=1)
def _months() -> Dict[str, int]:
    """Month names and abbreviations (dateutil's own table), lower case -> number."""
    return {name.lower(): i + 1 for i, names in enumerate(_PARSERINFO.MONTHS) for name in names}


def _fold(word: str) -> str:
    """Lower case without accents or stray quotes (`Oné` -> `one`)."""
    word = unicodedata.normalize("NFKD", word)
    return "".join(c for c in word if not unicodedata.combining(c)).lower().strip("'\u2019.")


@lru_cache(maxsize=4096)
def _lookup(word: str, kind: str, cutoff: float) -> Optional[str]:
    """The lexicon key of ``word`` for ``kind``: exact, then one OCR swap, then fuzzy."""
    table = _months() if kind == "month" else {k.lower(): k for k in _words().get(kind, {})}
    w = _fold(word)
    if w in table:
        return w
    if len(w) < 4 or cutoff >= 1:
        return None
    for bad, good in _ocr_swaps():
        i = w.find(bad)
        while i >= 0:
            cand = w[:i] + good + w[i + len(bad):]
            if cand in table:
                return cand
            i = w.find(bad, i + 1)
    # fuzzy: only against entries of about the same length sharing the first or last letters
    pool = [k for k in table if len(k) >= 4 and abs(len(k) - len(w)) <= 2 and (k[0] == w[0] or k[-2:] == w[-2:])]
    close = difflib.get_close_matches(w, pool, n=1, cutoff=cutoff) if pool else None
    return close[0] if close else None


def month_number(word: str, fuzzy: bool = True) -> Optional[int]:
    """``October``/``Oct``/``Aiugust`` (OCR) -> 10/10/8; None for other words."""
    key = _lookup(word, "month", 0.8 if fuzzy else 1.0)
    return _months()[key] if key else None


def number_value(word: str) -> Optional[float]:
    """``22`` -> 22, ``Six`` -> 6, ``twenty-eight`` -> 28, ``half a`` -> 0.5, ``Thiiteen`` -> 13."""
    w = _fold(word.strip())
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    if re.fullmatch(r"half[\s']+an?", w):
        return 0.5
    numbers = _words().get("number", {})
    parts = w.split("-")
    if len(parts) == 2:
        tens, ones = (number_value(p) for p in parts)
        if tens and ones and tens >= 20 and tens % 10 == 0 and ones < 10:
            return tens + ones
        return None
    key = _lookup(w, "number", 0.8)
    return float(numbers[key]) if key else None


def unit_of(word: str) -> Optional[str]:
    """``months``/``moinths``/``yr`` -> ``months``/``months``/``years``."""
    w = _fold(word)
    if len(w) <= 3:
        key = _lookup(w, "unit", 1.0)
    else:
        key = _lookup(w, "unit", 0.75)
    return _words()["unit"][key] if key else None


def relation_of(word: str) -> Optional[str]:
    """The relation word's key (``later``, ``prior to``, ``aftet`` -> ``after``), or None."""
    w = re.sub(r"\s+", " ", _fold(word))
    if w.startswith("post") and w not in {k.lower() for k in _words()["relation"]}:
        return None
    return _lookup(w, "relation", 0.8)


def direction_of(relation: str) -> str:
    return _words()["relation"].get(relation, "after")


# ---------------------------------------------------------------- rules

@lru_cache(maxsize=1)
def _parts() -> Dict[str, str]:
    parts: Dict[str, str] = {}
    for row in load_jsonl("dates.jsonl", required=("pattern", "example")):
        if "part" in row:
            parts[row["part"]] = _expand(row["pattern"], parts)
    return parts


def _expand(pattern: str, parts: Dict[str, str]) -> str:
    months = sorted(_months(), key=len, reverse=True)
    full = [n for names in _PARSERINFO.MONTHS for n in names if len(n) > 3 or n == "May"]
    numbers = sorted(_words().get("number", {}), key=len, reverse=True)
    repl = dict(parts, NUMBERWORDS="|".join(map(re.escape, numbers)), MONTHNAMES="|".join(m.capitalize() for m in months),
                MONTHNAMES_FULL="|".join(sorted(set(full), key=len, reverse=True)))
    return re.sub(r"\{([A-Z_]+)\}", lambda m: repl.get(m.group(1), m.group(0)), pattern)


@lru_cache(maxsize=1)
def rules() -> Tuple[Tuple[dict, re.Pattern], ...]:
    """The compiled rules of ``patterns/dates.jsonl`` (parts expanded)."""
    parts = _parts()
    out = []
    for row in load_jsonl("dates.jsonl", required=("pattern", "example")):
        if "part" in row:
            continue
        out.append((row, re.compile(_expand(row["pattern"], parts))))
    return tuple(out)


# ---------------------------------------------------------------- values

def iso(dt: datetime, precision: str) -> str:
    """``datetime`` -> ``2015``, ``2015-10`` or ``2015-10-05``."""
    return dt.strftime({"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}[precision])


def parse_iso(value: str) -> Tuple[datetime, str]:
    """``2015-10`` -> (datetime(2015, 10, 1), ``month``), with dateutil and an explicit default."""
    precision = ("year", "month", "day")[value.count("-")]
    return du_parser.isoparse(value) if precision == "day" else \
        du_parser.parse(value, default=datetime(2000, 1, 1)), precision


def _fix_year(raw: str) -> Optional[int]:
    """``2O15`` / ``202i`` (OCR) -> 2015 / 2021; None unless 1900-2099."""
    digits = raw.translate(str.maketrans("OoIil|", "001111"))
    return int(digits) if digits.isdigit() and 1900 <= int(digits) <= 2099 else None


def calendar_value(year: Optional[int], month: Optional[int] = None, day: Optional[int] = None) -> Optional[str]:
    """ISO value of a (partial) calendar point; dateutil validates the day (no 31 April)."""
    if year is None:
        return None
    text = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")
    try:
        dt = du_parser.isoparse(text) if (month and day) else du_parser.parse(text, default=datetime(year, 1, 1))
    except (ValueError, OverflowError):
        return None
    return iso(dt, "day" if (month and day) else "month" if month else "year")


def numeric_day_month(a: int, b: int, dayfirst: bool = DAYFIRST) -> Optional[Tuple[int, int]]:
    """(day, month) of ``a/b``: the only valid reading, else the policy's."""
    if a > 12 and b <= 12:
        return a, b
    if b > 12 and a <= 12:
        return b, a
    if a > 12 and b > 12:
        return None
    return (a, b) if dayfirst else (b, a)


def shift(value: str, amount: float, unit: str, direction: str) -> Optional[str]:
    """Move ISO ``value`` by ``amount`` ``unit`` (relativedelta), as precise as the unit allows.

    None when the anchor is coarser than the unit (``2015`` + 6 months) or the amount
    is not whole in its unit."""
    if unit in ("years", "months") and amount != int(amount):
        amount, unit = amount * (12 if unit == "years" else 1), "months"
        if amount != int(amount):
            return None
    if amount != int(amount):
        return None
    want = _UNIT_PRECISION[unit]
    dt, have = parse_iso(value)
    if _PRECISION[have] < _PRECISION[want]:
        return None
    sign = -1 if direction in ("before", "ago") else 1
    delta = relativedelta(**{unit: sign * int(amount)})
    try:
        return iso(dt + delta, want)
    except (ValueError, OverflowError):  # outside the calendar (an absurd amount): no value
        return None


# ---------------------------------------------------------------- anchors

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019-]*|[^\sA-Za-z0-9]")


def anchor_class(word: str) -> Optional[str]:
    """The event class of an anchor head word (``surgery``, ``diagnosis`` ...), OCR-tolerant."""
    if _ctx("event-suffix").search(word.lower()):
        return "surgery"
    anchors = _words().get("anchor", {})
    if word in anchors:
        return anchors[word]
    key = _lookup(word, "anchor", 0.8) if len(word) >= 5 else _lookup(word, "anchor", 1.0)
    if key:
        for k, v in anchors.items():
            if k.lower() == key:
                return v
    return None


def find_anchor(text: str, pos: int, limit: int = 90) -> Optional[Tuple[int, str, str]]:
    """The anchor phrase starting at ``pos`` (``the surgery``, ``initial diagnosis``,
    ``the diagnosis of LM``): (end, phrase, class), or None when no event word heads it."""
    window = text[pos:pos + limit]
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(window)]
    ocr_the, acronym = _ctx("ocr-the"), _ctx("acronym")
    determiners, stop, gerunds = _word_set("determiners"), _word_set("anchor-stop"), _word_set("gerunds")
    lows = ["the" if ocr_the.fullmatch(t[2].lower()) else t[2].lower() for t in toks]
    head = None
    words = 0
    i = 0
    while i < len(toks):
        s, e, w = toks[i]
        lw = lows[i]
        if not w[0].isalnum():
            break
        if "\n\n" in window[toks[i - 1][1]:s] if i else False:
            break
        if lw in determiners and (i == 0 or (head is None and lows[i - 1] in determiners)):
            i += 1
            continue
        if lw in stop or (lw in determiners and i):
            break
        if lw in gerunds:
            i += 1
            continue
        cls = anchor_class(w) or ("other" if acronym.fullmatch(w) else None)
        if cls:
            head = (i, cls)
        elif i and lows[i - 1] in gerunds:
            head = (i, "treatment")
        words += 1
        if words >= 5:
            break
        i += 1
    if head is None:
        return None
    end_i = head[0]
    # an `of` complement: `the diagnosis of LM`, `completion of therapy`
    j = end_i + 1
    if j < len(toks) and toks[j][2] == "of":
        k = j + 1
        if k < len(toks) and toks[k][2].lower() in ("the", "his", "her", "their"):
            k += 1
        taken = 0
        while k < len(toks) and taken < 3 and toks[k][2][0].isalnum() and toks[k][2].lower() not in stop:
            end_i = k
            k += 1
            taken += 1
    end = pos + toks[end_i][1]
    return end, text[pos:end], head[1]


@lru_cache(maxsize=1)
def _class_cues() -> Dict[str, re.Pattern]:
    """Event class -> a regex finding a sentence that dates an event of that class."""
    return {r.row["class"]: r.rx for r in context_rules("dates_context.jsonl").values() if "class" in r.row}


#: how far back (characters) a relative date looks for its anchor event
ANCHOR_WINDOW = 20_000


class _Context:
    """The text and its sentence bounds, for resolving relatives."""

    def __init__(self, text: str):
        self.text = text
        self.bounds = sentence_bounds(text)
        self._starts = [b[0] for b in self.bounds]
        self._texts: Dict[int, str] = {}

    def sentence(self, offset: int) -> int:
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def sentence_text(self, offset: int) -> str:
        """The sentence holding ``offset`` (cached: anchors look sentences up again and again)."""
        i = self.sentence(offset)
        if i not in self._texts:
            b0, b1 = self.bounds[i]
            self._texts[i] = self.text[b0:b1]
        return self._texts[i]


def _resolve_relative(found: List[Found], idx: int, ctx: _Context) -> Optional[Tuple[str, str]]:
    """(value, anchor value) of the relative mention ``found[idx]`` when its anchor is certain."""
    start, end, attrs = found[idx]
    amount, unit, direction = attrs.get("amount"), attrs.get("unit"), attrs.get("direction")
    if amount is None or unit is None or attrs.get("_approx") or direction == "ago":
        return None
    sent = ctx.sentence(start)
    # anchors are looked for in the preceding ANCHOR_WINDOW characters only, which
    # keeps long inputs linear (a report names its anchor within a few pages)
    first = idx
    while first > 0 and found[first - 1][0] >= start - ANCHOR_WINDOW:
        first -= 1
    dated = [(s, e, a) for s, e, a in found[first:idx]
             if a.get("value") and a.get("type") == "date" and not a.get("_literature")]
    anchor_cls = attrs.get("_anchor_class")
    anchor_text = attrs.get("anchor") or ""
    anchor_value = None
    if anchor_cls:
        head = anchor_text.split()[-1].lower() if anchor_text else ""
        cue = _class_cues().get(anchor_cls)
        candidates = []
        for s, e, a in dated:
            sentence_text = ctx.sentence_text(s)
            has_head = bool(head) and head in sentence_text.lower()
            if has_head or (cue and cue.search(sentence_text)):
                candidates.append((s, a["value"], has_head))
        if candidates:
            if _ctx("first-event").search(anchor_text):
                anchor_value = candidates[0][1]
            else:
                exact = [c for c in candidates if c[2]]
                anchor_value = (exact or candidates)[-1][1]
    elif attrs.get("_relword") in _word_set("narrative-relations"):
        # the same sentence names the first event of a kind: `during the initial surgery ... 2 years later`
        b0 = ctx.bounds[sent][0]
        before = ctx.text[b0:start]
        cls = None
        for m in _ctx("first-of-kind").finditer(before):
            cls = next((c for c in map(anchor_class, m.group(1).split()) if c), None) or cls
        if cls:
            cue = _class_cues()[cls]
            for s, e, a in dated:
                if cue.search(ctx.sentence_text(s)):
                    anchor_value = a["value"]
                    break
        if anchor_value is None and idx:
            # the time point the narrative last gave: the nearest earlier DATE of the
            # same paragraph, if it has a value (case reports tell events in order)
            s, e, a = found[idx - 1]
            if not _ctx("paragraph-break").search(ctx.text[e:start]):
                anchor_value = a.get("value")
    if not anchor_value:
        return None
    value = shift(anchor_value, amount, unit, direction)
    return (value, anchor_value) if value else None


# ---------------------------------------------------------------- matching

def _combine(big: Optional[float], big_unit: Optional[str], small: Optional[float], small_unit: str) -> Optional[float]:
    """`1 year and 3 months` -> 15 (months); `2 weeks and 3 days` -> 17 (days); else None."""
    per = {("years", "months"): 12, ("weeks", "days"): 7}.get((big_unit, small_unit))
    if big is None or small is None or per is None:
        return None
    return big * per + small


def _qty_amount(qty: str) -> Tuple[Optional[float], bool, bool]:
    """(amount, is_valid, approximate) for the QTY slot; a range is valid but has no amount."""
    q = re.sub(r"\s+", " ", qty.strip())
    low = q.lower()
    if re.fullmatch(r"half[\s']+an?", low):
        return 0.5, True, False
    if low in _word_set("vague-quantities"):
        return None, True, True
    m = re.fullmatch(r"(.+?)\s+and\s+a\s+half", q)
    if m:
        base = number_value(m.group(1))
        return (base + 0.5 if base is not None else None), base is not None, False
    m = re.fullmatch(r"(\S+)\s*(?:-|to|or)\s*(\S+)", q)
    if m and not re.fullmatch(r"[A-Za-z]+-[A-Za-z]+", q):
        ok = number_value(m.group(1)) is not None and number_value(m.group(2)) is not None
        return None, ok, True
    value = number_value(q)
    return value, value is not None, False


def _calendar(m: re.Match, rule: dict) -> Optional[Dict]:
    g = m.groupdict()
    month = day = None
    if g.get("a"):
        dm = numeric_day_month(int(g["a"]), int(g["b"]))
        if dm is None:
            return None
        day, month = dm
    else:
        if g.get("month"):
            month = int(g["month"]) if g["month"].isdigit() else month_number(
                g["month"], fuzzy=rule["id"] not in ("month-day", "bare-month"))
            if month is None:
                return None
        if g.get("day"):
            day = int(g["day"])
    year = _fix_year(g["year"]) if g.get("year") else None
    if g.get("year") and year is None:
        return None
    if rule["id"] == "year-month" and g.get("sep") == "-" and len(g["month"]) == 2 and \
            int(g["month"]) == (year + 1) % 100:
        return None  # `2010-11`: a span of years
    attrs = {"type": "date"}
    if year is None:
        attrs["_month"], attrs["_day"] = month, day
        return attrs
    value = calendar_value(year, month, day)
    if value is None:
        return None
    attrs["value"] = value
    return attrs


#: characters before / after a year that a calendar rule may need to see
_YEAR_WINDOW = (48, 12)


def _year_windows(text: str) -> List[Tuple[int, int]]:
    """Merged spans of text around year-like numbers: the only places where rules
    marked ``needs_year`` can match (so they do not scan the whole text)."""
    out: List[Tuple[int, int]] = []
    for m in _ctx("yearish").finditer(text):
        a, b = max(0, m.start() - _YEAR_WINDOW[0]), min(len(text), m.end() + _YEAR_WINDOW[1])
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _match_all(text: str) -> List[Found]:
    words = _words()
    year_stops = set(words.get("year_stop", {}))
    found: List[Found] = []
    windows = None
    for rule, rx in rules():
        kind = rule.get("kind")
        if rule.get("needs_year"):
            if windows is None:
                windows = _year_windows(text)
            spans = windows
        else:
            spans = [(0, len(text))]
        for lo, hi in spans:
            pos = lo
            while True:
                m = rx.search(text, pos, hi)
                if not m:
                    break
                item = _interpret(text, m, rule, kind, year_stops)
                if item is None:
                    pos = m.start() + 1
                    continue
                found.extend(item)
                pos = m.end()
    return found


def _interpret(text: str, m: re.Match, rule: dict, kind: str, year_stops) -> Optional[List[Found]]:
    g = m.groupdict()
    start, end = (m.start("span"), m.end("span")) if g.get("span") else (m.start(), m.end())
    if kind == "calendar":
        if rule["id"] == "bare-year":
            nxt = re.match(r"\s+([A-Za-z]+)", text[end:end + 20])
            if nxt and nxt.group(1) in year_stops:
                return None
            if _ctx("open-paren-before").search(text[max(0, start - 3):start]) \
                    or _ctx("citation-paren").search(text[max(0, start - 60):start]):
                return None
        if rule["id"] == "bare-month" and g["month"] == "May":
            nxt = re.match(r"\s+([a-z]+)", text[end:end + 20])
            if nxt and nxt.group(1) not in _word_set("may-next"):
                return None  # `in May be explained`: the verb
        attrs = _calendar(m, rule)
        if attrs is None:
            return None
        return [(start, end, attrs)]
    if kind == "year_range":
        return [(m.start("year"), m.end("year"), {"type": "date", "value": g["year"]}),
                (m.start("year2"), m.end("year2"), {"type": "date", "value": g["year2"]})]
    if kind in ("relative_post", "relative_pre"):
        unit = unit_of(g["unit"])
        if unit is None:
            return None
        rel = relation_of(g["rel"])
        post_anchor = None
        if rel is None:
            # `3 weeks postdischarge`, `2 days post-injection`: post- and an event word
            m_post = _ctx("post-event").fullmatch(g["rel"])
            if not m_post or not anchor_class(m_post.group(1)):
                return None
            rel, post_anchor = "post-op", m_post.group(1)
        amount, ok, approx = _qty_amount(g["qty"])
        if not ok:
            return None
        if kind == "relative_pre" and rel != "after":
            return None
        head = text[max(0, start - 60):start]
        if rel != "ago" and _ctx("duration-before").search(head):
            return None
        sent_head = head[head.rfind(".") + 1:] if "." in head else head
        if survival_phrase("before").search(sent_head) or _ctx("age-after").match(text[end:end + 10]):
            return None
        if kind == "relative_pre" and not g.get("tail") and _ctx("symptom-duration-after").match(text[end:end + 8]):
            return None  # `admitted after 2 months with palpitations`: how long symptoms lasted
        if kind == "relative_post":
            compound = _ctx("compound-before").search(text[max(0, start - 30):start])
            if compound:
                # `1 year and 3 months later`: one amount, in the smaller unit
                big, big_unit = number_value(compound.group("q")), unit_of(compound.group("u"))
                start -= len(compound.group())
                amount = _combine(big, big_unit, amount, unit)
                unit = "months" if big_unit == "years" else "days"
                if amount is None:
                    approx = True
        attrs = {"type": "relative", "amount": amount, "unit": unit, "direction": direction_of(rel),
                 "_relword": rel}
        if approx or g.get("approx"):
            attrs["_approx"] = True
        if kind == "relative_post":
            if rel in ("after", "before", "following", "prior to", "from", "since", "into"):
                anchor = find_anchor(text, _skip_space(text, end))
                if anchor:
                    end = anchor[0]
                    attrs["anchor"] = re.sub(r"\s+", " ", anchor[1])
                    attrs["_anchor_class"] = anchor[2]
                elif rel in ("from", "since", "into"):
                    return None
            elif rel.startswith("post"):
                attrs["anchor"] = post_anchor or ("surgery" if "oper" in rel or rel.startswith("post-op")
                                                  or rel == "postop" else rel.split("-", 1)[-1])
                attrs["_anchor_class"] = anchor_class(attrs["anchor"]) or "surgery"
        if survival_phrase("after").match(text[end:end + 60]):
            return None
        return [(start, end, attrs)]
    if kind == "ordinal":
        start = m.start() if g.get("rel") else m.start("ord")
        unit = unit_of(g["unit"])
        numeric = g["ord"][0].isdigit()
        if unit is None or (not numeric and not g.get("post") and not g.get("rel2") and not g.get("hosp")):
            return None
        attrs = {"type": "relative", "unit": unit,
                 "amount": float(re.match(r"\d+", g["ord"]).group()) if numeric else None,
                 "direction": "after", "_approx": True}
        if g.get("post") or (g.get("rel2") or "").startswith("post"):
            attrs["anchor"] = "surgery"
        elif g.get("hosp"):
            attrs.update(anchor="admission", _anchor_class="admission")
            if g.get("rel2"):
                end = m.end("unit")  # `the 3rd hospital day of ...`: the day itself
        elif g.get("rel2"):
            anchor = find_anchor(text, _skip_space(text, end))
            if anchor and not (g["rel2"] == "of" and _ctx("dosing-anchor").search(anchor[1])):
                end = anchor[0]
                attrs["anchor"] = re.sub(r"\s+", " ", anchor[1])
            elif g["rel2"] == "of":
                # `the 68th day of life`: no event to count from; a word ordinal is no date then
                if not numeric:
                    return None
                end = m.end("unit")
        return [(start, end, attrs)]
    if kind == "dayn":
        if g.get("hosp"):
            return [(start, end, {"type": "relative", "amount": float(g["hqty"]), "unit": "days",
                                  "direction": "after", "anchor": "admission", "_anchor_class": "admission",
                                  "_approx": True})]
        anchor = find_anchor(text, _skip_space(text, end))
        if anchor is None or _ctx("dosing-anchor").search(anchor[1]):
            return None  # `day 1 of each cycle`: a dosing day, not a point of the history
        return [(start, anchor[0], {"type": "relative", "amount": float(g["qty"]), "unit": "days",
                                    "direction": "after", "anchor": re.sub(r"\s+", " ", anchor[1]),
                                    "_anchor_class": anchor[2], "_approx": True})]
    if kind == "pod":
        unit = (g.get("unit") or "day").lower() + "s"
        return [(start, end, {"type": "relative", "amount": number_value(g.get("qty") or g["ordqty"]), "unit": unit,
                              "direction": "after", "anchor": "surgery", "_anchor_class": "surgery"})]
    if kind == "next":
        attrs = {"type": "relative", "amount": 1.0, "unit": g["unit"] + "s" if g["unit"] != "morning" else "days",
                 "direction": "after", "_relword": "later", "_approx": g["unit"] == "morning"}
        if g.get("rel"):
            # `the day after surgery`: counts from the anchor event only
            anchor = find_anchor(text, _skip_space(text, end))
            if anchor is None:
                return None
            end = anchor[0]
            attrs.update(direction=direction_of(g["rel"]), anchor=re.sub(r"\s+", " ", anchor[1]),
                         _anchor_class=anchor[2], _relword=g["rel"])
        return [(start, end, attrs)]
    return None


def _skip_space(text: str, pos: int) -> int:
    """The first non-space offset at or after ``pos``."""
    return pos + len(_SPACE.match(text, pos).group())


_SPACE = re.compile(r"\s*")


def _page_furniture(text: str, start: int, end: int) -> bool:
    """A date of the page (publication, citation) rather than of the case."""
    if _ctx("boilerplate-before").search(text[max(0, start - 40):start]):
        return True
    return bool(_ctx("citation-near").search(text[max(0, start - 40):end + 60]))


def find_dates(text: str, section_at: Optional[Callable[[int], str]] = None) -> List[Found]:
    """Every DATE mention of ``text`` as (start, end, attrs), without overlaps.

    Calendar points without a year take the last year written before them (a
    month earlier in the year than that date's month rolls over to the next year);
    relative phrases are resolved where their anchor is certain.

    ``section_at(offset)`` (optional) names the section of an offset: dates of the
    reference list and page boilerplate are dropped before anything is resolved,
    and dates of the literature (introduction, discussion) are never the anchor of
    `N months after the surgery`."""
    found = [f for f in keep_longest(_match_all(text))
             if f[2].get("type") != "date" or not _page_furniture(text, f[0], f[1])]
    if section_at is not None:
        kept = []
        for s, e, a in found:
            name = section_at(s)
            if name in SKIP_SECTIONS:
                continue
            if name in LITERATURE_SECTIONS:
                a = dict(a, _literature=True)
            kept.append((s, e, a))
        found = kept
    if not found:
        return []
    # months and days without a year: the narrative's current year
    last: Optional[Tuple[int, int]] = None  # (year, month)
    filled: List[Found] = []
    for i, (s, e, a) in enumerate(found):
        a = dict(a)
        if a.get("type") == "date":
            if "_month" in a:
                month, day = a.pop("_month"), a.pop("_day")
                nxt = found[i + 1] if i + 1 < len(found) else None
                if nxt and nxt[2].get("value") and month and \
                        _ctx("range-connector").fullmatch(text[e:nxt[0]]):
                    # `from January to July 2013`: the year written after the range
                    a["value"] = calendar_value(parse_iso(nxt[2]["value"])[0].year, month, day)
                elif last and month:
                    year = last[0] + (1 if last[1] and month < last[1] else 0)
                    a["value"] = calendar_value(year, month, day)
                    last = (year, month)
            elif a.get("value"):
                dt, prec = parse_iso(a["value"])
                last = (dt.year, dt.month if prec != "year" else 0)
        filled.append((s, e, a))
    ctx = _Context(text)
    out: List[Found] = []
    for i, (s, e, a) in enumerate(filled):
        if a.get("type") == "relative":
            resolved = _resolve_relative(filled, i, ctx)
            if resolved:
                a["value"], a["anchor_value"] = resolved
                filled[i] = (s, e, a)
        out.append((s, e, {k: v for k, v in a.items() if not k.startswith("_") and v is not None}))
    return out
