"""DRUG: find drug names and regimen acronyms and normalise them to the INN.

Lexicons are data in ``patterns/``: ``drugs.csv`` (curated oncology core with ATC
codes), ``drugs_drugbank.csv`` (broad generic names with DrugBank ids),
``regimens.csv`` (acronyms and their components), ``drugs_stop.csv`` (never drugs:
class words, diagnostic agents, analytes), ``drugs_fuzzy_stop.csv`` (real words a
misspelling match must not turn into drugs) and ``drugs_rules.jsonl`` (line of
therapy, cycles, therapy context). Matching is a word-level longest-match dict
lookup, then a bounded edit-distance lookup (deletion index, SymSpell-style) for
misspelt or OCR-damaged names, then regimens the text defines itself.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from typing import Dict, List, NamedTuple, Optional, Tuple

from ..fuzzy import deletes, osa_distance
from ..patterns import load_context_rules, load_csv, load_jsonl

#: runs of letters/digits; separators between them decide whether words join
_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u03b1-\u03c9]+")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})
_SHORT = re.compile(r"^[a-z]{1,4}$")
_SENT_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(])|\n\s*\n")
#: words that may precede or follow a drug name and belong to its span
_LEFT_MODIFIERS = {"liposomal", "pegylated", "calcium", "sodium", "potassium", "disodium",
                   "intravenous", "oral"}
_SPAN_LEFT = {"liposomal", "pegylated", "calcium", "sodium", "potassium", "disodium"}
_SALTS = {"hydrochloride", "hcl", "sulfate", "sulphate", "mesylate", "mesilate", "maleate",
          "tartrate", "fumarate", "succinate", "citrate", "acetate", "phosphate", "besylate",
          "besilate", "bromide", "liposome", "liposomes", "calcium", "sodium", "potassium"}
_DIGIT_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
#: a drug code: 3-4 letters, optional hyphen, 2-4 digits (TAS-102, CPT-11, STI571)
_CODE = re.compile(r"^([a-z]{3,4})-?([0-9]{2,4})$")
#: a derived adjective a model may leave on a name: ``XELOX-based``, ``cisplatin-induced``
_DERIVED = re.compile(r"[\s-]+(?:based|containing|induced|related|associated|resistant|refractory|"
                      r"sensitive|naive|naïve|treated)$", re.I)
#: a dose written after a drug (50 mg, 1.5 g/m2, 75mg/m 2, AUC 5): skipped in list gaps
_DOSE = re.compile(r"\(?\b(?:AUC\s*\d+|\d+(?:\.\d+)?\s*(?:mg|g|mcg|µg|ug|IU|U|ml|mL)(?:\s*/\s*(?:m\s*2|m²|kg|d|day))?)\)?")
#: what may stand between the drugs of a list: punctuation and one short word
#: (and, plus, with, or an OCR-damaged "ahd")
_LIST_GAP = re.compile(r"^[\s,()\[\]]*(?:(?:[a-z]{2,4}|\+|/|-|&)[\s,()]*)?$")


class _Entry(NamedTuple):
    name: str
    kind: str  # drug, regimen, stop, stem
    atc: str = ""
    drugbank: str = ""
    components: str = ""
    context: bool = False


def key(text: str) -> str:
    """Lookup key: accents stripped, lower case, one kind of dash, single spaces."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_DASHES))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


@lru_cache(maxsize=1)
def _atc_classes() -> Tuple[Tuple[str, str], ...]:
    rows = load_csv("drugs_atc_classes.csv", required=("atc_prefix", "drug_class"))
    return tuple(sorted(((r["atc_prefix"], r["drug_class"]) for r in rows), key=lambda p: -len(p[0])))


def drug_class(atc: str) -> Optional[str]:
    """The class of a drug from the longest ATC prefix listed in drugs_atc_classes.csv."""
    for prefix, cls in _atc_classes():
        if atc.startswith(prefix):
            return cls
    return None


