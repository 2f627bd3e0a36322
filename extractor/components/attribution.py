"""``case_attribution``: sets ``patient`` on STAGE, DRUG, PROCEDURE and SURVIVAL mentions.

Per document it works out once whether the report is a case series and whether
its literature sections (introduction, discussion) were found; per mention it
passes the section, the sentence (pieces broken at blank lines rejoined), the
label and the attributes to ``extractor.attribution.is_patient``.
"""
from __future__ import annotations

import bisect

from spacy.language import Language
from spacy.tokens import Doc

from ..attribution import ATTRIBUTED_LABELS, is_case_series, is_patient, sentence_spans
from .base import doc_text, ensure_extensions, family_mentions
from .sections import section_of, sections_of

_LITERATURE_NAMES = frozenset({"introduction", "discussion", "conclusion"})


class AttributionComponent:
    def __init__(self, nlp: Language, name: str, overwrite: bool = False):
        ensure_extensions()
        self.name = name
        self.overwrite = overwrite

    def __call__(self, doc: Doc) -> Doc:
        todo = [(label, data) for label in ATTRIBUTED_LABELS for data in family_mentions(doc, label)
                if data.get("patient") is None or self.overwrite]
        if not todo:
            return doc
        text = doc_text(doc)
        sections = sections_of(doc)
        sectioned = any(s.name in _LITERATURE_NAMES for s in sections)
        series = is_case_series(text)
        bounds = sentence_spans(text)
        starts = [b[0] for b in bounds]
        for label, data in todo:  # mutable dicts: set in place
            i = max(bisect.bisect_right(starts, data["_start"]) - 1, 0)
            s_start, s_end = bounds[i]
            data["patient"] = is_patient(section_of(doc, data["_start"], sections), text[s_start:s_end],
                                         data["_start"] - s_start, data["_end"] - s_start, label=label,
                                         attrs=data, series=series, sectioned=sectioned)
        return doc


@Language.factory("case_attribution", assigns=["doc.spans"], default_config={"overwrite": False})
def make_attribution(nlp: Language, name: str, overwrite: bool) -> AttributionComponent:
    return AttributionComponent(nlp, name, overwrite)
