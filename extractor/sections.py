"""Case-report sections: where each part of the article starts and ends.

Attribution needs to know whether a sentence sits in the case description or
in the discussion of the literature, and boilerplate/references are not
reported from. Headings are matched line by line against ``patterns/sections.csv``
(a numbered heading such as ``3 Discussion``, or an inline one such as
``Case summary: A 51-year-old woman ...``); figure/table captions are their own
section. A text with no heading at all (a bare case description) is one
``case`` section.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Tuple

from .patterns import load_csv
from .records import Section
from .text import caption_blocks

SECTION_NAMES = ("title", "abstract", "introduction", "case", "discussion", "conclusion",
                 "caption", "references", "boilerplate")
#: reference lists and page boilerplate are not reported from (SCHEMA.md conventions)
UNREPORTED_SECTIONS = frozenset({"references", "boilerplate"})
#: sections whose statements are about the literature unless they name the patient
LITERATURE_SECTIONS = frozenset({"introduction", "discussion", "references", "boilerplate"})

#: a line this long is a page flattened to one line: look for headings inside it
LONG_LINE = 2000
_NUMBER = r"(?:(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4})\.?\s+)?"
_BOILER_LINE = re.compile(r"^\s*(?:doi:|https?://|www\.|©|Copyright|Received:|Accepted:|Published:|"
                          r"Citation:|Page \d+ of \d+|Frontiers in|\d+\s*$)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _heading_rules() -> Tuple[Tuple[re.Pattern, str], ...]:
    rules = []
    for row in load_csv("sections.csv", required=("pattern", "section", "example", "inline")):
        if row["section"] not in SECTION_NAMES:
            from .errors import PatternError

            raise PatternError(f"sections.csv: unknown section {row['section']!r}; allowed: {SECTION_NAMES}")
        # a heading alone on its line, or an inline heading ending with a colon
        rx = re.compile(rf"^[ \t]*{_NUMBER}(?:{row['pattern']})[ \t]*(?::|\.[ \t]*$|$)", re.IGNORECASE)
        rules.append((rx, row["section"]))
    return tuple(rules)


def _inline_rows() -> List[dict]:
    return [r for r in load_csv("sections.csv", required=("pattern", "section", "example", "inline"))
            if r["inline"] == "yes"]


@lru_cache(maxsize=1)
def _inline_rule() -> re.Pattern:
    """Headings inside a long paragraph (a scraped page flattened to one line, or
    wrapped by OCR): a capitalised heading after a sentence end, a run of spaces
    or a line break, followed by a colon or a capitalised word or a number
    (``...view  Discussion MTC was ...``)."""
    names = "|".join(f"(?P<s{i}>{row['pattern']})" for i, row in enumerate(_inline_rows()))
    return re.compile(rf"(?:(?<=[.!?\]:])\s{{1,3}}|(?<=\S)[ \t]{{1,3}}|(?<=\n)|^)[\u2018'\"]?(?i:{names})"
                      rf"(?::|(?=[ \t\n]+[A-Z0-9\[]))")


def _inline_marks(paragraph: str, offset: int) -> List[Tuple[int, str, str]]:
    rows = _inline_rows()
    marks = []
    for m in _inline_rule().finditer(paragraph):
        if not m.group(0).strip().lstrip("\u2018'\"")[:1].isupper():
            continue
        i = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        marks.append((offset + m.start() + len(m.group(0)) - len(m.group(0).lstrip()), rows[i]["section"],
                      m.group(0).strip()))
    return marks


def _long_paragraphs(text: str) -> List[Tuple[int, int]]:
    """Paragraphs longer than LONG_LINE: pages flattened by scraping or OCR wrapping."""
    out, pos = [], 0
    for m in re.finditer(r"\n[ \t]*\n", text + "\n\n"):
        if m.start() - pos > LONG_LINE:
            out.append((pos, m.start()))
        pos = m.end()
    return out


def _heading(line: str) -> Tuple[str, int]:
    """(section, length of the heading) if ``line`` opens a section, else ("", 0)."""
    if len(line.strip()) == 0:
        return "", 0
    for rx, section in _heading_rules():
        m = rx.match(line)
        if m:
            rest = line[m.end():].strip()
            standalone = not rest
            # a standalone heading is short; an inline one ends with a colon
            if (standalone and len(line.strip()) <= 60) or m.group(0).rstrip().endswith(":"):
                return section, m.end()
    return "", 0


def find_sections(text: str) -> List[Section]:
    """Split ``text`` into contiguous sections covering it from start to end."""
    marks: List[Tuple[int, str, str]] = []  # (offset, section, heading)
    pos = 0
    current = None
    captions = caption_blocks(text)
    cap_i = 0
    long_paras = _long_paragraphs(text)
    para_i = 0
    prev_line = ""
    #: the section an inline boilerplate heading interrupted, resumed at the paragraph break
    boiler_until_break = None
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        while para_i < len(long_paras) and long_paras[para_i][1] <= pos:
            para_i += 1
        para = long_paras[para_i] if para_i < len(long_paras) else None
        in_long = para is not None and para[0] <= pos < para[1]
        while cap_i < len(captions) and captions[cap_i].end <= pos:
            cap_i += 1
        cap = captions[cap_i] if cap_i < len(captions) else None
        if cap is not None and cap.start <= pos < cap.end:
            if not marks or marks[-1][1] != "caption":
                marks.append((cap.start, "caption", stripped[:40]))
            if pos + len(line) >= cap.end:
                marks.append((cap.end, current or "case", ""))
        elif in_long:
            if pos == para[0]:
                for mark in _inline_marks(text[para[0]:para[1]], para[0]):
                    if current != "references":
                        marks.append(mark)
                        current = mark[1]
        else:
            if not stripped and boiler_until_break is not None:
                # an inline boilerplate heading (``Keywords: ...``) covers its paragraph only
                if current == "boilerplate":
                    marks.append((pos, boiler_until_break, ""))
                    current = boiler_until_break
                boiler_until_break = None
            section, hlen = _heading(line)
            # a heading never continues a sentence a previous prose line left open
            if (section and len(prev_line) >= 40 and (prev_line[-1:].islower() or prev_line[-1:] == ",")
                    and not stripped[:1].isdigit()):
                section = ""
            if not section and not prev_line and stripped:
                # a paragraph opening with a heading run into its text, as OCR wraps a
                # flattened page (``Introduction Medullary thyroid carcinoma ...``)
                opening = _inline_marks(line, pos)
                if opening and opening[0][0] == pos + len(line) - len(line.lstrip()):
                    section, hlen = opening[0][1], len(opening[0][2])
            if section and current != "references" or section == "references":
                if section:
                    if section == "boilerplate" and line[hlen:].strip() and current != "boilerplate":
                        boiler_until_break = current or "case"
                    marks.append((pos, section, stripped[:hlen].strip()))
                    current = section
            elif current != "references" and _BOILER_LINE.match(line) and len(stripped) < 80:
                marks.append((pos, "boilerplate", ""))
                marks.append((pos + len(line), current or "case", ""))
        prev_line = stripped  # a blank line (paragraph break) resets it
        pos += len(line)
    if not marks:
        return SectionList([Section("case", 0, len(text))] if text else [])
    sections: List[Section] = []
    first = marks[0][0]
    if first > 0:
        head = text[:first]
        name = "title" if len(head.strip()) < 300 else "case"
        sections.append(Section(name, 0, first))
    for i, (start, name, heading) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        if end <= start:
            continue
        if sections and sections[-1].name == name and not heading:
            last = sections[-1]
            sections[-1] = Section(name, last.start, end, last.heading)
        else:
            sections.append(Section(name, start, end, heading))
    return SectionList(sections)


class SectionList(list):
    """Sections in text order, with their start offsets kept for binary search."""

    @property
    def starts(self) -> List[int]:
        cached = self.__dict__.get("_starts")
        if cached is None or len(cached) != len(self):
            cached = [sec.start for sec in self]
            self.__dict__["_starts"] = cached
        return cached


def section_at(sections: List[Section], offset: int) -> str:
    """The name of the section containing ``offset`` (``case`` if none)."""
    import bisect

    if not isinstance(sections, SectionList):
        sections = SectionList(sections)
    i = bisect.bisect_right(sections.starts, offset) - 1
    if 0 <= i < len(sections) and sections[i].start <= offset < sections[i].end:
        return sections[i].name
    return "case"
