"""OCR/PDF repair that keeps a map back to the original offsets.

The pipeline reads a *repaired* copy of the text (``RepairedText.clean``); every
mention found there is mapped back with ``to_original`` so that its offsets index
the ORIGINAL text. The repairs target what tesseract and PDF extraction were
measured to do on the shared OCR corpora, and stay conservative (a repair that
changes correct text is worse than none):

- codes: ``RO`` -> ``R0``, ``Mlb`` -> ``M1b``, ``stage 1V`` -> ``stage IV``, ``pT3.N1bMO`` ->
  ``pT3N1bM0``, ``sfage I1b`` -> ``stage IIb``, ``(IIl/IV)`` after stage -> ``(III/IV)``,
  ``RO iesection`` -> ``R0``; capitals-and-digits codes the lexicons know (``FOLF1RI``,
  ``MLHi``, ``CD2O``, ``S1O0``); years with a 0 read as 6/8/O after a month or in a
  numeric date (``August 2619``); a damaged time unit after a number (``34 iriontlis``);
- words: an unknown word that is a measured OCR confusion away from a known word
  (``rieck`` -> ``neck``, ``bevacizurnab`` -> ``bevacizumab``, ``cancér`` -> ``cancer``;
  see ``extractor/fuzzy.py``); a 3-letter unknown word one cheap confusion from exactly
  one frequent word (``iri`` -> in); two words merged by a lost space (``monthsafter``,
  ``lateralneck``; compounds such as ``cystadenocarcinoma`` stay); known words, names
  inside a sentence, codes, acronyms, URLs and mere inflections are left alone;
- layout: line breaks inside a sentence become spaces (headings, captions and
  sentence ends keep theirs), words hyphenated across lines are rejoined while real
  compounds keep their hyphen (``fine-\nneedle`` -> ``fine-needle``), soft hyphens,
  ligatures, curly quotes and odd dashes are made plain;
- specks: quote marks between two words or alone at a word's edge, a period or
  colon read for a space (``and.there``), a hyphen read for a space in time
  phrases (``4-years ago``), specks in time phrases (``to.2017``, ``months, later``),
  lost spaces around codes and doses (``EGFRmutations``, ``andCEA``, ``Letrozole2.5 mg``);
- figure captions that interrupt a sentence move after the paragraph they interrupt.

Much of the damage these target was found with ``scripts/ocr_simulate.py`` (measured
OCR statistics applied to texts the OCR corpora do not cover, see its docstring).

The repair rules are data (``patterns/ocr_repairs.jsonl``, with the word lists of the
context repairs in ``patterns/ocr_context.jsonl``); this module applies them
(``kind``: ``whole``/``group`` regex replacements, ``fix:<name>`` code fixers in
``FIXERS``, ``call:<name>`` context repairs in ``CALLS``). Pure Python, no spaCy import.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Sequence, Tuple

from .fuzzy import code_variants, fold, match_case
from .patterns import load_context_rules, load_jsonl

def _rule(rule_id: str) -> re.Pattern:
    """A compiled rule of ``patterns/ocr_context.jsonl``."""
    return load_context_rules("ocr_context.jsonl")[rule_id].rx


@lru_cache(maxsize=None)
def _words(rule_id: str) -> frozenset:
    """A word list of ``patterns/ocr_context.jsonl``."""
    return frozenset(load_context_rules("ocr_context.jsonl")[rule_id].words)


#: where the repairing tokenizer keeps the offset map in doc.user_data
REPAIR_KEY = "extractor_repair"

#: (clean_start, clean_end, orig_start, orig_end); copies have equal lengths
Segment = Tuple[int, int, int, int]


@dataclass(frozen=True)
class RepairedText:
    original: str
    clean: str
    segments: Tuple[Segment, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [s[0] for s in self.segments])

    def _segment(self, pos: int) -> Segment:
        i = bisect.bisect_right(self._starts, pos) - 1  # type: ignore[attr-defined]
        return self.segments[max(i, 0)]

    def orig_start(self, pos: int) -> int:
        if not self.segments:
            return pos
        cs, ce, os_, oe = self._segment(pos)
        if ce - cs == oe - os_:
            return os_ + (pos - cs)
        return os_

    def orig_end(self, pos: int) -> int:
        """Original offset of a clean *end* offset (exclusive)."""
        if not self.segments or pos <= 0:
            return pos
        cs, ce, os_, oe = self._segment(pos - 1)
        if ce - cs == oe - os_:
            return os_ + (pos - cs)
        return oe

    def to_original(self, start: int, end: int) -> Tuple[int, int]:
        """Map a clean span to the original text; the result never runs backwards."""
        o_start, o_end = self.orig_start(start), self.orig_end(end)
        if o_end < o_start:  # span crossed a moved caption: keep its first piece
            cs, ce, os_, oe = self._segment(start)
            o_end = oe
        return o_start, o_end

    def to_clean(self, start: int, end: int) -> Tuple[int, int]:
        """Map an original span into the clean text (used by gold/OCR tests)."""
        best_s = best_e = None
        for cs, ce, os_, oe in self.segments:
            if best_s is None and os_ <= start < oe:
                best_s = cs + (start - os_ if ce - cs == oe - os_ else 0)
            if os_ < end <= oe:
                best_e = cs + (end - os_ if ce - cs == oe - os_ else ce - cs)
        return (best_s if best_s is not None else start, best_e if best_e is not None else end)


@lru_cache(maxsize=1)
def _rules() -> Tuple[Tuple[re.Pattern, str, str], ...]:
    """Compiled OCR repair rules: (regex, kind, replacement template)."""
    compiled = []
    for row in load_jsonl("ocr_repairs.jsonl"):
        flags = re.IGNORECASE if row.get("ignore_case") else 0
        compiled.append((re.compile(row["pattern"], flags), row["kind"], row.get("replace", "")))
    return tuple(compiled)


_ONE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "\u00a3": "1", "{": "1", "}": "1",
                      "!": "1", "f": "1", "i": "1", "L": "1", "6": "0", "8": "0"})
#: what may stand for a TNM part's digit: 0-4 themselves, O/o for 0, I/l/|/£/{/}/!/f for 1;
#: 6 and 8 for 0 (T6, N8 and M8 do not exist, so inside a full code they are misread 0s)
_TNM_DIGIT = set("01234") | set("OoIl|\u00a3{}!fiL68")
_TNM_SPECK = ".,:'\u2019`"


def fix_tnm(code: str) -> str:
    """OCR repair of a TNM code: ``pT4bN2aMlb`` -> ``pT4bN2aM1b``, ``pT3.N1bMO`` ->
    ``pT3N1bM0`` (a speck inside the code goes), ``ypT1CN0`` -> ``ypT1cN0``."""
    if not any(c.isspace() for c in code):
        code = "".join(c for c in code if c not in _TNM_SPECK)
    out = list(code)
    for i, ch in enumerate(code):
        prev = code[i - 1] if i else ""
        if prev in ("T", "N", "M") and ch in _TNM_DIGIT and not ch.isdigit() or (
                prev in ("T", "N", "M") and ch in "68"):
            if prev == "T" and code[i:i + 2] == "is":
                continue
            out[i] = ch.translate(_ONE)
        elif prev == "M" and ch == "s":
            out[i] = "x"
        elif prev in "TNM" and prev and ch == "X":
            out[i] = "x"
        elif ch in "ABCD" and i >= 2 and code[i - 2] in "TNM" and out[i - 1].isdigit():
            out[i] = ch.lower()  # a sub-category letter read in upper case (T1C)
    if code[:1] == "C" and code[1:2] == "T":
        out[0] = "c"
    return "".join(out)


_STAGE_PHRASE = re.compile(r"([^\s.:,\-]+)([\s.:,\-]{1,3})([IVil1|{YLETj]{1,4})([a-cA-C]?[0-9]?)$")
_ROMAN_GROUPS = frozenset({"I", "II", "III", "IV"})


def _roman(numeral: str) -> "str | None":
    """A stage group's Roman numeral as OCR may print it (``1V``, ``IiI``, ``I1I``, ``IY``,
    ``{V``, ``ib``'s ``i``) -> ``IV``/``III``...; None when it is no Roman numeral or is
    plain Arabic (``1``, ``11``)."""
    if not any(c in "IVil|{Y" for c in numeral):
        return None
    if numeral.endswith("E"):
        return None  # Ann Arbor's extranodal E (stage IIE)
    if any(c in "LETj" for c in numeral) and not any(c in "IV" for c in numeral):
        return None  # L, E, T, j only stand for I beside a real I or V (IL, EIB, TV)
    fixed = numeral
    for ch in "1l|{iLETj":
        fixed = fixed.replace(ch, "I")
    if "Y" in fixed:
        if not fixed.endswith("IY"):
            return None
        fixed = fixed[:-1] + "V"
    return fixed if fixed in _ROMAN_GROUPS else None


def fix_stage_group(phrase: str) -> str:
    """``stage 1V`` -> ``stage IV``, ``siage Il`` -> ``stage II``, ``stage. IIB`` ->
    ``stage IIB``, ``stage.ib`` -> ``stage Ib``; Arabic groups (``stage 1A``) stay."""
    m = _STAGE_PHRASE.search(phrase)
    if not m:
        return phrase
    word, sep, numeral, tail = m.groups()
    fixed = _roman(numeral)
    if fixed is None:
        return phrase
    if word.isupper() and len(word) > 1:
        word = "STAGE"
    else:
        word = ("S" if word[:1].isupper() else "s") + "tage"
    if any(c in ".:," for c in sep) or "\n" in sep:
        sep = " "
    return phrase[:m.start()] + word + sep + fixed + tail


def fix_residual(code: str) -> str:
    """``RO`` -> ``R0``, ``RI``/``Ri``/``Rl`` -> ``R1``."""
    return code[0] + code[1:].translate(_ONE).replace("i", "1")


FIXERS = {"tnm": fix_tnm, "stage_group": fix_stage_group, "residual": fix_residual}


# --- context repairs: ``kind: "call:<name>"`` rules get (text, match) and return the
# replacement of the whole match, or None to leave it alone -------------------------

_VOCAB_FILES = ("ocr_vocab_english.txt", "ocr_vocab_clinical.txt", "ocr_vocab_common.txt")
_LEXICON_WORD = re.compile(r"[A-Za-z]{5,}")


@lru_cache(maxsize=1)
def vocabulary():
    """The word lexicon of the OCR word repair (a ``fuzzy.FuzzyLexicon``).

    General English (SCOWL) protects and repairs ordinary words; the domain side is
    the clinical word list plus every word of 5+ letters in the families' CSV
    lexicons under ``patterns/`` (drug, procedure, marker names), so a lexicon
    entry added by a family is repaired in OCR text with no extra work."""
    from .fuzzy import FuzzyLexicon
    from .patterns import load_csv, load_words, patterns_dir

    general = load_words(_VOCAB_FILES[0])
    frequent = load_words(_VOCAB_FILES[2])
    domain = set(load_words(_VOCAB_FILES[1]))
    for path in sorted(patterns_dir().glob("*.csv")):
        try:
            rows = load_csv(path.name)
        except Exception:  # a family's broken lexicon is reported by its own loader
            continue
        for row in rows:
            for value in row.values():
                domain.update(w.lower() for w in _LEXICON_WORD.findall(value or ""))
    return FuzzyLexicon(domain, general, frequent=frequent)


@lru_cache(maxsize=1)
def english_words() -> frozenset:
    """General English (SCOWL, lower case): ordinary words, never new drug or marker names."""
    from .patterns import load_words

    return frozenset(load_words(_VOCAB_FILES[0]))


_URLISH = re.compile(r"/|@|www|://|\\|\.(?:org|com|net|edu|gov|html?|aspx?|php|pdf)\b", re.IGNORECASE)


def _chunk(text: str, start: int, end: int) -> str:
    """The whitespace-delimited run of characters around ``[start, end)``."""
    s = start
    while s > 0 and not text[s - 1].isspace():
        s -= 1
    e = end
    while e < len(text) and not text[e].isspace():
        e += 1
    return text[s:e]


def _sentence_start(text: str, pos: int) -> bool:
    """Whether ``pos`` opens a sentence, a line or a list item."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'\u2018\u2019\u201c\u201d([":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n"


def call_ocr_word(text: str, m: "re.Match") -> "str | None":
    """An OCR-damaged word repaired into a known word (``rieck`` -> ``neck``,
    ``bevacizurnab`` -> ``bevacizumab``, ``cancér`` -> ``cancer``); known words,
    codes (letters touching digits), acronyms and URLs are left alone."""
    token = m.group(0)
    vocab = vocabulary()
    if "\u00ad" in token:  # soft hyphens inside the word go with its repair
        plain = token.replace("\u00ad", "")
        if plain.lower() in vocab.known or len(plain) < 4:
            return plain
        token = plain
    elif token.lower() in vocab.known:
        return None
    elif len(token) < 4:  # a short word only loses its accents (thé -> the) ...
        plain = fold(token)
        if plain in vocab.known:
            return match_case(token, plain) if plain != token.lower() else None
        s, e = m.span()
        if ((s and text[s - 1].isdigit()) or (e < len(text) and text[e].isdigit()) or len(token) != 3
                or not (token.islower() or any(c.isdigit() for c in token))):
            return None
        if any(c.isdigit() for c in token):  # ag0 -> ago, tw0 -> two
            return _digit_word(token, vocab) if token[0].islower() else None
        word = _short_word(plain)  # ... or is a frequent word read wrongly (iri -> in, aga -> ago)
        return match_case(token, word) if word else None
    s, e = m.span()
    if (s and text[s - 1].isdigit()) or (e < len(text) and text[e].isdigit()):
        return None
    if not token[1:].islower():
        return None  # acronyms and codes (HMB, MLHI)
    if token[-1] == "o" and text[e:e + 1] in ("-", "\u2010", "\u2011", "\u2013"):
        return None  # a combining form (proto-, infero-, medio-)
    if _URLISH.search(_chunk(text, s, e)):
        return None
    if any(c.isdigit() for c in token):  # Apr1l, d1sease: a digit read inside a word
        return _digit_word(token, vocab)
    word = vocab.correct(token)
    if word is None:
        return _split_word(token, text, s, vocab)
    if word == token.lower():
        return None
    if (token[:1].isupper() and word not in _words("capitalised") and not _sentence_start(text, s)
            and (word not in vocab.domain or word in english_words())):
        return None  # a capitalised word inside a sentence is a name (Angeli, Tsai)
    if word == fold(token) and token.isascii():
        return token if token != m.group(0) else None
    return match_case(token, word)


_DIGIT_LETTERS = {"0": "o", "1": "il", "4": "ai", "5": "s", "6": "ob"}


def _digit_word(token: str, vocab) -> "str | None":
    """The one known word that the token's digits, read as letters, can make
    (``Apr1l``, ``ag0``, ``lapatin4b``); else the one word the fuzzy repair makes of a
    reading (``tr4sitizumab`` -> trasitizumab -> trastuzumab)."""
    readings = [""]
    for ch in token:
        options = _DIGIT_LETTERS.get(ch, ch)
        readings = [r + o for r in readings for o in options]
    found = {r.lower() for r in readings if r.lower() in vocab.known}
    if not found and len(token) >= 7:
        found = {w for w in (vocab.correct(r) for r in readings) if w is not None}
    if len(found) != 1:
        return None
    return match_case(token, found.pop())


@lru_cache(maxsize=4096)
def _short_word(token: str) -> "str | None":
    """A 2-3 letter unknown token that is one cheap OCR confusion away from exactly
    one frequent word and from no other known word (``iri`` -> in, ``ori`` -> on,
    ``aga`` -> ago, ``twe`` -> two)."""
    vocab = vocabulary()
    found = vocab.candidates(token, budget=_SHORT_BUDGET)
    if len(found) != 1:
        return None
    word = next(iter(found))
    return word if word in vocab.frequent else None


_SHORT_BUDGET = 0.35


def _split_word(token: str, text: str, s: int, vocab) -> "str | None":
    """Two words OCR merged by losing the space between them (``monthsafter``,
    ``paclitaxelwere``, ``Magneticresonance``): each part a known word of 4+ letters,
    and only one way to cut the token."""
    n = len(token)
    if n < 7 or not token[1:].islower() or not token.isalpha():
        return None
    low = token.lower()
    known = vocab.known
    frequent = vocab.frequent
    cuts = [k for k in range(3, n - 2) if low[:k] in known and low[k:] in known]
    if len(cuts) != 1:
        return None
    k = cuts[0]
    left, right = low[:k], low[k:]
    if right in _words("no-split-right") or left in _words("no-split-left") or (left[-1] == "o" and len(left) >= 5):
        return None  # a suffix (oncologic-ally) or a combining form (immuno-positive)
    # one part is a frequent word (monthsafter, paclitaxelwere), or an adjective runs into
    # its noun (lateralneck, Magneticresonance); compounds such as cystadenocarcinoma stay
    if not ((left in frequent and len(right) >= 4) or (right in frequent and len(left) >= 4)
            or (_rule("adjective-end").search(left) and len(left) >= 5 and len(right) >= 4)) or (
            n < 9 and not (left in frequent and right in frequent)):
        return None
    if token[:1].isupper() and not _sentence_start(text, s) and left not in vocab.domain:
        return None  # a name inside a sentence (Vanderbilt)
    return token[:k] + " " + token[k:]


def call_hyphen_break(text: str, m: "re.Match") -> "str | list | None":
    """A word split by a hyphen at a line end: ``resec-\ntion`` -> ``resection``, but
    ``fine-\nneedle`` -> ``fine-needle`` and ``salpingo-\noophorectomy`` keeps its
    hyphen (the right part is a word of its own and the joined form is not)."""
    vocab = vocabulary()
    left, right = m.group(1), m.group(2)
    if left.lower() in _words("function-words") or right.lower() in _words("function-words"):
        return [(m.end(1), m.start(2), " ")]  # was-\nconsidered: a space read as a hyphen
    if right[:1].isupper() or (len(left) > 1 and left.isupper()):
        return [(m.end(1) + 1, m.start(2), "")]  # KRAS-\nmutant, anti-\nPD-1: a compound
    joined = left + right
    fixed = vocab.correct(joined) if len(joined) >= 4 else None
    if fixed is not None:
        return match_case(left, fixed)
    right_word = vocab.correct(right) if len(right) >= 3 else None
    if right_word is not None and len(right) >= 3:
        # a real compound: drop only the line break, so that each part keeps its own
        # offsets (and its own word repair)
        return [(m.end(1) + 1, m.start(2), "")]
    return joined


_CAPTION_AHEAD = re.compile(r"[ \t]*(?:FIGURE|Figure|Fig\.|TABLE|Table)\s*\d")
_LOWER_AHEAD = re.compile(r"['\u2018\u201c]?(?:[a-z]|\d[\d.,]*\s*(?:%|[a-z]))")


def _looks_like_heading(line: str) -> bool:
    """A numbered, colon-bearing or Title Case line (a heading or a title, not prose)."""
    if line[:1].isdigit() or ":" in line:
        return True
    words = [w for w in line.split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def call_line_wrap(text: str, m: "re.Match") -> "str | None":
    """A line break inside a sentence becomes a space: the line before is long (a
    wrapped line, not a heading) and ends mid-sentence, and the next line goes on
    with the sentence (lower case; or a long line that is no heading or caption).
    A blank line (two-column OCR) is joined only before a lower-case word."""
    s, e = m.span()
    line_start = text.rfind("\n", 0, s) + 1
    prev = text[line_start:s].strip()
    if len(prev) < 30 or prev[-1] in ".:!?" or e >= len(text):
        return None
    if prev[-1] == "-" and text[s - 1:s] == "-" and text[e:e + 1].isalnum():
        return ""  # a range or compound broken after its hyphen (6-\n8 cm)
    if _CAPTION_AHEAD.match(text, e):
        return None
    lower_next = bool(_LOWER_AHEAD.match(text, e))
    nl = text.find("\n", e)
    nxt = text[e: nl if nl >= 0 else len(text)]
    long_next = len(nxt.strip()) >= 40 and ":" not in nxt[:25]
    if text.count("\n", s, e) > 1:  # a blank line: two-column OCR, or a paragraph break
        if prev[-1] in ";":
            return None
        if lower_next:
            return " "
        if (prev[-1].islower() or prev[-1] == ",") and long_next and not _looks_like_heading(prev):
            return " "
        return None
    if lower_next:
        return " "
    if prev[-1] in ",;(":  # a heading never follows a comma: the sentence goes on
        return " "
    if prev[-1].islower() and long_next:
        return " "
    return None


_CONTRACTION = re.compile(r"(?:s|t|d|ll|re|ve|m)(?![A-Za-z])|UTR|end\b", re.IGNORECASE)
_QUOTES = "'\u2018\u2019\u201c\u201d\"`"
_CLOSING_QUOTE = re.compile(r"[\u2019\u201d\"`]|'(?![A-Za-z])")


def call_stray_quote(text: str, m: "re.Match") -> "str | None":
    """A quote mark OCR put where none was: between two words (``up'to`` -> ``up to``,
    ``4'years``), or alone at a word's edge with no partner on its line (``\u2018neck``,
    ``complete\u2019 nephrectomy``). Apostrophes of ``patient's``, ``didn't``,
    ``O'Brien`` and ``patients'`` and real quotations stay."""
    s = m.start()
    before = text[s - 1] if s else " "
    after = text[s + 1] if s + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        if m.group(0) in "\u201c\u201d\"" or _CONTRACTION.match(text, s + 1):
            return None
        if before.isalpha() and (s < 2 or not text[s - 2].isalnum()):
            return None  # O'Brien, d'Alembert
        return " "
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", s)
    line_end = len(text) if line_end < 0 else line_end
    if after.isalpha() and (before.isspace() or before in "(["):
        ahead = text[s + 1: min(line_end, s + 80)]
        if _CLOSING_QUOTE.search(ahead):
            return None
        return ""
    if before.isalpha() and (after.isspace() or after in ",.;:)]"):
        if before in "sS" and m.group(0) in "'\u2019":
            return None  # patients'
        behind = text[max(line_start, s - 80): s]
        if any(q in behind for q in _QUOTES):
            return None
        return ""
    return None


def call_glued_punct(text: str, m: "re.Match") -> "str | None":
    """A space read as ``.`` or ``:`` between two words (``and.there``, ``45:moriths``);
    URLs, e-mail addresses and file names stay."""
    if _URLISH.search(_chunk(text, m.start(), m.end())):
        return None
    return " "


_PAGE_LINE = re.compile(r"[ \t]*(?:(?:Page|PAGE|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}|-\s*\d{1,4}\s*-)[ \t]*")


@lru_cache(maxsize=4)
def _repeated_lines(text: str) -> frozenset:
    """Lines (stripped, 8+ characters) that occur three times or more: running headers."""
    counts: dict = {}
    for line in text.split("\n"):
        line = line.strip()
        if len(line) >= 8:
            counts[line] = counts.get(line, 0) + 1
    return frozenset(k for k, v in counts.items() if v >= 3)


def call_page_furniture(text: str, m: "re.Match") -> "list | None":
    """A running header/footer or a page number that a page break put inside a
    sentence (the line before ends mid-sentence, the line after goes on in lower
    case) is taken out, and the sentence is joined."""
    line = m.group(1).strip()
    if not (_PAGE_LINE.fullmatch(line) or line in _repeated_lines(text)):
        return None
    s = m.start()
    tail = _NEWLINES.match(text, m.end())
    end = tail.end() if tail else m.end()
    before = text[max(0, s - 200):s].rstrip()
    after = text[end:end + 1]
    if not before or before[-1] in ".:!?" or not after.islower():
        return None
    if line.isdigit() and _UNIT_AHEAD.match(text, end):
        return None  # "5\nmg daily": a number of the sentence, not a page number
    return [(s, end, " ")]


_UNIT_AHEAD = re.compile(r"(?:[mµμnpk]?[glLM]|c?m|mm|%|cycles?|days?|weeks?|months?|years?|times|patients?|cases?|"
                         r"units?|IU|U|mmHg|bpm)\b")


_NEWLINES = re.compile(r"\n(?:[ \t]*\n)?[ \t]*")


def call_stage_numeral(text: str, m: "re.Match") -> "str | None":
    """A stage group's Roman numeral with an OCR'd letter, standing alone after the
    word stage/FIGO (``advanced-stage (IIl/IV)``, ``staged as iIIC``): ``III``, ``IIIC``."""
    token = m.group(0)
    if not any(c in "IV" for c in token) or not any(c in "il1|LE" for c in token):
        return None
    if not _rule("stage-context").search(text, max(0, m.start() - 40), m.start()):
        return None
    tail = token[-1] if token[-1] in "ABCabc" else ""
    fixed = _roman(token[:len(token) - len(tail)])
    return None if fixed is None else fixed + tail


@lru_cache(maxsize=1)
def _acronyms() -> Tuple[frozenset, Tuple[str, ...]]:
    """Upper-case codes the lexicons under ``patterns/`` name (regimens, drug
    abbreviations, marker names such as ``FOLFIRI``, ``MLH1``, ``CD20``, ``S100``, ``MRI``),
    and the long ones (7+ characters) for one-letter repairs."""
    from .patterns import load_csv

    codes = set()
    for name in _CODE_SOURCES:
        try:
            rows = load_csv(name)
        except Exception:  # a family's broken lexicon is reported by its own loader
            continue
        for row in rows:
            for value in row.values():
                value = _REGEX_BITS.sub("", value or "")
                for tok in _CODE_TOKEN.findall(value):
                    if sum(c.isupper() for c in tok) >= 2 or (tok[:1].isupper() and any(c.isdigit() for c in tok)):
                        codes.add(tok)
    general = english_words()
    codes = {c for c in codes if c.lower() not in general or c.isupper()}
    return frozenset(codes), tuple(sorted(c for c in codes if len(c) >= 7 and c.isalpha() and c.isupper()))


#: the lexicons whose codes a damaged code may be read as (ATC class codes such as C03
#: are no words of a report)
_CODE_SOURCES = ("regimens.csv", "drugs_abbreviations.csv", "biomarkers_markers.csv", "procedures_terms.csv")
_REGEX_BITS = re.compile(r"\\s\?|\\s|-\?|\?|\(\?:|\\b|\\d")
_CODE_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]{1,11}(?![A-Za-z0-9])")
#: look-alikes of a code's letters and digits beyond ``fuzzy.code_variants`` (lower-case
#: letters read for capitals, £ for 1)
_CODE_EXTRA = str.maketrans({"i": "I", "l": "I", "|": "I", "\u00a3": "1", "o": "O"})


def call_ocr_code(text: str, m: "re.Match") -> "str | None":
    return _ocr_code(m.group(0))


@lru_cache(maxsize=8192)
def _ocr_code(token: str) -> "str | None":
    """A code of capitals and digits with one or two OCR look-alikes, read as the one
    code the lexicons know (``FOLF1RI`` -> FOLFIRI, ``MLHi`` -> MLH1, ``CD2O`` -> CD20,
    ``S1O0`` -> S100, ``MS|`` -> MSI, ``GEA`` -> CEA); a long regimen acronym with one
    wrong letter (``FOLFTRINOX``) too. Codes the lexicons know and words stay."""
    if len(token) < 3 or sum(c.isupper() for c in token) < 2:
        return None
    codes, long_codes = _acronyms()
    if token in codes or token.lower() in vocabulary().known:
        return None
    found = None
    bases = [token, token.translate(_CODE_EXTRA)]
    inner = token[1:-1]
    if any(c in "ilj" for c in inner) and not any(c.islower() and c not in "ilj" for c in token):
        bases.append(token[0] + "".join(c for c in inner if c not in "ilj") + token[-1])  # BiRCA1
    if "G" in token and any(c.isdigit() for c in token):  # C read as G in a marker code (GD20)
        bases.append(token.replace("G", "C"))
    for base in dict.fromkeys(bases):
        for level, variant in _leveled_variants(base):
            if variant in codes and variant != token:
                if found is None or level < found[0]:
                    found = (level, {variant})
                elif level == found[0]:
                    found[1].add(variant)
    if found and len(found[1]) == 1:
        return found[1].pop()
    if found is None and len(token) >= 7 and token.isalpha() and token.isupper():
        near = [c for c in long_codes if len(c) == len(token) and sum(a != b for a, b in zip(c, token)) == 1]
        if len(near) == 1:
            return near[0]
    return None


def _leveled_variants(token: str):
    """``fuzzy.code_variants`` with the number of changes of each."""
    for v in code_variants(token):
        yield sum(a != b for a, b in zip(v, token)), v


def call_time_unit(text: str, m: "re.Match") -> "str | None":
    """A time unit right after a number, damaged by OCR (``34 iriontlis``, ``six yeas``,
    ``1-ycar``, ``12 montls``): read as the nearest unit. A known word is replaced only
    when measured confusions explain it (``yeas``; not ``rays`` or ``ears``)."""
    if m.start() and text[m.start() - 1].isalpha():
        return None  # a number word inside a longer word (someone)
    s, e = m.span(1)
    token = m.group(1)
    best = _time_unit(fold(token))
    if best is None:
        return None
    whole = m.group(0)
    return whole[:s - m.start()] + match_case(token, best)  # the number goes with it (one edit)


@lru_cache(maxsize=4096)
def _time_unit(low: str) -> "str | None":
    """The time unit a folded token after a number stands for, or None."""
    from .fuzzy import ocr_cost

    if low in _words("time-units") or len(low) < 3 or abs(len(low) - 5) > 5:
        return None
    known = low in vocabulary().known
    limit = 0.7 if known or len(low) < 4 else (1.0 if len(low) < 7 else 1.4)
    scored = sorted((ocr_cost(low, u, limit), u) for u in _words("time-units"))
    best_cost, best = scored[0]
    if best_cost > limit + 1e-9:
        return None
    rivals = [u for c, u in scored[1:] if c - best_cost < 0.15 and u.rstrip("s") != best.rstrip("s")]
    if rivals:
        return None
    ties = [u for c, u in scored if c - best_cost < 0.15]
    if len(ties) > 1:  # year/years equally near: the token's own ending decides
        best = max(ties, key=len) if low.endswith("s") else min(ties, key=len)
    return best


def call_residual_word(text: str, m: "re.Match") -> "str | None":
    """``RO``/``RI`` before a resection word that OCR damaged too (``RO iesection``,
    ``RO rriargins``): the code is R0/R1 when the next word is one of margin(s),
    resection, resected, surgery, excision within a few measured confusions."""
    from .fuzzy import ocr_cost

    word = fold(m.group(1))
    if word in _words("residual-words"):
        return fix_residual(m.group(0))
    limit = 1.0 if len(word) < 8 else 1.4
    if min(ocr_cost(word, w, limit) for w in _words("residual-words")) <= limit + 1e-9:
        return fix_residual(m.group(0))
    return None


def call_glued_month(text: str, m: "re.Match") -> "list | None":
    """``InDecember`` -> ``In December``: a preposition glued to a month name."""
    s = m.start()
    if s and text[s - 1].isalpha() and _rule("glued-before-month").search(text, max(0, s - 7), s):
        return [(s, s, " ")]
    return None


CALLS = {
    "glued_month": call_glued_month,
    "residual_word": call_residual_word,
    "time_unit": call_time_unit,
    "stage_numeral": call_stage_numeral,
    "ocr_code": call_ocr_code,
    "ocr_word": call_ocr_word,
    "hyphen_break": call_hyphen_break,
    "line_wrap": call_line_wrap,
    "stray_quote": call_stray_quote,
    "glued_punct": call_glued_punct,
    "page_furniture": call_page_furniture,
}


_CAPTION_START = re.compile(r"(?m)^[ \t]*(?:FIGURE|Figure|Fig\.|TABLE|Table)\s*\d+[A-Za-z]?\b")
_PARA_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?:;)\]\"\u201d]\s*$")


