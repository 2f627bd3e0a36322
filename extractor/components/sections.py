"""``case_sections``: case-report sections, on the ORIGINAL text's offsets.

Sections are found on the original text (headings are lines, and captions are
where the PDF put them) and stored as plain dicts in ``doc._.sections``; other
components ask ``section_of(doc, clean_offset)``.
"""
from __future__ import annotations

from typing import List

from spacy.language import Language
from spacy.tokens import Doc

from ..records import Section
from ..sections import UNREPORTED_SECTIONS, SectionList, find_sections, section_at
from .base import ensure_extensions, repair_map


def sections_of(doc: Doc) -> List[Section]:
    data = doc._.sections
    if data is None:
        return find_sections(repair_map(doc).original)
    return SectionList(Section(**d) for d in data)


def section_of(doc: Doc, clean_offset: int, sections: List[Section] = None) -> str:
    """Section name at a position of ``doc.text``."""
    original = repair_map(doc).orig_start(clean_offset)
    return section_at(sections if sections is not None else sections_of(doc), original)


def reported_only(doc: Doc, found: List[tuple]) -> List[tuple]:
    """``(start, end, ...)`` items of ``doc.text`` outside references and boilerplate."""
    if not found:
        return found
    sections = sections_of(doc)
    return [f for f in found if section_of(doc, f[0], sections) not in UNREPORTED_SECTIONS]


class SectionsComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.sections = [s.__dict__.copy() for s in find_sections(repair_map(doc).original)]
        return doc


@Language.factory("case_sections", assigns=["doc._.sections"], default_config={})
def make_sections(nlp: Language, name: str) -> SectionsComponent:
    return SectionsComponent(nlp, name)
