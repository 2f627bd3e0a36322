"""Docs -> typed results with offsets into the ORIGINAL text."""
from __future__ import annotations

from typing import List

from spacy.tokens import Doc

from .components.base import all_mentions, repair_map
from .components.sections import sections_of
from .records import Mention, Result, make_record


def mentions_from_doc(doc: Doc) -> List[Mention]:
    """Every family mention of ``doc`` as a typed record; ``text`` slices the original."""
    fixed = repair_map(doc)
    original = fixed.original
    out: List[Mention] = []
    seen = set()
    for label, data in all_mentions(doc):
        start, end = fixed.to_original(data["_start"], data["_end"])
        # never start or end on whitespace in the original
        while start < end and original[start].isspace():
            start += 1
        while end > start and original[end - 1].isspace():
            end -= 1
        if end <= start or (label, start, end) in seen:
            continue
        seen.add((label, start, end))
        attrs = {k: v for k, v in data.items() if not k.startswith("_")}
        out.append(make_record(label, start, end, original[start:end], attrs))
    return sorted(out, key=lambda m: (m.start, m.end))


def result_from_doc(doc: Doc, doc_id: str = "") -> Result:
    from .summary import summarise
    from .timeline import timeline_for

    mentions = mentions_from_doc(doc)
    original = repair_map(doc).original
    result = Result(doc_id=doc_id, text=original, mentions=mentions, sections=sections_of(doc))
    result.timeline = timeline_for(result)
    result.summary = summarise(result)
    return result