class _Lexicon(NamedTuple):
    exact: Dict[str, _Entry]        # case-insensitive keys
    upper: Dict[str, _Entry]        # short forms that must be written in capitals
    prefixes: frozenset             # word prefixes of multi-word keys (case-insensitive)
    upper_prefixes: frozenset       # word prefixes of capitals-only keys
    fuzzy_index: Dict[str, Tuple[str, ...]]  # deletion variant -> target keys
    fuzzy_stop: frozenset
    codes: Dict[str, Tuple[str, ...]]  # digits of a drug code (TAS-102) -> its keys
    fuzzy_ends: Tuple[frozenset, frozenset]  # first 3 and last 4 letters of the targets
    by_name: Dict[str, _Entry]      # INN -> its entry (identifiers of regimen components)


def _word_prefixes(keys) -> List[str]:
    """Every proper word prefix of every key: ``5-fu`` gives ``5``; ``g-csf`` gives ``g``."""
    out = []
    for k in keys:
        ends = [m.end() for m in _WORD.finditer(k)]
        out.extend(k[:e] for e in ends[:-1])
    return out


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """All lexicons merged into lookup tables, built once per process. Later
    sources win a shared key: the curated core over the DrugBank long tail,
    regimens over both, and the stop list over everything."""
    exact: Dict[str, _Entry] = {}
    upper: Dict[str, _Entry] = {}

    def add(surface: str, entry: _Entry, force: bool = False) -> None:
        k = key(surface)
        if not k:
            return
        if _SHORT.match(k) and entry.kind != "stop":
            upper.setdefault(surface.upper(), entry)
            return
        if force or k not in exact:
            exact[k] = entry

    for row in load_csv("drugs_drugbank.csv", required=("name", "drugbank", "synonyms")):
        entry = _Entry(row["name"], "drug", drugbank=row["drugbank"])
        for s in [row["name"]] + [s for s in row["synonyms"].split("|") if s]:
            add(s, entry)
    for row in load_csv("drugs.csv", required=("name", "synonyms", "atc", "drugbank", "example")):
        entry = _Entry(row["name"], "drug", atc=row["atc"], drugbank=row["drugbank"])
        for s in [row["name"]] + [s for s in row["synonyms"].split("|") if s]:
            add(s, entry, force=True)
    by_name = {e.name: e for e in exact.values() if e.kind == "drug"}
    for row in load_csv("drugs_abbreviations.csv", required=("abbreviation", "name", "context", "example")):
        base = by_name.get(row["name"], _Entry(row["name"], "drug"))
        upper[row["abbreviation"]] = base._replace(context=row["context"] == "yes")
    for row in load_csv("regimens.csv", required=("name", "aliases", "components", "context", "example")):
        entry = _Entry(row["name"], "regimen", components=row["components"],
                       context=row["context"] == "yes")
        for s in [row["name"]] + [s for s in row["aliases"].split("|") if s]:
            if len(s) <= 4 or entry.context:
                upper[s] = entry          # short acronyms: exactly as written
            else:
                exact[key(s)] = entry
    for row in load_csv("drugs_stop.csv", required=("term", "reason")):
        exact[key(row["term"])] = _Entry(row["term"], "stop")
    prefixes = frozenset(_word_prefixes(exact))
    upper_prefixes = frozenset(_word_prefixes(upper)) | frozenset(upper)
    # fuzzy targets: the INN and hand-written synonyms of the curated core
    index: Dict[str, List[str]] = {}
    codes: Dict[str, List[str]] = {}
    for r in load_csv("drugs.csv", required=("fuzzy",)):
        for s in r["fuzzy"].split("|"):
            k = key(s)
            if len(k) >= 7:
                for d in deletes(k, _max_distance(len(k))):
                    index.setdefault(d, []).append(k)
        for s in r["synonyms"].split("|"):
            m = _CODE.match(key(s))
            if m:
                codes.setdefault(m.group(2), []).append(key(s))
    stop = frozenset(key(r["word"]) for r in load_csv("drugs_fuzzy_stop.csv", required=("word",)))
    return _Lexicon(exact, upper, prefixes, upper_prefixes,
                    {d: tuple(sorted(set(v))) for d, v in index.items()}, stop,
                    {d: tuple(sorted(set(v))) for d, v in codes.items()},
                    (frozenset(t[:3] for v in index.values() for t in v),
                     frozenset(t[-4:] for v in index.values() for t in v)),
                    by_name)


