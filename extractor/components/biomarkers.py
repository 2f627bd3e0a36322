"""``case_biomarkers``: BIOMARKER mentions -> ``doc.spans["case_biomarkers"]``.

Only wiring: ``find_biomarkers`` does the work on ``doc.text``; mentions inside
reference lists and page boilerplate are dropped (SCHEMA.md: not annotated).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.biomarkers import find_biomarkers
from .base import Found, doc_text, ensure_extensions, write_mentions
from .sections import reported_only



class BiomarkersComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        found = reported_only(doc, find_biomarkers(doc_text(doc)))
        write_mentions(doc, "BIOMARKER", (Found(s, e, a) for s, e, a in found))
        return doc


@Language.factory("case_biomarkers", assigns=["doc.spans"], default_config={})
def make_biomarkers(nlp: Language, name: str) -> BiomarkersComponent:
    return BiomarkersComponent(nlp, name)
