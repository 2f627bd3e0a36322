"""``case_dates``: DATE mentions -> ``doc.spans["case_dates"]``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.dates import find_dates
from .base import Found, ensure_extensions, write_mentions


class DatesComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        write_mentions(doc, "DATE", (Found(s, e, a) for s, e, a in find_dates(doc.text)))
        return doc


@Language.factory("case_dates", assigns=["doc.spans"], default_config={})
def make_dates(nlp: Language, name: str) -> DatesComponent:
    return DatesComponent(nlp, name)