def lexicon_kind(word: str) -> Optional[str]:
    """``drug``, ``regimen`` or ``stop`` when a lexicon lists ``word`` (as a key, any case), else None."""
    entry = _lexicon().exact.get(key(word))
    return entry.kind if entry is not None else None


def drug_keys() -> Tuple[str, ...]:
    """Every key (name, synonym, brand; lower case) of a drug in the lexicons."""
    return tuple(k for k, e in _lexicon().exact.items() if e.kind == "drug")


def _max_distance(n: int) -> int:
    """Edits allowed in a word of ``n`` letters: none under 7, 1 under 9, 2 under 14, then 3."""
    return 0 if n < 7 else 1 if n < 9 else 2 if n < 14 else 3


@lru_cache(maxsize=20000)
def fuzzy_lookup(word: str, slack: int = 0) -> Optional[str]:
    """The lexicon key ``word`` is a misspelling of (edit distance 1 for 7-8 letters,
    2 from 9, 3 from 14, keeping its first three or last four letters), or None; real words
    listed in drugs_fuzzy_stop.csv never match. ``slack`` raises the limit of a word of 7+
    letters for a candidate a statistical model already marked as a medication (the deletion
    index holds each name's deletes up to the normal limit, so the extra edit is reached from
    the word's side only: mostly a letter too many, ``oxaliplatinnn``)."""
    lex = _lexicon()
    k = key(word)
    limit = _max_distance(len(k))
    if limit:
        limit += slack
    if not limit or k in lex.fuzzy_stop or k in lex.exact:
        return None
    # a misspelling keeps its first three or its last four letters (cheap pre-filter)
    if k[:3] not in lex.fuzzy_ends[0] and k[-4:] not in lex.fuzzy_ends[1]:
        return None
    best: Tuple[int, str] = (limit + 1, "")
    for d in deletes(k, limit):
        for target in lex.fuzzy_index.get(d, ()):
            if abs(len(target) - len(k)) > limit or target[0] != k[0] and target[1:3] != k[1:3]:
                continue
            dist = osa_distance(k, target)
            if dist < best[0] or dist == best[0] and target < best[1]:
                best = (dist, target)
    return best[1] or None


@lru_cache(maxsize=20000)
def glued_split(word: str) -> Optional[int]:
    """Where ``word`` splits into two drug names run together (a line-end hyphen
    removed: ``cisplatinpemetrexed``), or None."""
    if len(word) < 12:
        return None
    exact = _lexicon().exact
    k = key(word)
    for i in range(5, len(k) - 4):
        a, b = exact.get(k[:i]), exact.get(k[i:])
        if a is not None and b is not None and a.kind == "drug" and b.kind == "drug":
            return i
    return None


def code_lookup(word: str) -> Optional[str]:
    """The drug code ``word`` is an OCR-damaged copy of: same digits, one letter
    different (``TAC102`` for ``TAS102``), or None."""
    m = _CODE.match(key(word))
    if not m:
        return None
    letters = m.group(1)
    for target in _lexicon().codes.get(m.group(2), ()):
        t = _CODE.match(target)
        if t and len(t.group(1)) == len(letters) and sum(a != b for a, b in zip(t.group(1), letters)) == 1:
            return target
    return None


@lru_cache(maxsize=1)
def _stems() -> Tuple[re.Pattern, Dict[str, str]]:
    rows = load_csv("drugs_stems.csv", required=("stem", "drug_class", "example"))
    classes = {r["stem"]: r["drug_class"] for r in rows}
    alternation = "|".join(sorted(classes, key=len, reverse=True))
    return re.compile(r"^[a-z]{2,}(" + alternation + r")$"), classes


