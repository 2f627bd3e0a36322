"""Shared plumbing for the family components: extensions, spans and offsets.

A family component finds mentions as ``Found(start, end, attrs)`` in the
repaired text (``doc.text``) and calls ``write_mentions``. Each family has one
Span extension (``span._.case_stage`` ...) holding a plain dict (msgpack-able,
so ``nlp.pipe(n_process=2)`` works): the exact character offsets in ``doc.text``
under ``"_start"``/``"_end"`` and the SCHEMA.md attributes plus extra columns.
"""
from __future__ import annotations

from typing import Dict, Iterable, List, NamedTuple, Optional

from spacy.tokens import Doc, Span

from ..records import SPAN_KEYS
from ..text import RepairedText, identity, segments_from_list

from ..text import REPAIR_KEY


class Found(NamedTuple):
    """A mention found in ``doc.text``: half-open character offsets and attributes."""

    start: int
    end: int
    attrs: Dict


def ensure_extensions() -> None:
    """Register the Doc/Span extensions once per process (idempotent)."""
    for key in SPAN_KEYS.values():
        if not Span.has_extension(key):
            Span.set_extension(key, default=None)
    if not Doc.has_extension("original_text"):
        Doc.set_extension("original_text", getter=lambda doc: repair_map(doc).original)
    if not Doc.has_extension("sections"):
        Doc.set_extension("sections", default=None)


def repair_map(doc: Doc) -> RepairedText:
    """The clean->original offset map stored by the repairing tokenizer (identity if none)."""
    data = doc.user_data.get(REPAIR_KEY)
    if not data:
        return identity(doc.text)
    return segments_from_list(data["original"], doc.text, data["segments"])


def span_for(doc: Doc, start: int, end: int, label: str) -> Optional[Span]:
    """A token-aligned span covering ``[start, end)`` (expanded to token edges)."""
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def write_mentions(doc: Doc, label: str, found: Iterable[Found]) -> List[Span]:
    """Store ``found`` as ``doc.spans[SPAN_KEYS[label]]`` with their attribute dicts."""
    key = SPAN_KEYS[label]
    spans = []
    seen = set()
    for item in sorted(found, key=lambda f: (f.start, -f.end)):
        if item.end <= item.start or (item.start, item.end) in seen:
            continue
        span = span_for(doc, item.start, item.end, label)
        if span is None:
            continue
        seen.add((item.start, item.end))
        data = dict(item.attrs)
        data["_start"], data["_end"] = item.start, item.end
        span._.set(key, data)
        spans.append(span)
    existing = list(doc.spans[key]) if key in doc.spans else []
    doc.spans[key] = existing + spans
    return spans


def mention_data(span: Span) -> Dict:
    """The attribute dict of a family span, with exact offsets (fallback: token edges)."""
    key = SPAN_KEYS[span.label_]
    data = span._.get(key) or {}
    if "_start" not in data:
        data = dict(data, _start=span.start_char, _end=span.end_char)
    return data


def all_mention_spans(doc: Doc) -> List[Span]:
    """Every family span of the doc, in text order."""
    spans: List[Span] = []
    for key in SPAN_KEYS.values():
        if key in doc.spans:
            spans.extend(doc.spans[key])
    return sorted(spans, key=lambda s: (mention_data(s)["_start"], -mention_data(s)["_end"]))
