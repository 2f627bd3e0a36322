"""OCR-aware fuzzy lookup of words in a lexicon (shared by the text layer and families).

Tesseract damages words in a few characteristic ways, measured on the shared OCR
corpora and kept as data in ``patterns/ocr_confusions.csv``: ``ri``/``ii``/``ti`` for
``n``, ``in``/``rn``/``ri`` for ``m``, ``i`` for ``t``/``r``/``l``, ``a``/``e`` for ``o``,
``li`` for ``h``, an extra ``i``, accents on vowels (``é``). ``ocr_cost`` is an edit
distance in which each measured confusion costs 0.2-0.7 and any other edit 1.
``FuzzyLexicon.correct`` finds the cheapest known word within a length-dependent
budget by a trie-guided search (confusions applied to the token while the output
stays a prefix of a known word), so a lookup is a few set probes, not a scan.

Precision guards (a repair that changes correct text is worse than none): a known
word is returned as itself, tokens under 4 characters are left alone, a tie between
two readings means no answer, and a token that differs from the best word only by
an English ending (``predictors``/``predictor``) is taken for an inflection.

API::

    lex = FuzzyLexicon(["bevacizumab", "oxaliplatin"])    # domain words
    lex.correct("bevacizurnab")    # -> "bevacizumab"
    lex.correct("Bevacizumab")     # -> "bevacizumab" (known: itself, folded)
    lex.correct("tissue")          # -> None (nothing close enough)
    lex.candidates("bevacizurnab") # -> {"bevacizumab": 0.5}: every reading with its cost
    FuzzyLexicon(drugs, budget=loose_cost, inflections=False)  # drug names: one extra
                                   # arbitrary edit in long words, no inflection guard
    ocr_cost("rieck", "neck")      # -> 0.2; fold("Cancér") -> "cancer"
    code_variants("HMB4S")         # -> ["HMB4S", ..., "HMB45", ...]: letter/digit look-alikes
                                   # in codes (O/0, I/l/1, S/$/5, B/8, G/6, Z/2, Y/V)

``FuzzyLexicon(domain, general=..., frequent=...)``: ``frequent`` words (the, year, five)
are domain words that a short token may reach with 0.15 more budget (``Ftve`` -> five);
``general`` words (plain English) protect a
token that is one of them and are candidates too, but a domain word within 0.2 of the
cheapest reading wins.
Pure Python, no spaCy import.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

_FOLD = str.maketrans({"¢": "c", "ç": "c", "ß": "ss", "ı": "i"})


def fold(word: str) -> str:
    """Lower case without accents: ``Cancér`` -> ``cancer``."""
    word = word.lower().translate(_FOLD)
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def levenshtein(a: str, b: str, limit: int = 99) -> int:
    """Edit distance of ``a`` and ``b``; any value above ``limit`` is returned as ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        best = i
        for j, cb in enumerate(b, 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            cur.append(v)
            if v < best:
                best = v
        if best > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def osa_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance (Levenshtein plus adjacent transpositions)."""
    prev2: List[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=1)
def confusions() -> Dict[str, Tuple[Tuple[str, float], ...]]:
    """Measured OCR confusions, ``{ocr_text: ((true_text, cost), ...)}`` (patterns/ocr_confusions.csv)."""
    from .patterns import load_csv

    table: Dict[str, List[Tuple[str, float]]] = {}
    for row in load_csv("ocr_confusions.csv", required=("ocr", "true", "cost")):
        table.setdefault(row["ocr"], []).append((row["true"], float(row["cost"])))
    return {k: tuple(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _ops_by_len() -> Tuple[Tuple[int, Dict[str, Tuple[Tuple[str, float], ...]]], ...]:
    by_len: Dict[int, Dict[str, Tuple[Tuple[str, float], ...]]] = {}
    for ocr, outs in confusions().items():
        by_len.setdefault(len(ocr), {})[ocr] = outs
    return tuple(sorted(by_len.items()))


def ocr_cost(token: str, word: str, limit: float = 99.0) -> float:
    """Weighted edit cost of reading ``word`` as ``token``: a measured OCR confusion
    (``ri`` for ``n``, ``i`` for ``t``, an extra ``i``) costs 0.2-0.7, any other edit 1.
    Both strings are compared folded; a value above ``limit`` may be returned early."""
    t, w = fold(token), fold(word)
    n, m = len(t), len(w)
    ops_at = [[]]  # ops_at[i]: (ocr length, true text, cost) for confusions ending at t[i-1]
    for i in range(1, n + 1):
        here = []
        for k, table in _ops_by_len():
            if k <= i and t[i - k:i] in table:
                here.extend((k, true, cost) for true, cost in table[t[i - k:i]])
        ops_at.append(here)
    inf = float("inf")
    prev_rows: List[List[float]] = []
    for i in range(n + 1):
        row = [inf] * (m + 1)
        for j in range(m + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            best = inf
            if i and j:
                best = prev_rows[i - 1][j - 1] + (0.0 if t[i - 1] == w[j - 1] else 1.0)
            if i:
                best = min(best, prev_rows[i - 1][j] + 1.0)
            if j:
                best = min(best, row[j - 1] + 1.0)
            for k, true, cost in ops_at[i]:
                lt = len(true)
                if lt <= j and (not lt or w[j - lt:j] == true):
                    src = row if k == 0 else prev_rows[i - k]
                    best = min(best, src[j - lt] + cost)
            row[j] = best
        prev_rows.append(row)
        if min(row) > limit + 1.0:
            return min(row)
    return prev_rows[n][m]


def max_cost(n: int) -> float:
    """The OCR cost a token of ``n`` characters may carry and still be repaired: only
    measured confusions, no arbitrary edit (on clean text those mostly "fix" correct
    British spellings and inflections: ``haemolysis``, ``predictors``)."""
    if n < 4:
        return 0.0
    if n <= 6:  # short words have many near neighbours: only the cheapest confusions
        return 0.55
    return 0.8 if n < 10 else 0.95


def loose_cost(n: int) -> float:
    """A budget that also allows one arbitrary edit in words of 8+ characters, for a
    small domain-only lexicon (drug names) where a near miss is rarely a real word."""
    if n < 4:
        return 0.0
    return 0.8 if n < 8 else 1.25


#: word endings that make one English word into another (a token that differs from
#: a lexicon word only by these is a real inflection, not OCR damage)
_SUFFIXES = frozenset({"", "s", "es", "e", "d", "ed", "al", "a", "ia", "ic", "ics", "ical", "y", "ly",
                       "ive", "ion", "ions", "ing", "er", "ers", "or", "ors", "o", "on", "um", "ii",
                       "ae", "us", "itis", "ism", "ist", "ise", "ize", "ised", "ized", "ous", "ity",
                       "oid"})


def inflection_of(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one stem with two different English endings
    (``predictors``/``predictor``, ``colonoscope``/``colonoscopy``)."""
    p = 0
    for x, y in zip(a, b):
        if x != y:
            break
        p += 1
    if p < 4:
        return False
    for k in range(0, 3):
        if p - k < 4:
            break
        if a[p - k:] in _SUFFIXES and b[p - k:] in _SUFFIXES:
            return True
    return False


class FuzzyLexicon:
    """Known words and an OCR-tolerant ``correct()`` into them (see module doc)."""

    def __init__(self, domain: Iterable[str], general: Iterable[str] = (), min_len: int = 4,
                 budget: Optional[Callable[[int], float]] = None, inflections: bool = True,
                 frequent: Iterable[str] = ()):
        self.min_len = min_len
        self.inflections = inflections
        #: very frequent words, reachable from a short token with a slightly bigger budget
        self.frequent: Set[str] = {fold(w) for w in frequent if w}
        self.budget = budget or max_cost
        self.domain: Set[str] = {fold(w) for w in domain if w} | self.frequent
        self.general: Set[str] = {fold(w) for w in general if w} - self.domain
        self.known = self.domain | self.general
        self._prefixes: Set[str] = set()
        for w in self.known:
            for i in range(1, len(w) + 1):
                self._prefixes.add(w[:i])
        self._cache: Dict[str, Optional[str]] = {}

    def __contains__(self, word: str) -> bool:
        return fold(word) in self.known

    def __len__(self) -> int:
        return len(self.known)

    def correct(self, token: str) -> Optional[str]:
        """The known word ``token`` is (an OCR-damaged form of), folded; None if unsure."""
        key = fold(token)
        if key in self.known:
            return key
        if key in self._cache:
            return self._cache[key]
        result = self._best(key) if len(key) >= self.min_len else None
        self._cache[key] = result
        return result

    lookup = correct

    def candidates(self, token: str, budget: Optional[float] = None) -> Dict[str, float]:
        """Every known word within ``budget`` OCR cost of ``token``, with its cost."""
        key = fold(token)
        return self._search(key, self.budget(len(key)) if budget is None else budget)

    def _search(self, key: str, budget: float) -> Dict[str, float]:
        """Trie-guided search: apply measured confusions (and, where the budget
        allows, one arbitrary edit) to ``key`` while the output stays a prefix of
        a known word."""
        n = len(key)
        ops_at = []
        for i in range(n):
            here = []
            for k, table in _ops_by_len():
                if k and i + k <= n:
                    outs = table.get(key[i:i + k])
                    if outs:
                        here.extend((k, true, cost) for true, cost in outs if cost <= budget)
            ops_at.append(here)
        inserts = tuple((true, cost) for true, cost in confusions().get("", ()) if cost <= budget)
        generic_ok = budget >= 1.0
        prefixes, known = self._prefixes, self.known
        found: Dict[str, float] = {}
        seen: Dict[Tuple[int, str, bool], float] = {}
        stack = [(0, "", 0.0, False)]
        pop, push = stack.pop, stack.append
        while stack:
            i, out, cost, generic = pop()
            state = (i, out, generic)
            prev = seen.get(state)
            if prev is not None and prev <= cost:
                continue
            seen[state] = cost
            if i == n:
                if out in known and cost < found.get(out, 99.0):
                    found[out] = cost
            else:
                o = out + key[i]
                if o in prefixes:
                    push((i + 1, o, cost, generic))
                for k, true, c in ops_at[i]:
                    c2 = cost + c
                    if c2 <= budget:
                        o = out + true
                        if not o or o in prefixes:
                            push((i + k, o, c2, generic))
            if out:  # a letter lost before the first one is too often a different word (emesis)
                for true, c in inserts:
                    c2 = cost + c
                    if c2 <= budget:
                        o = out + true
                        if o in prefixes:
                            push((i, o, c2, generic))
            if generic_ok and not generic and cost + 1.0 <= budget + 1e-9:
                if i < n:
                    push((i + 1, out, cost + 1.0, True))  # drop a character
                for ch in _ALPHABET:
                    o = out + ch
                    if o in prefixes:
                        if i < n and ch != key[i]:
                            push((i + 1, o, cost + 1.0, True))  # read wrongly
                        push((i, o, cost + 1.0, True))  # lost a character
        return found

    def _best(self, key: str) -> Optional[str]:
        budget = self.budget(len(key))
        extra = 0.15 if self.frequent and len(key) <= 6 else 0.0  # Ftve -> five
        found = self._search(key, budget + extra)
        if not found:
            return None
        scored = sorted((round(c, 3), 0 if w in self.domain else 1, w) for w, c in found.items()
                        if not (self.inflections and inflection_of(key, w))
                        and (c <= budget + 1e-9 or w in self.frequent))
        if not scored:
            return None
        # a domain (or frequent) word within 0.2 of the cheapest reading is preferred to
        # a general one: beeti -> been rather than beet, yeai -> year rather than yea
        window = [x for x in scored if x[0] <= scored[0][0] + 0.2]
        pick = [x for x in window if x[1] == 0] or scored
        if len(pick) > 1 and pick[1][0] - pick[0][0] < 0.15:
            return None  # two equally good readings: leave the token alone
        return pick[0][2]


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


#: letter/digit look-alikes inside codes (marker names, TNM, doses), both ways
_CODE_SWAPS = {"O": "0", "0": "O", "o": "0", "I": "1", "l": "1", "1": "I", "i": "1", "|": "1",
               "S": "5", "5": "S", "$": "S", "B": "8", "8": "B", "G": "6", "6": "G", "Z": "2",
               "2": "Z", "Y": "V", "V": "Y"}


def code_variants(token: str, max_changes: int = 2) -> List[str]:
    """Readings of an OCR-damaged code, fewest changes first (the token itself first):
    ``code_variants("HMB4S")`` contains ``HMB45``, ``"MLHI"`` gives ``MLH1``, ``"EBY"``
    gives ``EBV``. A family keeps the first variant its lexicon knows."""
    out = [token]
    seen = {token}
    frontier = [token]
    for _ in range(max_changes):
        nxt = []
        for cur in frontier:
            for i, ch in enumerate(cur):
                swap = _CODE_SWAPS.get(ch)
                if swap and cur[i] == token[i]:
                    v = cur[:i] + swap + cur[i + 1:]
                    if v not in seen:
                        seen.add(v)
                        nxt.append(v)
        out.extend(nxt)
        frontier = nxt
    return out


def match_case(template: str, word: str) -> str:
    """``word`` written in the case pattern of ``template`` (``Tumour`` -> ``Tumor``)."""
    if template[:1].isupper() and (len(template) < 2 or not template[1:].isupper()):
        return word[:1].upper() + word[1:]
    if template.isupper() and len(template) > 1:
        return word.upper()
    return word


def deletes(word: str, depth: int) -> set:
    """``word`` and every string made from it by deleting up to ``depth`` characters
    (the keys of a SymSpell-style deletion index)."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out