@dataclass(frozen=True)
class CaptionBlock:
    """A figure/table caption ``[start, end)``; ``continuation`` is the rest of the
    sentence it interrupted (empty when it interrupts nothing)."""

    start: int
    end: int
    continuation: Tuple[int, int] = (0, 0)


def _paragraphs(text: str, pos: int):
    """(start, end) of each paragraph from ``pos`` on."""
    while pos < len(text):
        brk = _PARA_BREAK.search(text, pos)
        end = brk.start() if brk else len(text)
        yield pos, end
        if not brk:
            return
        pos = brk.end()


def caption_blocks(text: str) -> List[CaptionBlock]:
    """Figure and table captions, and whether each interrupts a sentence.

    A caption runs from its ``FIGURE n`` line over the paragraphs of its legend
    (a legend split by a page break is followed on) and stops before the first
    paragraph that starts in lower case: that is the interrupted sentence going on.
    """
    blocks: List[CaptionBlock] = []
    pos = 0
    for m in _CAPTION_START.finditer(text):
        if m.start() < pos:
            continue
        cap_start = m.start()
        cap_end = None
        continuation = (0, 0)
        prev_end_char = ""
        n_paras = 0
        for p_start, p_end in _paragraphs(text, cap_start):
            body = text[p_start:p_end].strip()
            if n_paras and body[:1].islower() and prev_end_char in ".!?)":
                before = text[max(0, cap_start - 400):cap_start].rstrip()
                if before and not _SENTENCE_END.search(before):
                    continuation = (p_start, p_end)
                break
            if n_paras and prev_end_char in ".!?" and (body[:1].isupper() or _CAPTION_START.match(text, p_start)):
                if not (n_paras == 1 and len(text[cap_start:cap_end].strip()) < 20):
                    break
            cap_end = p_end
            prev_end_char = body[-1:] if body else ""
            n_paras += 1
            if p_end - cap_start > 4000:
                break
        if cap_end is None:
            continue
        blocks.append(CaptionBlock(cap_start, cap_end, continuation))
        pos = max(cap_end, continuation[1])
    return blocks


