"""``case_dates``: DATE mentions -> the doc's DATE spans.

Dates in the reference list and page boilerplate are dropped: SCHEMA.md does
not report them (``Received: 3 March 2019``, a cited paper's year)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.dates import find_dates
from .base import Found, ensure_extensions, write_mentions, doc_text
from .sections import section_of, sections_of

_SKIP_SECTIONS = frozenset({"references", "boilerplate"})


class DatesComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        found = find_dates(doc_text(doc))
        if found:
            sections = sections_of(doc)
            found = [f for f in found if section_of(doc, f[0], sections) not in _SKIP_SECTIONS]
        write_mentions(doc, "DATE", (Found(s, e, a) for s, e, a in found))
        return doc


@Language.factory("case_dates", assigns=["doc.spans"], requires=["doc._.sections"], default_config={})
def make_dates(nlp: Language, name: str) -> DatesComponent:
    return DatesComponent(nlp, name)
