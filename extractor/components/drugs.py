"""``case_drugs``: DRUG mentions -> ``doc.spans["case_drugs"]``.

Only wiring: ``extractor.normalize.drugs.find_drugs`` finds and normalises the
mentions in the repaired text; reference lists and page boilerplate are skipped
(SCHEMA.md: they are not annotated).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.drugs import find_drugs
from .base import Found, doc_text, ensure_extensions, write_mentions
from .sections import reported_only



class DrugsComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        found = reported_only(doc, find_drugs(doc_text(doc)))
        write_mentions(doc, "DRUG", (Found(s, e, a) for s, e, a in found))
        return doc


@Language.factory("case_drugs", assigns=["doc.spans"], default_config={})
def make_drugs(nlp: Language, name: str) -> DrugsComponent:
    return DrugsComponent(nlp, name)