def stem_lookup(word: str) -> Optional[Dict]:
    """A drug no lexicon lists but whose name ends in an INN stem that only drugs
    carry (``-tinib``, ``-mab``, ``-platin``): named as written."""
    k = key(word)
    if len(k) < 7 or k in _lexicon().fuzzy_stop:
        return None
    rx, classes = _stems()
    m = rx.match(k)
    if not m:
        return None
    return {"name": k, "drug_class": classes[m.group(1)], "match": "stem"}


def _attrs(entry: _Entry, match: str = "exact") -> Dict:
    attrs: Dict = {"name": entry.name}
    if entry.kind == "stem":        # a new agent: the class rides in the atc slot
        return {"name": entry.name, "drug_class": entry.atc, "match": match}
    if entry.kind == "regimen":
        attrs["components"] = entry.components
        attrs["drug_class"] = "regimen"
        # identifiers of a regimen: those of its components, in component order
        parts = [_lexicon().by_name.get(c) for c in entry.components.split(";")]
        for field in ("atc", "drugbank"):
            ids = [getattr(p, field) for p in parts if p is not None and getattr(p, field)]
            if ids and len(ids) == len(parts):
                attrs[field] = ";".join(ids)
    else:
        if entry.atc:
            attrs["atc"] = entry.atc
            cls = drug_class(entry.atc)
            if cls:
                attrs["drug_class"] = cls
        if entry.drugbank:
            attrs["drugbank"] = entry.drugbank
        if "drug_class" not in attrs:
            rx, classes = _stems()
            m = rx.match(entry.name)
            if m:
                attrs["drug_class"] = classes[m.group(1)]
    attrs["match"] = match
    return attrs


def normalise_drug(text: str) -> Optional[Dict]:
    """Attributes (name, components, atc, drug_class...) of a candidate drug string
    proposed by a statistical model, or None for class words and non-drugs."""
    lex = _lexicon()
    surface = _DERIVED.sub("", text.strip().strip(".,;:()"))
    if not surface:
        return None
    entry = lex.upper.get(surface) or lex.exact.get(key(surface))
    if entry is None:
        words = key(surface).split(" ")
        # drop salt words and span modifiers: "doxorubicin hydrochloride", "liposomal cytarabine"
        while len(words) > 1 and words[0] in _LEFT_MODIFIERS:
            words = words[1:]
        while len(words) > 1 and words[-1] in _SALTS:
            words = words[:-1]
        entry = lex.exact.get(" ".join(words))
        if entry is None and len(words) == 1:
            hit = fuzzy_lookup(words[0]) or code_lookup(words[0])
            if hit:
                found = lex.exact[hit]
                return None if found.kind == "stop" else _attrs(found, "fuzzy")
            return stem_lookup(words[0])
    if entry is None or entry.kind == "stop":
        return None
    return _attrs(entry)


class _Hit(NamedTuple):
    start: int
    end: int
    entry: _Entry
    match: str