def _caption_moves(text: str) -> List[Tuple[int, int, str]]:
    """Ordering of original ranges, each with the separator put before it: an
    interrupting caption goes after the paragraph that finishes its sentence."""
    order: List[Tuple[int, int, str]] = []
    pos = 0
    for block in caption_blocks(text):
        cont_start, cont_end = block.continuation
        if cont_end <= cont_start:
            continue
        order.append((pos, block.start, ""))
        order.append((cont_start, cont_end, ""))
        order.append((block.start, block.end, "\n\n"))
        pos = cont_end
    order.append((pos, len(text), "\n\n" if pos else ""))
    return [r for r in order if r[1] > r[0]]


def _edits(text: str, start: int, end: int) -> List[Tuple[int, int, str]]:
    """Non-overlapping (orig_start, orig_end, replacement) edits inside one range."""
    found: List[Tuple[int, int, str]] = []
    for regex, kind, replace in _rules():
        if kind == "call:ocr_word":  # fast path: only unknown words go to the repair
            known = vocabulary().known
            unknown = {w for w in set(regex.findall(text, start, end))
                       if (len(w) >= 2 or not w.isascii()) and w.lower() not in known}
            if not unknown:
                continue
            for m in regex.finditer(text, start, end):
                if m.group(0) in unknown:
                    rep = call_ocr_word(text, m)
                    if rep is not None:
                        found.append((m.start(), m.end(), rep))
            continue
        for m in regex.finditer(text, start, end):
            if kind == "group":  # replace group 1 with the template, keep the rest
                g0, g1 = m.span(1)
                found.append((g0, g1, m.expand(replace)))
            elif kind == "translate":  # per-character OCR map inside group 1 (same length)
                g0, g1 = m.span(1)
                table = dict(zip(replace.split("|")[0], replace.split("|")[1]))
                fixed = "".join(table.get(ch, ch) for ch in m.group(1))
                if fixed != m.group(1):
                    found.append((g0, g1, fixed))
            elif kind.startswith("fix:"):  # a named code fixer (same length)
                found.append((m.start(), m.end(), FIXERS[kind[4:]](m.group(0))))
            elif kind.startswith("call:"):  # a context repair; None leaves the text alone
                rep = CALLS[kind[5:]](text, m)
                if isinstance(rep, list):  # finer edits inside the match
                    found.extend(rep)
                elif rep is not None:
                    found.append((m.start(), m.end(), rep))
            else:  # whole match
                found.append((m.start(), m.end(), m.expand(replace)))
    found.sort(key=lambda e: (e[0], -(e[1] - e[0])))
    kept: List[Tuple[int, int, str]] = []
    last_end = -1
    for s, e, r in found:
        if s >= last_end and text[s:e] != r:
            kept.append((s, e, r))
            last_end = max(e, s + 1) if e == s else e
    return kept


