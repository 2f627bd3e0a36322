"""The patient's timeline: PROCEDURE, DRUG and STAGE mentions linked to their DATE.

An event is linked to the DATE that positions it in its sentence:

1. a date written right after it in the same clause (``left ovariectomy in August
   2017``, ``splenectomy 17 months after his previous cancer surgery``): no clause
   break (``,`` ``;`` ``:``) between the event and that date;
2. else the nearest date before it in the sentence (``In August 2017, laparoscopic
   exploration revealed ... and metastases were removed``);
3. else the narrative's current time point: the last date with a value earlier in
   its paragraph (``date_source`` says which rule linked it).

A date later in the sentence behind a clause break is not taken: in ``during the
initial surgery, ..., and found metastases 2 years later`` it positions the
metastases, not the surgery.

Rows (one per dated event, SCHEMA.md) are ordered by the linked date's ISO value;
an event whose DATE has no value (an unresolved relative phrase such as ``Two weeks
later``) keeps its place in the text, that is it sorts with the last valued event
before it. ``include_undated=True`` adds the patient's events that no DATE
positions, in the same way. Comparing ISO strings of
mixed precision orders ``2017`` before ``2017-08``, which is what a reader expects.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import List, Optional, Sequence

from .patterns import load_context_rules as context_rules
from .records import Mention, Result, TimelineEvent
from .sections import section_at
from .sentences import sentence_bounds

EVENT_LABELS = ("PROCEDURE", "DRUG", "STAGE")
#: how far after an event a following date may sit and still be its own (characters)
_MAX_GAP = 120


def link_date(event: Mention, dates: Sequence[Mention], text: str) -> Optional[Mention]:
    """The DATE of ``dates`` (same sentence as ``event``) that positions it, or None."""
    after = [d for d in dates if d.start >= event.end]
    before = [d for d in dates if d.end <= event.start]
    if after:
        first = min(after, key=lambda d: d.start)
        gap = text[event.end:first.start]
        if len(gap) <= _MAX_GAP and not _rx("clause-break").search(gap):
            return first
    if before:
        return max(before, key=lambda d: d.end)
    return None


def _rx(rule_id: str) -> "re.Pattern[str]":
    """A compiled rule of ``patterns/timeline.jsonl``."""
    return context_rules("timeline.jsonl")[rule_id].rx


@lru_cache(maxsize=1)
def _not_narrative() -> frozenset:
    """Sections whose events are not placed by the narrative's running date."""
    return frozenset(context_rules("timeline.jsonl")["not-narrative"].words)


def _narrative_date(event: Mention, valued: Sequence[Mention], valued_ends: List[int],
                    paragraph_breaks: List[int], text_before=lambda m: "") -> Optional[Mention]:
    """The narrative's current time point: the last dated mention (with a value)
    earlier in the event's paragraph (``In October 2015, she underwent ... This
    was followed by six rounds of XELOX``: the XELOX is positioned by October 2015)."""
    if _rx("past-reference").search(text_before(event)):
        return None  # ``follow-ups after pelvic exenteration`` names a past event, it does not happen now
    i = bisect.bisect_right(valued_ends, event.start) - 1
    if i < 0:
        return None
    date = valued[i]
    para_start = paragraph_breaks[bisect.bisect_right(paragraph_breaks, event.start) - 1] \
        if paragraph_breaks and paragraph_breaks[0] <= event.start else 0
    return date if date.start >= para_start else None


def timeline_for(result: Result, include_undated: bool = False) -> List[TimelineEvent]:
    """Every PROCEDURE, DRUG and STAGE mention of the patient with the DATE that
    positions it, in date order (undated events keep their order in the text)."""
    events = sorted((m for m in result.mentions
                     if m.label in EVENT_LABELS and getattr(m, "patient", None) is True),
                    key=lambda m: (m.start, m.end))
    if not events:
        return []
    text = result.text
    bounds = sentence_bounds(text)
    starts = [b[0] for b in bounds]

    def sentence(offset: int) -> int:
        return max(bisect.bisect_right(starts, offset) - 1, 0)

    by_sentence: dict = {}
    for d in sorted(result.dates, key=lambda m: m.start):
        by_sentence.setdefault(sentence(d.start), []).append(d)

    paragraph_breaks = [m.end() for m in _rx("paragraph-break").finditer(text)]
    sections = result.sections or []
    not_narrative = _not_narrative()

    def narrative(m: Mention) -> bool:  # the case narrative, not literature or a caption
        return not sections or section_at(sections, m.start) not in not_narrative

    valued = [d for d in sorted(result.dates, key=lambda m: m.end) if d.value and narrative(d)]
    valued_ends = [d.end for d in valued]
    rows = []
    last_key = ""
    for order, event in enumerate(events):
        date = link_date(event, by_sentence.get(sentence(event.start), ()), text)
        source = "sentence"
        if date is None and narrative(event):
            date = _narrative_date(event, valued, valued_ends, paragraph_breaks,
                                   text_before=lambda m: text[max(0, m.start - 40):m.start])
            source = "paragraph"
        if date is None and not include_undated:
            continue
        value = getattr(date, "value", None) if date is not None else None
        if value:
            last_key = value
        rows.append(((last_key, order), TimelineEvent(
            date=value, event_label=event.label, event_text=event.text, event_start=event.start,
            date_text=date.text if date is not None else None,
            date_start=date.start if date is not None else None,
            date_source=source if date is not None else None)))
    rows.sort(key=lambda r: r[0])
    return [row for _, row in rows]