def _tokens(text: str) -> List[Tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _joiner(sep: str) -> Optional[str]:
    """How two words separated by ``sep`` join in a key (None: they don't)."""
    if sep == " " or sep == "-" or sep == "/" or sep == "":
        return sep
    if sep.isspace():
        return " " if sep.count("\n") < 3 else None
    s = sep.strip().translate(_DASHES)
    if s == "-" or s == "/":
        return s
    return None


def _lexicon_hits(text: str, toks: List[Tuple[int, int, str]]) -> List[_Hit]:
    """Longest dictionary match at each word: multi-word keys are walked word by
    word through a prefix set, so a miss costs one set lookup."""
    lex = _lexicon()
    exact, upper, prefixes, uprefixes = lex.exact, lex.upper, lex.prefixes, lex.upper_prefixes
    hits: List[_Hit] = []
    n = len(toks)
    i = 0
    while i < n:
        s0, _, w0 = toks[i]
        low = w0.lower()
        if not low.isascii():
            low = key(low)
        best: Optional[Tuple[int, _Entry]] = None
        entry = exact.get(low)
        if entry is not None:
            best = (i, entry)
        if low in prefixes or (low == "s" and i + 1 < n):
            k = low
            for j2 in range(i + 1, n):
                sep = _joiner(text[toks[j2 - 1][1]:toks[j2][0]])
                if sep is None:
                    break
                k = k + sep + toks[j2][2].lower()
                entry = exact.get(k)
                if entry is None and k.startswith("s-"):
                    entry = exact.get("5" + k[1:])  # OCR: S-FU for 5-FU
                    if entry is not None or "5" + k[1:] in prefixes:
                        k = "5" + k[1:]
                if entry is not None:
                    best = (j2, entry)
                if k not in prefixes:
                    break
        if w0 in uprefixes:
            k = w0
            uentry = upper.get(k)
            ubest = (i, uentry) if uentry is not None else None
            for j2 in range(i + 1, min(n, i + 4)):
                sep = text[toks[j2 - 1][1]:toks[j2][0]]
                if sep != "-" and sep != "/":
                    break
                k = k + sep + toks[j2][2]
                uentry = upper.get(k)
                if uentry is not None:
                    ubest = (j2, uentry)
                if k not in uprefixes:
                    break
            if ubest is not None and (best is None or ubest[0] > best[0]):
                best = ubest
        if best is not None:
            j, entry = best
            if entry.kind != "stop":
                hits.append(_Hit(s0, toks[j][1], entry, "exact"))
            i = j + 1
            continue
        i += 1
    return hits


#: the longest token worth a fuzzy look-up (the longest INN is under 40 letters)
MAX_FUZZY_LEN = 40


def _fuzzy_hits(text: str, toks: List[Tuple[int, int, str]], taken: List[Tuple[int, int]]) -> List[_Hit]:
    lex = _lexicon()
    out = []
    covered = set()
    for s, e in taken:
        covered.update(range(s, e))
    for idx, (s, e, w) in enumerate(toks):
        if s in covered:
            continue
        if 5 <= len(w) <= 8 and w[-1].isdigit() and w[0].isalpha():
            code = code_lookup(w)
            if code:
                out.append(_Hit(s, e, lex.exact[code], "fuzzy"))
            continue
        if len(w) < 7 or len(w) > MAX_FUZZY_LEN or not w.isalpha():
            continue  # no drug name is longer; deletion variants of a long token explode
        if w.isupper() and len(w) < 9:
            continue
        # a hyphenated pair (cis-ptatinum) is tried whole first
        if idx + 1 < len(toks) and text[e:toks[idx + 1][0]] == "-":
            hit = fuzzy_lookup(w + "-" + toks[idx + 1][2])
            if hit:
                out.append(_Hit(s, toks[idx + 1][1], lex.exact[hit], "fuzzy"))
                continue
        split = glued_split(w)
        if split:
            out.append(_Hit(s, s + split, lex.exact[key(w[:split])], "exact"))
            out.append(_Hit(s + split, e, lex.exact[key(w[split:])], "exact"))
            continue
        hit = fuzzy_lookup(w)
        if hit and lex.exact[hit].kind != "stop":
            out.append(_Hit(s, e, lex.exact[hit], "fuzzy"))
        elif not w.isupper():
            attrs = stem_lookup(w)
            if attrs:
                out.append(_Hit(s, e, _Entry(attrs["name"], "stem", atc=attrs["drug_class"]), "stem"))
    return out


def _extend(text: str, hit: _Hit) -> _Hit:
    """Grow a span over salt words after it and formulation words before it."""
    start, end = hit.start, hit.end
    m = re.match(r"[ \t]+([A-Za-z]+)", text[end:end + 20])
    if m and m.group(1).lower() in _SALTS and hit.entry.kind == "drug":
        end += m.end()
    m = re.search(r"([A-Za-z]+)[ \t]+$", text[max(0, start - 20):start])
    if m and m.group(1).lower() in _SPAN_LEFT and hit.entry.kind == "drug":
        start -= len(text[max(0, start - 20):start]) - m.start()
    return hit._replace(start=start, end=end)


@lru_cache(maxsize=1)
def _rules() -> Dict[str, Tuple[Tuple[str, re.Pattern], ...]]:
    out: Dict[str, list] = {}
    for r in load_jsonl("drugs_rules.jsonl", required=("id", "kind", "pattern", "example")):
        out.setdefault(r["kind"], []).append((r["id"], re.compile(r["pattern"])))
    return {k: tuple(v) for k, v in out.items()}


def _therapy_context(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 60):start]
    after = text[end:end + 40]
    if text[end:end + 1] == "-" and text[end + 1:end + 2].isdigit():
        return False
    return (any(rx.search(before) for _, rx in _rules().get("context", ()))
            or any(rx.search(after) for _, rx in _rules().get("context_after", ())))


