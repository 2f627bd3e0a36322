"""Fast sentence bounds for attribution and linking (pure regex, no model).

spaCy's statistical parser is not in this pipeline and the sentencizer splits
on every full stop (``Fig. 2``, ``et al.``); this splitter knows the
abbreviations of case reports and treats blank lines as breaks.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Tuple

_ABBREV_WORDS = ('Fig', 'fig', 'Figs', 'et al', 'e.g', 'i.e', 'vs', 'Dr', 'No', 'approx', 'ca', 'St', 'Mr', 'Mrs', 'Ms', 'Ref', 'ref', 'vol', 'pp', 'resp', 'Prof', 'cf')
_ABBREV = "".join(rf"(?<!\b{re.escape(w)}\.)" for w in _ABBREV_WORDS)
# the cheap look-behind for a full stop comes first, so the abbreviation checks run only there
_BREAK = re.compile(r"(?<=[.!?])" + _ABBREV + r"[\"')\]]*\s+(?=[A-Z0-9(\"'\[])|\n[ \t]*\n\s*")


@lru_cache(maxsize=16)
def sentence_bounds(text: str) -> Tuple[Tuple[int, int], ...]:
    """(start, end) of every sentence; together they cover the text.

    Cached: several components split the same document (the same str object,
    see components.base.doc_text), and the split is then done once."""
    bounds = []
    pos = 0
    for m in _BREAK.finditer(text):
        if m.group(0).strip() == "" and text[m.end():m.end() + 1].islower():
            continue  # a blank line inside a sentence (PDF page or column break)
        if m.end() > pos:
            bounds.append((pos, m.end()))
            pos = m.end()
    if pos < len(text) or not bounds:
        bounds.append((pos, len(text)))
    return tuple(bounds)


class SentenceIndex:
    """Look up the sentence that holds an offset in O(log n)."""

    def __init__(self, text: str, bounds=None):
        self.text = text
        self.bounds = [tuple(b) for b in bounds] if bounds is not None else sentence_bounds(text)
        self._starts = [b[0] for b in self.bounds]

    def index(self, offset: int) -> int:
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def around(self, offset: int) -> Tuple[int, int]:
        return self.bounds[self.index(offset)]
