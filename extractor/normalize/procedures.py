"""PROCEDURE: find surgical, interventional, radiation, endoscopic, imaging and biopsy
procedures and give each a SCHEMA.md ``category`` and a canonical ``name``.

A noun-phrase grammar instead of a list of whole phrases: every word is looked up
once (lexicons ``patterns/procedures_terms.csv`` and ``procedures_modifiers.csv``,
then suffix rules such as ``-ectomy``/``-scopy``/``-graphy``, then an OCR-tolerant
fuzzy lookup) and mapped to one grammar symbol; the symbols form a string on which
one compiled regex (fragments in ``patterns/procedures_grammar.jsonl``) finds the
phrases: modifiers + head(s) + post words + object (``resection of liver
metastases``). Two words joined by a hyphen are one word when the first is a word
prefix (``trans-sphenoidal``, ``video-assisted``; ``procedures_modifiers.csv`` kind ``prefix``)
or the two make a lexicon word (``chemo-radiotherapy``). An abbreviation in parentheses right
after a procedure (``pelvic exenteration (PE)``) is a mention too, and so are its later bare
uses; a lexicon abbreviation the text defines as something else (``long-acting release (LAR)``)
is dropped in that text.
Pure Python (no spaCy import).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Dict, List, NamedTuple, Optional, Tuple

from ..fuzzy import deletes, levenshtein
from ..patterns import load_context_rules, load_csv, load_jsonl

CATEGORIES = ("surgery", "radiotherapy", "ablation", "imaging", "endoscopy", "biopsy", "other")

#: modifier kind -> grammar symbol
_MOD_SYMBOL = {"institution": "X", "approach": "M", "extent": "M", "side": "M", "imaging": "M", "tracer": "M",
               "anatomy": "A", "vessel": "A", "lesion": "L", "weak": "W", "scopic": "E",
               "det": "D", "prep": "O", "conj": "&", "guided": "G"}
#: term kind -> grammar symbol (a head gets the lower-case letter of its category)
_TERM_SYMBOL = {"target": "T", "class": "C", "post": "P", "none": "U"}
#: category -> head symbol: adjacent heads of one category are one procedure (PET-CT),
#: of two categories two (``pelvic exenteration colonoscopy``)
_HEAD_SYMBOL = {"surgery": "s", "radiotherapy": "r", "ablation": "a", "imaging": "i",
                "endoscopy": "e", "biopsy": "b", "other": "o"}

# suffix rules for words missing from the lexicon: (regex on the lower-cased word, category)
_SUFFIXES = (
    (re.compile(r"[a-z]{3,}(?:ectom(?:y|ies)|otom(?:y|ies)|ostom(?:y|ies)|plast(?:y|ies)|pex(?:y|ies)"
                r"|rrhaph(?:y|ies))$"), "surgery"),
    (re.compile(r"[a-z]{3,}scop(?:y|ies)$"), "endoscopy"),
    (re.compile(r"[a-z]{3,}graph(?:y|ies)$"), "imaging"),
    (re.compile(r"[a-z]{3,}(?:centes[ie]s|trips(?:y|ies))$"), "other"),
    (re.compile(r"[a-z]{3,}odes[ie]s$"), "surgery"),
)
# OCR-damaged suffixes (thyroidectotny, hysterectomiy): one edit away from the suffix
_FUZZY_SUFFIXES = (("ectomy", "surgery"),)

#: endings of adjectives and verb forms: ``radiographic`` is not an OCR-damaged ``radiography``
_DERIVED = ("ic", "ical", "ically", "ed", "ing", "ist", "ists", "ive", "scope", "scopes")
#: endings that make another real form of a word (fuzzy lookup must not undo them)
_INFLECTIONS = frozenset({"s", "es", "l", "al", "ly", "ally", "ic", "ics", "d", "ed", "e", "a", "ae", "r", "ar",
                          "o", "y", "c", "n", "er", "ers"})
_TOKEN = re.compile(r"[^\W_]+|\S")
_ABBR_DEF = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z/-]{1,10}?)\s*[);,]")


@lru_cache(maxsize=None)
def _words(rule_id: str) -> frozenset:
    """A word list of ``patterns/procedures_context.jsonl``."""
    return frozenset(load_context_rules("procedures_context.jsonl")[rule_id].words)


class Term(NamedTuple):
    symbol: str
    category: str
    name: str
    not_before: frozenset
    kind: str = "head"


def _fold(word: str) -> str:
    """Lower case without accents (OCR turns ``e`` into ``é``)."""
    word = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in word if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _lexicon():
    """(abbreviations, single words, phrases by first word, vocabulary for fuzzy lookup)."""
    abbrs: Dict[str, Term] = {}
    words: Dict[str, Term] = {}
    phrases: Dict[str, List[Tuple[Tuple[str, ...], Term]]] = {}
    for row in load_csv("procedures_terms.csv", required=("term", "kind", "category", "name", "not_before")):
        kind, cat = row["kind"], row["category"]
        symbol = _HEAD_SYMBOL[cat] if kind in ("head", "abbr") else _TERM_SYMBOL[kind]
        stop = frozenset(w for w in row["not_before"].split("|") if w)
        term = Term(symbol, cat, row["name"], stop, kind)
        if kind == "abbr" or (kind in ("target", "class") and row["term"] != row["term"].lower()):
            abbrs[row["term"]] = term  # case-sensitive: ``US`` (needs a modifier), not ``us``
            continue
        toks = tuple(row["term"].lower().split())
        if len(toks) == 1:
            words[toks[0]] = term
        else:
            phrases.setdefault(toks[0], []).append((toks, term))
    for row in load_csv("procedures_modifiers.csv", required=("word", "kind", "category")):
        if row["kind"] == "prefix":
            continue  # read by _prefixes()
        words.setdefault(row["word"].lower(), Term(_MOD_SYMBOL[row["kind"]], row["category"], row["word"].lower(),
                                                    frozenset(), row["kind"]))
    for lst in phrases.values():
        lst.sort(key=lambda p: -len(p[0]))
    vocab = set(words)
    for lst in phrases.values():
        for toks, _ in lst:
            vocab.update(toks)
    return abbrs, words, phrases, frozenset(w for w in vocab if len(w) >= 5)


@lru_cache(maxsize=1)
def _prefixes() -> Tuple[Tuple[str, str], ...]:
    """Word prefixes (``trans``, ``intra``, ``video``) with the kind a prefixed modifier takes
    (``approach`` for ``trans-``; empty: the kind of the word it is put before; ``timing`` for
    ``post-``: ``post-ablation`` is a time, not an ablation), longest first."""
    rows = [(r["word"].lower(), r["category"]) for r in load_csv("procedures_modifiers.csv",
                                                                  required=("word", "kind", "category"))
            if r["kind"] == "prefix"]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


#: modifier kinds a prefixed word inherits (``transperineal``, ``intraabdominal``, ``subsegmental``)
_PREFIXABLE = frozenset({"anatomy", "vessel", "approach", "extent"})
#: modifier kinds that stay a word of their own after a timing prefix (``pre-pelvic exenteration``)
_MODIFIER_KINDS = frozenset({"anatomy", "vessel", "approach", "extent", "side", "lesion", "imaging", "tracer",
                             "scopic"})


def _prefixed(low: str) -> Optional[Term]:
    """The modifier a prefix + a known anatomy or approach word makes (``transperineal`` ->
    an approach, ``intraabdominal`` -> an organ word), else None."""
    words = _lexicon()[1]
    for prefix, kind in _prefixes():
        if kind != "timing" and low.startswith(prefix) and len(low) - len(prefix) >= 4:
            base = words.get(low[len(prefix):])
            if base is not None and base.kind in _PREFIXABLE:
                kind = kind if kind in _MOD_SYMBOL else base.kind
                return Term(_MOD_SYMBOL[kind], "", low, frozenset(), kind)
    return None


@lru_cache(maxsize=1)
def _not_fuzzy() -> frozenset:
    """Real words near a lexicon word, never read as OCR damage (``patterns/procedures_not_fuzzy.csv``)."""
    return frozenset(r["word"].lower() for r in load_csv("procedures_not_fuzzy.csv", required=("word",)))


@lru_cache(maxsize=1)
def _deletion_index() -> Dict[str, Tuple[str, ...]]:
    """Every vocabulary word under each of its one- and two-character deletions (SymSpell)."""
    index: Dict[str, set] = {}
    for word in _lexicon()[3]:
        for variant in deletes(word, 2 if len(word) >= 9 else 1):
            index.setdefault(variant, set()).add(word)
    return {k: tuple(sorted(v)) for k, v in index.items()}


@lru_cache(maxsize=50000)
def fuzzy_word(word: str) -> Optional[str]:
    """The lexicon word an OCR-damaged ``word`` stands for (``exeitteration`` ->
    ``exenteration``): one edit for words of 6-9 letters, two from 10 letters on."""
    if len(word) < 6 or len(word) > 40 or not word.isalpha() or word in _not_fuzzy():
        return None
    derived = next((x for x in _DERIVED if word.endswith(x)), None)
    limit = 2 if len(word) >= 10 else 1
    index = _deletion_index()
    best: Optional[Tuple[int, str]] = None
    for variant in deletes(word, limit):
        for cand in index.get(variant, ()):
            if abs(len(cand) - len(word)) > limit or (derived and not cand.endswith(derived)):
                continue
            if cand.endswith(word) or word.endswith(cand):
                continue  # remission/emission, mental/omental: a real word, not OCR damage
            longer, shorter = (cand, word) if len(cand) > len(word) else (word, cand)
            if longer.startswith(shorter) and longer[len(shorter):] in _INFLECTIONS:
                continue  # mucosa/mucosal, bilaterally/bilateral: another form of the word
            d = levenshtein(word, cand, limit)
            if d == 2 and (len(cand) == len(word) or cand[0] != word[0]):
                continue  # real words two edits apart (distention/dissection, inspiration/aspiration)
            if d <= limit and (best is None or (d, cand) < best):
                best = (d, cand)
    return best[1] if best else None


@lru_cache(maxsize=50000)
def _word_term(raw: str) -> Tuple[Optional[Term], str]:
    """The term of one word token and its normal form (for phrase lookup)."""
    abbrs, words, phrases, _ = _lexicon()
    if raw in abbrs:
        return abbrs[raw], raw
    if "-" in raw:
        return _compound_term(raw)
    low = _fold(raw)
    if low in words:
        return words[low], low
    if low in phrases:
        return None, low
    if raw.isupper() and len(raw) > 1:
        return None, low
    if low.isalpha():
        derived = _prefixed(low)
        if derived is not None:
            return derived, low
    for rx, cat in _SUFFIXES:
        if rx.match(low):
            return Term(_HEAD_SYMBOL[cat], cat, low, frozenset()), low
    if low in _lexicon()[3]:
        return None, low  # a word of a multi-word term (delivery in cesarean delivery)
    fixed = fuzzy_word(low)
    if fixed is not None:
        if fixed in words:
            return words[fixed], fixed
        return None, fixed
    if len(low) >= 8 and low.isalpha():
        for suffix, cat in _FUZZY_SUFFIXES:
            for k in (len(suffix) - 1, len(suffix), len(suffix) + 1):
                if levenshtein(low[-k:], suffix, 1) <= 1 and low[-k:][:2] == suffix[:2]:
                    return Term(_HEAD_SYMBOL[cat], cat, low[:-k] + suffix, frozenset()), low
    return None, low


def _compound_term(raw: str) -> Tuple[Optional[Term], str]:
    """A hyphen-joined word (``trans-sphenoidal``, ``re-excision``): the word the two halves
    make, else a prefixed modifier, else the second half when it names a procedure."""
    first, second = raw.split("-", 1)
    term, norm = _word_term(first + second)
    if term is not None:
        return term, norm
    base, base_norm = _word_term(second)
    if dict(_prefixes()).get(_fold(first)) == "timing":
        return None, norm  # post-ablation, pre-biopsy: a time, not the procedure itself
    if base is not None and (base.symbol.islower() or base.symbol in "TC"):
        return base, base_norm
    return None, norm


@lru_cache(maxsize=1)
def _grammar() -> re.Pattern:
    """The phrase regex over the symbol string, assembled from the grammar fragments."""
    parts = {r["id"]: r["pattern"] for r in load_jsonl("procedures_grammar.jsonl",
                                                       required=("id", "pattern", "example"))}
    return re.compile(f"(?P<pre>{parts['pre']})?(?P<head>{parts['head']})(?P<post>{parts['post']})"
                      f"(?P<anat>{parts['anat']})?(?P<comp>{parts['comp']})?")


class _Tok(NamedTuple):
    start: int
    end: int
    symbol: str
    term: Optional[Term]


_QUOTES = "'`\u2018\u2019"
_SKIPPED = frozenset("-'\"`\u2018\u2019\u201c\u201d")
_PUNCT = frozenset(",/().")
_DASHES = frozenset("\u2010\u2011\u2013")
_HYPHENS = frozenset("-\u2010\u2011\u2013")


@lru_cache(maxsize=50000)
def _word_info(raw: str) -> Tuple[Optional[Term], str, str]:
    """(term, normal form, default symbol) of one word token."""
    term, norm = _word_term(raw)
    if term is not None:
        return term, norm, term.symbol
    word = raw.replace("-", "")
    return None, norm, "U" if word.isalpha() and word.islower() else "X"


def _tokens(text: str) -> List[_Tok]:
    """Word and punctuation tokens with their grammar symbols (hyphens and quotes
    are skipped so ``PET-CT`` and OCR noise like ``'exenteration`` stay adjacent)."""
    abbrs, _, phrases, _ = _lexicon()
    raw: List[Tuple[int, int, str]] = []
    append = raw.append
    size = len(text)
    for m in _TOKEN.finditer(text):
        tok = m.group()
        s, e = m.span()
        if len(tok) > 1 or tok.isalnum():
            if s and text[s - 1] in _QUOTES:
                if tok == "s":
                    continue  # possessive: Whipple's procedure
                if raw and raw[-1][1] == s - 1 and raw[-1][2] + tok in abbrs:
                    raw[-1] = (raw[-1][0], e, raw[-1][2] + tok)  # OCR quote inside an abbreviation: C'T
                    continue
            append((s, e, tok))
        elif tok in _SKIPPED:
            continue  # hyphens and quotes (OCR puts stray ones inside phrases)
        elif tok in _DASHES and 0 < s and e < size and text[s - 1].isalnum() and text[e].isalnum():
            continue  # an en dash or Unicode hyphen inside a compound: tomography–guided
        elif tok == "." and e < size and text[e].islower():
            continue  # OCR glued two words with a dot
        elif tok == "/" and raw and raw[-1][2] in _words("hybrid-imaging"):
            continue  # PET/CT is one hybrid examination; CT/MRI stays two
        else:
            append((s, e, tok if tok in _PUNCT else "."))
    raw = _join_hyphenated(text, raw)
    infos = [None if t in _PUNCT else _word_info(t) for _, _, t in raw]
    out: List[_Tok] = []
    i, n = 0, len(raw)
    while i < n:
        s, e, t = raw[i]
        info = infos[i]
        if info is None:
            out.append(_Tok(s, e, "." if t in "()" else t, None))
            i += 1
            continue
        term, norm, symbol = info
        candidates = phrases.get(norm)
        if candidates:
            k = _phrase_length(candidates, infos, i, n)
            if k:
                pterm = candidates[k[1]][1]
                for j in range(k[0]):
                    out.append(_Tok(raw[i + j][0], raw[i + j][1], pterm.symbol, pterm))
                i += k[0]
                continue
        if term is not None and i + 1 < n:
            nxt = infos[i + 1]
            if term.not_before and nxt is not None and nxt[1] in term.not_before:
                term = None
            elif t in abbrs and _abbreviation_blocked(text, raw, infos, i, e):
                term = None
            if term is None:
                symbol = "U" if t.isalpha() and t.islower() else "X"
        out.append(_Tok(s, e, symbol, term))
        i += 1
    return _rewrite(text, out)


def _join_hyphenated(text: str, raw: List[Tuple[int, int, str]]) -> List[Tuple[int, int, str]]:
    """``trans-sphenoidal``, ``video-assisted``, ``chemo-radiotherapy``: two words joined by a
    hyphen are one word when the prefix is a known word prefix or the two make a lexicon word."""
    out: List[Tuple[int, int, str]] = []
    for item in raw:
        if out:
            s0, e0, t0 = out[-1]
            s1, e1, t1 = item
            if (s1 == e0 + 1 and text[e0] in _HYPHENS and t0.isalpha() and t1.isalpha()
                    and _joins(t0, t1)):
                out[-1] = (s0, e1, f"{t0}-{t1}")
                continue
        out.append(item)
    return out


@lru_cache(maxsize=20000)
def _joins(first: str, second: str) -> bool:
    """Whether ``first-second`` is read as one word (see ``_join_hyphenated``)."""
    if first.isupper() and len(first) > 1 or second.isupper() and len(second) > 1:
        return False  # PET-CT, CT-guided: abbreviations keep their own reading
    low = _fold(first)
    kind = dict(_prefixes()).get(low)
    if kind == "timing":  # post-ablation, pre-operative: one (timing) word; pre-pelvic exenteration: two
        term = _word_term(second)[0]
        return term is None or term.kind not in _MODIFIER_KINDS
    if kind is not None:
        return True
    return _fold(first + second) in _lexicon()[1]


def _phrase_length(candidates, infos, i: int, n: int) -> Optional[Tuple[int, int]]:
    """(token count, candidate index) of the longest multi-word term starting at token ``i``."""
    for c, (toks, pterm) in enumerate(candidates):
        k = len(toks)
        if i + k > n:
            continue
        if all(infos[i + j] is not None and infos[i + j][1] == toks[j] for j in range(1, k)):
            if i + k < n and infos[i + k] is not None and infos[i + k][1] in pterm.not_before:
                continue
            return k, c
    return None


def _abbreviation_blocked(text: str, raw, infos, i: int, end: int) -> bool:
    """``RT-PCR``/``CT-1``: part of another compound; ``Maier RT,``: author initials."""
    nxt = raw[i + 1][2]
    if text[end:end + 1] == "-" and infos[i + 1] is not None and infos[i + 1][0] is None and nxt[:1].isalnum():
        return True
    if len(raw[i][2]) == 2 and i > 0 and nxt in ",." and infos[i - 1] is not None and infos[i - 1][0] is None:
        prev = raw[i - 1][2]
        return prev.istitle() and prev.isalpha()
    return False


def _rewrite(text: str, toks: List[_Tok]) -> List[_Tok]:
    """Context rules: ``CT-guided`` is a modifier; ``endoscopic examination`` is an endoscopy,
    ``ultrasonographic examination`` an ultrasonography; ``contrast scan``, ``chest film`` and
    ``perfusion imaging`` are imaging studies when no imaging head comes before them."""
    for i in range(len(toks) - 1):
        a, b = toks[i], toks[i + 1]
        if b.symbol == "G" and (a.symbol.islower() or a.symbol == "T" and a.term.category == "imaging"):
            k = i
            while k >= 0 and toks[k].term is a.term:
                toks[k] = toks[k]._replace(symbol="M")  # every word of computed tomography-guided
                k -= 1
        elif a.symbol == "E" and b.symbol == "P" and a.term is not None:
            cat = a.term.category or "endoscopy"
            name = a.term.name[:-2] + "y" if a.term.name.endswith("ic") else cat
            toks[i + 1] = b._replace(symbol=_HEAD_SYMBOL[cat], term=Term(_HEAD_SYMBOL[cat], cat, name, frozenset()))
        elif b.symbol == "P" and a.term is not None and a.symbol in "MA":
            word = text[b.start:b.end].lower()
            imaging_mod = a.symbol == "M" and a.term.kind in ("imaging", "tracer")
            if not (word in _words("scan-words") and (imaging_mod or a.symbol == "A")
                    or word in _words("image-words") and a.term.kind == "tracer"):
                continue
            j = i
            while j > 0 and toks[j - 1].symbol in "MAW&,":
                j -= 1
            if j > 0 and toks[j - 1].symbol.islower():
                continue  # CT enhanced scan, CT chest scan: the post words of that head
            toks[i + 1] = b._replace(symbol="i", term=Term("i", "imaging", "imaging", frozenset()))
    return [t._replace(symbol="M") if t.symbol == "G" else t for t in toks]


def _head_attrs(head: List[_Tok]) -> Dict:
    """Category and canonical name from the head tokens (the last real head decides)."""
    real = [t.term for t in head if t.symbol.islower() and t.term is not None]
    terms = real or [t.term for t in head if t.term is not None]
    last = terms[-1]
    names: List[str] = []
    for term in terms:
        if term.name and term.name not in names:
            names.append(term.name)
    if last.category == "imaging" and len(names) > 1:
        name = "/".join(names)
    else:
        name = last.name
    return {"category": last.category or "other", "name": name}


def _valid(pre: str, head: str, comp: str) -> bool:
    """Heads (lower-case symbols) stand alone; T needs a modifier or an object; C a specific modifier."""
    if any(ch.islower() for ch in head):
        return True
    if "T" in head:
        return bool(pre) or bool(comp)
    return any(s in pre for s in "MAE")


def _coordination_cut(pre: str) -> int:
    """Offset into ``pre`` where the phrase really starts: a conjunction joins words of
    one kind (``plain and enhanced``, ``chest and abdomen``); ``rectal cancer and right``
    is two phrases, so the mention starts after the ``and``."""
    cut = 0
    for i, ch in enumerate(pre):
        if ch in "&/" and 0 < i < len(pre) - 1:
            before = pre[i - 1] if pre[i - 1] != "," else pre[i - 2]
            after = pre[i + 1] if pre[i + 1] != "," else pre[i + 2]
            if before != after:
                cut = i + 1 if pre[i + 1] != "," else i + 2
    return cut


def _names_institution(toks: List[_Tok], first: int, end: int) -> bool:
    """``Department of Thoracic Surgery``, ``the endoscopy unit``, ``thoracic surgery department``
    name a department, not an operation."""
    if end < len(toks) and toks[end].term is not None and toks[end].term.kind == "institution":
        return True
    if first < 2 or toks[first - 1].symbol != "O":
        return False
    term = toks[first - 2].term
    return term is not None and term.kind == "institution"


def _on_vessel(toks: List[_Tok], m: re.Match) -> bool:
    """The organ right before the head or at the end of its object is a blood vessel
    (``aortic dissection``, ``dissection of the vertebral artery``; not ``artery lymph node dissection``)."""
    last = toks[m.end("comp") - 1] if m.group("comp") else None
    before = toks[m.start("head") - 1] if m.start("head") > m.start() else None
    return any(t is not None and t.term is not None and t.term.kind == "vessel" for t in (before, last))


def _modifier_attrs(pre: List[_Tok]) -> Dict:
    """Extra columns from the modifiers: laterality and approach."""
    out: Dict = {}
    for tok in pre:
        term = tok.term
        if term is None:
            continue
        if term.kind == "side" and "laterality" not in out and term.name in _words("laterality"):
            out["laterality"] = term.name
        elif term.kind in ("approach", "scopic") and "approach" not in out and (
                term.name in _words("approach-attribute") or term.name.startswith("trans")):
            out["approach"] = term.name
    return out


def find_procedures(text: str) -> List[Tuple[int, int, Dict]]:
    """Every PROCEDURE mention of ``text`` as (start, end, attrs), without overlaps."""
    toks = _tokens(text)
    symbols = "".join(t.symbol for t in toks)
    grammar = _grammar()
    found: List[Tuple[int, int, Dict]] = []
    pos = 0
    while True:
        m = grammar.search(symbols, pos)
        if m is None:
            break
        pre, head, comp = m.group("pre") or "", m.group("head"), m.group("comp") or ""
        if not _valid(pre, head, comp):
            pos = m.start() + 1
            continue
        first = m.start() + _coordination_cut(pre)
        if _names_institution(toks, first, m.end("post")):
            pos = m.end()
            continue
        attrs = _head_attrs(toks[m.start("head"):m.end("head")])
        if attrs["name"] in _words("vessel-diseases") and _on_vessel(toks, m):
            pos = m.end()
            continue
        attrs.update(_modifier_attrs(toks[first:m.start("head")]))
        last = m.end()
        if m.group("anat") and attrs["category"] != "imaging":
            last = m.start("anat")  # organs after a non-imaging head are not part of it
        found.append((toks[first].start, toks[last - 1].end, attrs))
        pos = last
    return _abbreviations(text, found)


_PAREN_ABBR = re.compile(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)")
_WORD = re.compile(r"[^\W\d_]+")


def _redefined(text: str, found: List[Tuple[int, int, Dict]]) -> frozenset:
    """Lexicon abbreviations the text defines as something else: ``long-acting release (LAR)``,
    ``reverse transcription (RT)``; their bare uses in this text are not procedures."""
    abbrs = _lexicon()[0]
    ends = {e for _, e, _ in found}
    out = set()
    for m in _PAREN_ABBR.finditer(text):
        abbr = m.group(1)
        if abbr not in abbrs or abbr in out:
            continue
        k = m.start()
        while k > 0 and text[k - 1].isspace():
            k -= 1
        if k in ends:
            continue  # low anterior resection (LAR): the procedure itself
        letters = [ch.lower() for ch in abbr if ch.isupper()]
        words = _WORD.findall(text[max(0, k - 25 * len(letters)):k])[-len(letters):]
        if len(words) == len(letters) and all(w[0].lower() == c for w, c in zip(words, letters)):
            out.add(abbr)
    return frozenset(out)


def _abbreviations(text: str, found: List[Tuple[int, int, Dict]]) -> List[Tuple[int, int, Dict]]:
    """``pelvic exenteration (PE)``: the abbreviation is a mention, and so is each later bare ``PE``."""
    if "(" in text:
        redefined = _redefined(text, found)
        if redefined:
            abbrs = _lexicon()[0]
            found = [f for f in found if not any(f[2]["name"] == abbrs[a].name and re.search(
                rf"(?<![A-Za-z]){a}(?![A-Za-z])", text[f[0]:f[1]]) for a in redefined)]
    defined: Dict[str, Dict] = {}
    extra: List[Tuple[int, int, Dict]] = []
    for start, end, attrs in found:
        m = _ABBR_DEF.match(text, end)
        if not m:
            continue
        abbr = m.group(1)
        initials = {w[0].lower() for w in re.findall(r"[^\W\d_]+", text[start:end])}
        if sum(ch.isupper() for ch in abbr) < 2 or abbr[0].lower() not in initials:
            continue  # an abbreviation starts with the initial of one of the phrase's words
        extra.append((m.start(1), m.end(1), dict(attrs)))
        abbrs = _lexicon()[0]
        if abbr not in abbrs:
            defined.setdefault(abbr, attrs)
    if defined:
        rx = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(re.escape(a) for a in sorted(defined, key=len, reverse=True))
                        + r")(?![A-Za-z0-9])")
        for m in rx.finditer(text):
            extra.append((m.start(), m.end(), dict(defined[m.group()])))
    return _flatten(found + extra)


def _flatten(found: List[Tuple[int, int, Dict]]) -> List[Tuple[int, int, Dict]]:
    """Keep the first (then longest) of overlapping matches, in text order."""
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: List[Tuple[int, int, Dict]] = []
    for item in found:
        if out and item[0] < out[-1][1]:
            continue
        out.append(item)
    return out


def normalise_procedure(text: str) -> Optional[Dict]:
    """Attributes (category, name) of a candidate string from a statistical model when
    it names a procedure, else None (class words, lab tests, systemic therapy)."""
    text = text.strip()
    if not text:
        return None
    found = find_procedures(text)
    if not found:
        return None
    start, end, attrs = max(found, key=lambda f: f[1] - f[0])
    if (end - start) * 2 < len(text):
        return None
    return dict(attrs)
