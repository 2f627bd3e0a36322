"""``case_stage``: TNM codes, stage groups, residual tumour -> ``doc.spans["case_stage"]``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.stage import find_stages
from .base import Found, ensure_extensions, write_mentions, doc_text


class StageComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        write_mentions(doc, "STAGE", (Found(s, e, a) for s, e, a in find_stages(doc_text(doc))))
        return doc


@Language.factory("case_stage", assigns=["doc.spans"], default_config={})
def make_stage(nlp: Language, name: str) -> StageComponent:
    return StageComponent(nlp, name)
