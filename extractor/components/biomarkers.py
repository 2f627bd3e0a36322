"""``case_biomarkers``: BIOMARKER mentions -> ``doc.spans["case_biomarkers"]``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.biomarkers import find_biomarkers
from .base import Found, ensure_extensions, write_mentions


class BiomarkersComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        write_mentions(doc, "BIOMARKER", (Found(s, e, a) for s, e, a in find_biomarkers(doc.text)))
        return doc


@Language.factory("case_biomarkers", assigns=["doc.spans"], default_config={})
def make_biomarkers(nlp: Language, name: str) -> BiomarkersComponent:
    return BiomarkersComponent(nlp, name)
