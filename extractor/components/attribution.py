"""``case_attribution``: sets ``patient`` on STAGE, DRUG, PROCEDURE and SURVIVAL spans."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..attribution import ATTRIBUTED_LABELS, is_patient
from ..sentences import SentenceIndex
from .base import ensure_extensions, family_mentions
from .sections import section_of, sections_of


class AttributionComponent:
    def __init__(self, nlp: Language, name: str, overwrite: bool = False):
        ensure_extensions()
        self.name = name
        self.overwrite = overwrite

    def __call__(self, doc: Doc) -> Doc:
        sentences = None
        sections = sections_of(doc)
        for label in ATTRIBUTED_LABELS:
            for data in family_mentions(doc, label):  # mutable dicts: set in place
                if data.get("patient") is not None and not self.overwrite:
                    continue
                if sentences is None:
                    sentences = SentenceIndex(doc.text)
                s_start, s_end = sentences.around(data["_start"])
                sentence = doc.text[s_start:s_end]
                data["patient"] = is_patient(section_of(doc, data["_start"], sections), sentence,
                                             data["_start"] - s_start, data["_end"] - s_start)
        return doc


@Language.factory("case_attribution", assigns=["doc.spans"], default_config={"overwrite": False})
def make_attribution(nlp: Language, name: str, overwrite: bool) -> AttributionComponent:
    return AttributionComponent(nlp, name, overwrite)
