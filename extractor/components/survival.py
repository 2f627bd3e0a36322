"""``case_survival``: SURVIVAL mentions -> the doc's mentions (and ``doc.spans["case_survival"]``).

SCHEMA.md's SURVIVAL-or-DATE rule: a time phrase saying how long the patient
lived or stayed free of disease is SURVIVAL, not a relative DATE. The DATE
family may already have read ``Ten months after surgery, the patient is alive``
as a longer DATE, which would win the overlap resolution on length; with
``claim_dates`` (default) a survival figure removes the DATE mentions it overlaps.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.survival import find_survival
from .base import Found, doc_text, ensure_extensions, family_mentions, set_family_mentions, write_mentions
from .sections import reported_only



class SurvivalComponent:
    def __init__(self, nlp: Language, name: str, claim_dates: bool = True):
        ensure_extensions()
        self.name = name
        self.claim_dates = claim_dates

    def __call__(self, doc: Doc) -> Doc:
        found = reported_only(doc, find_survival(doc_text(doc)))
        if found and self.claim_dates:
            dates = family_mentions(doc, "DATE")
            kept = [d for d in dates if not any(s < d["_end"] and d["_start"] < e for s, e, _ in found)]
            if len(kept) != len(dates):
                set_family_mentions(doc, "DATE", kept)
        write_mentions(doc, "SURVIVAL", (Found(s, e, a) for s, e, a in found))
        return doc


@Language.factory("case_survival", assigns=["doc.spans"], default_config={"claim_dates": True})
def make_survival(nlp: Language, name: str, claim_dates: bool) -> SurvivalComponent:
    return SurvivalComponent(nlp, name, claim_dates)