def repair(text: str) -> RepairedText:
    """Repair OCR/PDF damage; returns the clean text and its offset map."""
    pieces: List[str] = []
    segments: List[Segment] = []
    clean_pos = 0
    ranges = _caption_moves(text)
    for n, (r_start, r_end, sep) in enumerate(ranges):
        if sep and n:
            # a moved caption (and what follows it) starts a paragraph of its own
            pieces.append(sep)
            segments.append((clean_pos, clean_pos + len(sep), r_start, r_start))
            clean_pos += len(sep)
        pos = r_start
        for s, e, rep in _edits(text, r_start, r_end):
            if s > pos:
                pieces.append(text[pos:s])
                segments.append((clean_pos, clean_pos + s - pos, pos, s))
                clean_pos += s - pos
            pieces.append(rep)
            segments.append((clean_pos, clean_pos + len(rep), s, e))
            clean_pos += len(rep)
            pos = e
        if r_end > pos:
            pieces.append(text[pos:r_end])
            segments.append((clean_pos, clean_pos + r_end - pos, pos, r_end))
            clean_pos += r_end - pos
    clean = "".join(pieces)
    segments = [s for s in segments if s[1] > s[0] or s[3] > s[2]]
    return RepairedText(original=text, clean=clean, segments=tuple(segments))


def identity(text: str) -> RepairedText:
    """A map for text that was not repaired (e.g. a blank pipeline)."""
    return RepairedText(original=text, clean=text, segments=((0, len(text), 0, len(text)),))


def segments_from_list(original: str, clean: str, segs: Sequence[Sequence[int]]) -> RepairedText:
    return RepairedText(original=original, clean=clean, segments=tuple(tuple(s) for s in segs))
