"""``case_survival``: SURVIVAL mentions -> ``doc.spans["case_survival"]``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.survival import find_survival
from .base import Found, ensure_extensions, write_mentions


class SurvivalComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        write_mentions(doc, "SURVIVAL", (Found(s, e, a) for s, e, a in find_survival(doc.text)))
        return doc


@Language.factory("case_survival", assigns=["doc.spans"], default_config={})
def make_survival(nlp: Language, name: str) -> SurvivalComponent:
    return SurvivalComponent(nlp, name)
