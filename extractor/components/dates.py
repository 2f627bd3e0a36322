"""``case_dates``: DATE mentions -> the doc's DATE spans.

The sections tell ``find_dates`` which dates to drop (reference list, page
boilerplate: SCHEMA.md does not report them) and which may not anchor the
patient's relative dates (the literature)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.dates import find_dates
from .base import Found, doc_text, ensure_extensions, write_mentions
from .sections import section_of, sections_of


class DatesComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        sections = sections_of(doc)
        found = find_dates(doc_text(doc), section_at=lambda offset: section_of(doc, offset, sections))
        write_mentions(doc, "DATE", (Found(s, e, a) for s, e, a in found))
        return doc


@Language.factory("case_dates", assigns=["doc.spans"], requires=["doc._.sections"], default_config={})
def make_dates(nlp: Language, name: str) -> DatesComponent:
    return DatesComponent(nlp, name)
