"""OCR/PDF repair that keeps a map back to the original offsets.

The pipeline reads a *repaired* copy of the text (``RepairedText.clean``); every
mention found there is mapped back with ``to_original`` so that its offsets index
the ORIGINAL text. The repairs target what tesseract and PDF extraction were
measured to do on the shared OCR corpora, and stay conservative (a repair that
changes correct text is worse than none):

- codes: ``RO`` -> ``R0``, ``Mlb`` -> ``M1b``, ``stage 1V`` -> ``stage IV``;
- words: an unknown word that is a measured OCR confusion away from a known word
  (``rieck`` -> ``neck``, ``bevacizurnab`` -> ``bevacizumab``, ``cancér`` -> ``cancer``;
  see ``extractor/fuzzy.py``); known words, names inside a sentence, codes,
  acronyms, URLs and mere inflections are left alone;
- layout: line breaks inside a sentence become spaces (headings, captions and
  sentence ends keep theirs), words hyphenated across lines are rejoined while real
  compounds keep their hyphen (``fine-\nneedle`` -> ``fine-needle``), soft hyphens,
  ligatures, curly quotes and odd dashes are made plain;
- specks: quote marks between two words or alone at a word's edge, a period or
  colon read for a space (``and.there``), a hyphen read for a space in time
  phrases (``4-years ago``);
- figure captions that interrupt a sentence move after the paragraph they interrupt.

The repair rules are data (``patterns/ocr_repairs.jsonl``); this module applies them
(``kind``: ``whole``/``group`` regex replacements, ``fix:<name>`` code fixers in
``FIXERS``, ``call:<name>`` context repairs in ``CALLS``). Pure Python, no spaCy import.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Sequence, Tuple

from .fuzzy import fold, match_case
from .patterns import load_jsonl

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


_ONE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def fix_tnm(code: str) -> str:
    """Same-length OCR repair of a TNM code: ``pT4bN2aMlb`` -> ``pT4bN2aM1b``."""
    out = list(code)
    for i, ch in enumerate(code):
        prev = code[i - 1] if i else ""
        if prev in "TNM" and ch in "OoIl|":
            if prev == "T" and code[i:i + 2] == "is":
                continue
            out[i] = ch.translate(_ONE)
        elif prev == "M" and ch == "s":
            out[i] = "x"
        elif prev in "TNM" and ch == "X":
            out[i] = "x"
    if code[:1] == "C" and code[1:2] == "T":
        out[0] = "c"
    return "".join(out)


def fix_stage_group(phrase: str) -> str:
    """``stage 1V`` -> ``stage IV``, ``stage Il`` -> ``stage II``; Arabic groups stay."""
    m = re.search(r"([IVl1|]{1,4})([a-cA-C]?[0-9]?)$", phrase)
    if not m:
        return phrase
    numeral = m.group(1)
    if not any(c in "IV" for c in numeral) and not ("l" in numeral or "|" in numeral):
        return phrase  # plain Arabic ("stage 1", "stage 1A")
    fixed = numeral.replace("1", "I").replace("l", "I").replace("|", "I")
    return phrase[: m.start(1)] + fixed + phrase[m.end(1):]


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
def _general_words() -> frozenset:
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


_CAPITALISED = frozenset("january february march april may june july august september october "
                         "november december monday tuesday wednesday thursday friday saturday "
                         "sunday".split())


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
    elif len(token) < 4:  # a short word only loses its accents (thé -> the)
        plain = fold(token)
        return match_case(token, plain) if plain in vocab.known and plain != token.lower() else None
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
    if word is None or word == token.lower():
        return None
    if (token[:1].isupper() and word not in _CAPITALISED and not _sentence_start(text, s)
            and (word not in vocab.domain or word in _general_words())):
        return None  # a capitalised word inside a sentence is a name (Angeli, Tsai)
    if word == fold(token) and token.isascii():
        return token if token != m.group(0) else None
    return match_case(token, word)


_DIGIT_LETTERS = {"0": "o", "1": "il", "5": "s", "6": "ob"}


def _digit_word(token: str, vocab) -> "str | None":
    """The one known word that the token's digits, read as letters, can make."""
    readings = [""]
    for ch in token:
        options = _DIGIT_LETTERS.get(ch, ch)
        readings = [r + o for r in readings for o in options]
    found = {r.lower() for r in readings if r.lower() in vocab.known}
    if len(found) != 1:
        return None
    return match_case(token, found.pop())


def call_hyphen_break(text: str, m: "re.Match") -> "str | list | None":
    """A word split by a hyphen at a line end: ``resec-\ntion`` -> ``resection``, but
    ``fine-\nneedle`` -> ``fine-needle`` and ``salpingo-\noophorectomy`` keeps its
    hyphen (the right part is a word of its own and the joined form is not)."""
    vocab = vocabulary()
    left, right = m.group(1), m.group(2)
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


CALLS = {"ocr_word": call_ocr_word, "hyphen_break": call_hyphen_break,
         "line_wrap": call_line_wrap, "stray_quote": call_stray_quote,
         "glued_punct": call_glued_punct, "page_furniture": call_page_furniture}


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
                       if (len(w) >= 4 or not w.isascii()) and w.lower() not in known}
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
