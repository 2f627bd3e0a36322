"""OCR/PDF repair that keeps a map back to the original offsets.

The pipeline reads a *repaired* copy of the text (``RepairedText.clean``):
codes with OCR confusions fixed (``RO`` -> ``R0``, ``Mlb`` -> ``M1b``,
``stage 1V`` -> ``stage IV``), words rejoined across hyphenated line breaks,
single line breaks turned into spaces, ligatures and curly quotes made plain,
and figure captions that interrupt a sentence moved to the end of the paragraph
they interrupted. Every mention found in the clean copy is mapped back with
``to_original`` so that its offsets index the ORIGINAL text.

The repair rules are data (``patterns/ocr_repairs.jsonl``); this module only
applies them. Pure Python, no spaCy import.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Sequence, Tuple

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
                before = text[:cap_start].rstrip()
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