@lru_cache(maxsize=1)
def _initials() -> Dict[str, frozenset]:
    """INN -> the first letters of every name it goes by (A for Adriamycin, X for Xeloda)."""
    out: Dict[str, set] = {}
    lex = _lexicon()
    for k, e in list(lex.exact.items()) + [(k.lower(), e) for k, e in lex.upper.items()]:
        if e.kind in ("drug", "regimen") and k[:1].isalnum():
            out.setdefault(e.name, set()).add(k[0])
    return {n: frozenset(v) for n, v in out.items()}


def _names_regimen(acro: str, drugs: List[_Hit], text: str) -> bool:
    """Can ``acro`` be the name of a regimen of ``drugs``? Its first letter is the
    initial of one of them (under any of its names) and it is no routine abbreviation
    (IV, CR, NCCN: patterns/drugs_rules.jsonl ``not_regimen``)."""
    if any(rx.match(acro) for _, rx in _rules().get("not_regimen", ())):
        return False
    first = acro[0].lower()
    initials = _initials()
    for h in drugs:
        if text[h.start:h.start + 1].lower() == first or first in initials.get(h.entry.name, ()):
            return True
    return False


def _defined_regimens(text: str, hits: List[_Hit]) -> Tuple[List[_Hit], Dict[str, str]]:
    """Acronyms the text defines from a list of drugs: ``a, b and c (ABC)`` and
    ``ABC (a, b and c)``; returns the new mentions and acronym -> components."""
    defined: Dict[str, str] = {}
    new: List[_Hit] = []
    ordered = sorted(hits)
    starts = [h.start for h in ordered]  # binary search keeps long texts linear
    for m in re.finditer(r"\(\s*([A-Z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*)(\s+(?:regimen|protocol|chemotherapy))?\s*\)", text):
        acro = m.group(1)
        if not (2 <= len(acro) <= 10) or sum(c.isupper() for c in acro) < 2:
            continue
        chain: List[_Hit] = []
        pos = m.start()
        k = bisect.bisect_left(starts, m.start())
        for h in reversed([h for h in ordered[max(0, k - 12):k] if h.end <= m.start()]):
            gap = _DOSE.sub(" ", text[h.end:pos])
            if not _LIST_GAP.match(gap) or len(gap) > 30:
                break
            chain.append(h)
            pos = h.start
        if not chain:
            continue
        names = set()
        for h in chain:
            names.update(h.entry.components.split(";") if h.entry.kind == "regimen" else [h.entry.name])
        if len(names) >= 2 and _names_regimen(acro, chain, text):
            comps = ";".join(sorted(names))
            defined[acro] = comps
            new.append(_Hit(m.start(1), m.end(1), _Entry(acro.upper(), "regimen", components=comps), "defined"))
        elif len(chain) == 1 and chain[0].end == pos and text[chain[0].end:m.start()].strip() == "" \
                and acro[0].lower() == text[chain[0].start].lower() and chain[0].entry.kind == "drug":
            # "doxorubicin (DOX)": the abbreviation is a mention of its own
            new.append(_Hit(m.start(1), m.end(1), chain[0].entry, "defined"))
            defined.setdefault("=" + acro, chain[0].entry.name)
    # ACRONYM (a, b and c)
    for m in re.finditer(r"\b([A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\s*\(([^()]{3,200})\)", text):
        acro = m.group(1)
        if not (2 <= len(acro) <= 10) or sum(c.isupper() for c in acro) < 2 or acro in defined:
            continue
        lo, hi = bisect.bisect_left(starts, m.start(2)), bisect.bisect_left(starts, m.end(2))
        inner = [h for h in ordered[lo:hi] if h.end <= m.end(2)]
        if len(inner) < 2 or not _names_regimen(acro, inner, text):
            continue
        gaps = [text[m.start(2):inner[0].start]] + [text[a.end:b.start] for a, b in zip(inner, inner[1:])] \
            + [text[inner[-1].end:m.end(2)]]
        if all(_LIST_GAP.match(_DOSE.sub(" ", g)) for g in gaps):
            defined[acro] = ";".join(sorted({h.entry.name for h in inner}))
    return new, defined


