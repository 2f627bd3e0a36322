"""``case_drugs``: DRUG mentions -> ``doc.spans["case_drugs"]``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.drugs import find_drugs
from .base import Found, ensure_extensions, write_mentions


class DrugsComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        write_mentions(doc, "DRUG", (Found(s, e, a) for s, e, a in find_drugs(doc.text)))
        return doc


@Language.factory("case_drugs", assigns=["doc.spans"], default_config={})
def make_drugs(nlp: Language, name: str) -> DrugsComponent:
    return DrugsComponent(nlp, name)
