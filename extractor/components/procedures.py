"""``case_procedures``: PROCEDURE mentions -> ``doc.spans["case_procedures"]``.

Only wiring: ``extractor.normalize.procedures.find_procedures`` finds the mentions
in the repaired text; reference lists and page boilerplate are skipped
(SCHEMA.md: they are not annotated).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.procedures import find_procedures
from .base import Found, doc_text, ensure_extensions, write_mentions
from .sections import reported_only



class ProceduresComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        found = reported_only(doc, find_procedures(doc_text(doc)))
        write_mentions(doc, "PROCEDURE", (Found(s, e, a) for s, e, a in found))
        return doc


@Language.factory("case_procedures", assigns=["doc.spans"], default_config={})
def make_procedures(nlp: Language, name: str) -> ProceduresComponent:
    return ProceduresComponent(nlp, name)