@lru_cache(maxsize=1)
def _analyte_rules() -> Tuple[Tuple[Optional[frozenset], re.Pattern, bool], ...]:
    out = []
    for r in load_jsonl("drugs_rules.jsonl", required=("id", "kind", "pattern", "example")):
        if r["kind"] in ("analyte_before", "analyte_after"):
            out.append((frozenset(r.get("names", ())), re.compile(r["pattern"]), r["kind"] == "analyte_after"))
        elif r["kind"] in ("diagnostic_before", "diagnostic_after"):   # any drug
            out.append((None, re.compile(r["pattern"]), r["kind"] == "diagnostic_after"))
    return tuple(out)


def _as_analyte(text: str, hit: _Hit) -> bool:
    """A hormone or body substance the text measures (``serum insulin``, ``insulin
    levels``), or an agent used for a scan or test (``octreotide scan``,
    ``68Ga-DOTATATE``): not a drug given."""
    for names, rx, after in _analyte_rules():
        if names is None or hit.entry.name in names:
            window = text[hit.end:hit.end + 40] if after else text[max(0, hit.start - 20):hit.start]
            if rx.search(window):
                return True
    return False


def _in_citation(text: str, hit: _Hit) -> bool:
    """Is the hit inside a reference-list entry (authors before, year;vol:pages after)?
    Reference lists are not annotated, even where no References heading was found."""
    rules = _rules()
    after = text[hit.end:hit.end + 260]
    if not any(rx.search(after) for _, rx in rules.get("citation_after", ())):
        return False
    before = text[max(0, hit.start - 250):hit.start]
    return any(rx.search(before) for _, rx in rules.get("citation_before", ()))


def _next_to_drug(text: str, hit: _Hit, hits: List[_Hit]) -> bool:
    """Is ``hit`` listed with another drug (``5-FU/LV``, ``PTX + DDP``, ``EPI and CTX``)?"""
    for other in hits:
        if other is hit:
            continue
        gap = text[other.end:hit.start] if other.end <= hit.start else text[hit.end:other.start]
        gap = _DOSE.sub(" ", gap)
        if other.entry.context:     # two everyday abbreviations vouch for each other only as PTX + CBP
            if gap.strip() in ("+", "/"):
                return True
        elif len(gap) <= 8 and _LIST_GAP.match(gap):
            return True
    return False


