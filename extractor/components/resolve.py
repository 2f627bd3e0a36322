"""``case_resolve``: make mentions flat across families (SCHEMA.md: they never overlap).

Of overlapping mentions the longer wins; on equal length the family listed
first in ``priority`` wins (a stage code beats a biomarker reading of it).
"""
from __future__ import annotations

import bisect
from typing import List

from spacy.language import Language
from spacy.tokens import Doc

from ..patterns import load_context_rules as context_rules
from ..records import SPAN_KEYS
from .base import doc_text, ensure_extensions, family_mentions, set_family_mentions

DEFAULT_PRIORITY = ["STAGE", "SURVIVAL", "BIOMARKER", "DRUG", "PROCEDURE", "DATE"]


#: (winner, loser): the winner takes an overlap whatever the lengths. SCHEMA.md:
#: a time phrase saying how long the patient lived is SURVIVAL, not a DATE.
DOMINATES = (("SURVIVAL", "DATE"),)


def resolve_overlaps(items: List[tuple], priority: List[str]) -> List[tuple]:
    """``items`` are (start, end, label, payload); returns the kept ones in text order."""
    for winner, loser in DOMINATES:
        strong = sorted((it[0], it[1]) for it in items if it[2] == winner)
        if strong:
            s_starts = [a for a, _ in strong]

            def overlapped(it, strong=strong, s_starts=s_starts):
                i = bisect.bisect_left(s_starts, it[1])  # strong spans starting before it ends
                return any(strong[j][1] > it[0] for j in range(max(0, i - 3), i))

            items = [it for it in items if it[2] != loser or not overlapped(it)]
    rank = {label: i for i, label in enumerate(priority)}
    ordered = sorted(items, key=lambda it: (-(it[1] - it[0]), rank.get(it[2], 99), it[0]))
    kept: List[tuple] = []
    starts: List[int] = []  # taken spans, sorted and disjoint: two neighbours to check
    ends: List[int] = []
    for it in ordered:
        i = bisect.bisect_left(starts, it[0])
        if i < len(starts) and starts[i] < it[1]:
            continue
        if i > 0 and ends[i - 1] > it[0]:
            continue
        starts.insert(i, it[0])
        ends.insert(i, it[1])
        kept.append(it)
    return sorted(kept, key=lambda it: it[0])


def trim_drug_led_procedures(procedures: List[dict], drugs: List[dict], text: str) -> List[dict]:
    """A procedure phrase made of a drug name and an abbreviation is the drug's
    formulation, not a procedure (``octreotide LAR``: long-acting release, not a low
    anterior resection): it is dropped and the drug stays."""
    if not drugs or not procedures:
        return procedures
    abbreviation = context_rules("resolve.jsonl")["drug-abbreviation"].rx
    starts = {d["_start"]: d["_end"] for d in drugs}
    out = []
    for p in procedures:
        end_of_drug = starts.get(p["_start"])
        if end_of_drug is None or end_of_drug >= p["_end"]:
            out.append(p)
            continue
        if abbreviation.fullmatch(text[end_of_drug:p["_end"]]):
            continue
        out.append(p)
    return out


class ResolveComponent:
    def __init__(self, nlp: Language, name: str, priority: List[str]):
        ensure_extensions()
        self.name = name
        self.priority = list(priority)

    def __call__(self, doc: Doc) -> Doc:
        set_family_mentions(doc, "PROCEDURE", trim_drug_led_procedures(
            family_mentions(doc, "PROCEDURE"), family_mentions(doc, "DRUG"), doc_text(doc)))
        items = [(d["_start"], d["_end"], label, i)
                 for label in SPAN_KEYS for i, d in enumerate(family_mentions(doc, label))]
        kept = {(it[2], it[3]) for it in resolve_overlaps(items, self.priority)}
        for label in SPAN_KEYS:
            current = family_mentions(doc, label)
            set_family_mentions(doc, label, [d for i, d in enumerate(current) if (label, i) in kept])
        return doc


@Language.factory("case_resolve", assigns=["doc.spans"], default_config={"priority": DEFAULT_PRIORITY})
def make_resolve(nlp: Language, name: str, priority: List[str]) -> ResolveComponent:
    return ResolveComponent(nlp, name, priority)
