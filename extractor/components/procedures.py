"""``case_procedures``: PROCEDURE mentions -> ``doc.spans["case_procedures"]``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.procedures import find_procedures
from .base import Found, ensure_extensions, write_mentions


class ProceduresComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        write_mentions(doc, "PROCEDURE", (Found(s, e, a) for s, e, a in find_procedures(doc.text)))
        return doc


@Language.factory("case_procedures", assigns=["doc.spans"], default_config={})
def make_procedures(nlp: Language, name: str) -> ProceduresComponent:
    return ProceduresComponent(nlp, name)