def _sentences(text: str) -> List[Tuple[int, int]]:
    bounds = [0] + [m.end() for m in _SENT_END.finditer(text)] + [len(text)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _number(raw: str) -> Optional[int]:
    """A count or a line number as written: ``4``, ``four``, ``third``, ``2nd``, ``front``."""
    raw = raw.lower()
    if raw.isdigit():
        return int(raw)
    m = _DIGIT_ORDINAL.match(raw)
    if m:
        return int(m.group(1))
    ordinals = load_context_rules("drugs_context.jsonl")["line-ordinals"].row["words"]
    if raw in ordinals:
        return ordinals[raw]
    from .survival import parse_number

    value = parse_number(raw)
    return int(value) if value is not None and value == int(value) else None


def _treatment_facts(text: str, hits: List[_Hit]) -> Dict[int, Dict]:
    """line of therapy and number of cycles for each hit (by start), where the
    sentence around it says them."""
    rules = _rules()
    out: Dict[int, Dict] = {}
    sents = _sentences(text)
    si = 0
    for h in sorted(hits):
        while si < len(sents) - 1 and sents[si][1] <= h.start:
            si += 1
        s0, s1 = sents[si]
        sent = text[s0:s1]
        facts: Dict = {}
        for kind in ("line", "cycles"):
            best = None
            for _, rx in rules.get(kind, ()):
                for m in rx.finditer(sent):
                    a, b = s0 + m.start(), s0 + m.end()
                    if b <= h.start:
                        gap = text[b:h.start]
                        if len(gap) > 160 or re.search(r"\b(?:then|followed by|later|subsequently)\b|;", gap):
                            continue
                        dist = h.start - b
                    elif a >= h.end:
                        gap = text[h.end:a]
                        if len(gap) > 60 or not re.search(r"\b(?:for|as|in|at)\b", gap):
                            continue
                        dist = a - h.end + 40
                    else:
                        continue
                    if best is None or dist < best[0]:
                        best = (dist, m.group("n"))
            if best is not None:
                value = _number(best[1])
                if value:
                    facts[kind] = value
        if facts:
            out[h.start] = facts
    return out


def find_drugs(text: str) -> List[Tuple[int, int, Dict]]:
    """Every DRUG mention of ``text`` as (start, end, attrs), without overlaps."""
    toks = _tokens(text)
    hits = _lexicon_hits(text, toks)
    hits += _fuzzy_hits(text, toks, [(h.start, h.end) for h in hits])
    hits = [_extend(text, h) for h in hits]
    new, defined = _defined_regimens(text, hits)
    taken = {(h.start, h.end) for h in hits}
    hits += [h for h in new if (h.start, h.end) not in taken]
    kept: List[_Hit] = []
    for h in hits:
        if h.entry.kind == "regimen":
            surface = text[h.start:h.end]
            if surface in defined:
                h = h._replace(entry=h.entry._replace(components=defined[surface]))
            elif h.entry.context and h.match != "defined" and not _therapy_context(text, h.start, h.end):
                continue
        elif h.entry.context and not (_therapy_context(text, h.start, h.end) or _next_to_drug(text, h, hits)):
            continue
        kept.append(h)
    # later bare uses of an acronym the text defined
    if defined:
        names = [a for a in defined if not a.startswith("=")]
        if names:
            rx = re.compile(r"(?<![A-Za-z0-9-])(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
                            + r")(?![A-Za-z0-9]|-[0-9])")
            spans = {(h.start, h.end) for h in kept}
            for m in rx.finditer(text):
                if (m.start(), m.end()) not in spans and not any(h.start < m.end() and m.start() < h.end for h in kept):
                    kept.append(_Hit(m.start(), m.end(), _Entry(m.group().upper(), "regimen",
                                                                components=defined[m.group()]), "defined"))
    kept = [h for h in _flatten(kept) if not _in_citation(text, h) and not _as_analyte(text, h)]
    facts = _treatment_facts(text, kept)
    out = []
    for h in kept:
        attrs = _attrs(h.entry, h.match)
        attrs.update(facts.get(h.start, {}))
        start = h.start
        if h.entry.kind == "regimen" and h.match == "exact":
            start, attrs["name"] = _regimen_as_written(text, h)
        out.append((start, h.end, attrs))
    return out


def _regimen_as_written(text: str, h: "_Hit") -> Tuple[int, str]:
    """SCHEMA.md: a regimen's name is its acronym as written, in upper case (``CAPOX``
    stays CAPOX, not its twin XELOX); the span is the acronym alone (no ``modified``);
    an ``m`` prefix (``mFOLFOX6``'s m) is not part of the acronym's name."""
    start = h.start
    written = text[start:h.end]
    lead = re.match(r"(?i)modified\s+", written)
    if lead:
        start += lead.end()
        written = written[lead.end():]
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", written):
        return start, h.entry.name
    if written[:1] == "m" and written[1:2].isupper():
        written = written[1:]
    return start, written.upper()


def _flatten(hits: List[_Hit]) -> List[_Hit]:
    """Keep the longest of overlapping hits (first in text order on ties)."""
    out: List[_Hit] = []
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if out and h.start < out[-1].end:
            if h.end - h.start > out[-1].end - out[-1].start:
                out[-1] = h
            continue
        out.append(h)
    return out
