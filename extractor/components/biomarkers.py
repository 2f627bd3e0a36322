"""``case_biomarkers``: BIOMARKER mentions -> ``doc.spans["case_biomarkers"]``.

Only wiring: ``find_biomarkers`` does the work on ``doc.text``; mentions inside
reference lists and page boilerplate are dropped (SCHEMA.md: not annotated).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.biomarkers import find_biomarkers
from ..sections import section_at
from .base import Found, doc_text, ensure_extensions, repair_map, write_mentions
from .sections import sections_of

SKIPPED_SECTIONS = frozenset({"references", "boilerplate"})


class BiomarkersComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        sections = sections_of(doc)
        offsets = repair_map(doc)  # sections are on the original text
        found = (Found(s, e, a) for s, e, a in find_biomarkers(doc_text(doc))
                 if section_at(sections, offsets.orig_start(s)) not in SKIPPED_SECTIONS)
        write_mentions(doc, "BIOMARKER", found)
        return doc


@Language.factory("case_biomarkers", assigns=["doc.spans"], default_config={})
def make_biomarkers(nlp: Language, name: str) -> BiomarkersComponent:
    return BiomarkersComponent(nlp, name)
