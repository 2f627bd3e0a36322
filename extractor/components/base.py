"""Shared plumbing for the family components: extensions, mentions and offsets.

A family component finds mentions as ``Found(start, end, attrs)`` in the
repaired text (``doc.text``) and calls ``write_mentions``. The authoritative
record of each mention is a plain dict in ``doc.user_data`` (msgpack-able, so
``nlp.pipe(n_process=2)`` works) holding its exact character offsets in
``doc.text`` under ``"_start"``/``"_end"`` and its attributes; read and change
them with ``family_mentions(doc, label)``. For spaCy users the same mentions
are also exposed as ``doc.spans["case_<family>"]`` (token-aligned, so two
mentions inside one token, like ``III/IV``, share a span) with one Span
extension per family (``span._.case_stage``) giving the dict.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Dict, Iterable, List, NamedTuple, Optional, Tuple

from spacy.tokens import Doc, Span

from ..records import SPAN_KEYS
from ..text import REPAIR_KEY, RepairedText, identity, segments_from_list

MENTIONS_KEY = "extractor_mentions"
TEXT_KEY = "extractor_text"
SENTS_KEY = "extractor_sentences"


class Found(NamedTuple):
    """A mention found in ``doc.text``: half-open character offsets and attributes."""

    start: int
    end: int
    attrs: Dict


def ensure_extensions() -> None:
    """Register the Doc/Span extensions once per process (idempotent)."""
    for key in SPAN_KEYS.values():
        if not Span.has_extension(key):
            Span.set_extension(key, getter=_span_getter(key))
    if not Doc.has_extension("original_text"):
        Doc.set_extension("original_text", getter=lambda doc: repair_map(doc).original)
    if not Doc.has_extension("sections"):
        Doc.set_extension("sections", default=None)


def _span_getter(key: str):
    label = {v: k for k, v in SPAN_KEYS.items()}[key]

    def get(span: Span) -> Optional[Dict]:
        for data in family_mentions(span.doc, label):
            if span.start_char <= data["_start"] and data["_end"] <= span.end_char:
                return data
        return None

    return get


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc: spaCy rebuilds ``doc.text`` from its
    tokens on every access, which made text access the pipeline's bottleneck."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


def sentence_index(doc: Doc):
    """The doc's sentences (``sentences.SentenceIndex``), split once and cached in user_data."""
    from ..sentences import SentenceIndex, sentence_bounds

    text = doc_text(doc)
    bounds = doc.user_data.get(SENTS_KEY)
    if bounds is None:
        bounds = [list(b) for b in sentence_bounds(text)]
        doc.user_data[SENTS_KEY] = bounds
    return SentenceIndex(text, bounds)


_REPAIR_CACHE: "OrderedDict[int, Tuple[object, RepairedText]]" = OrderedDict()


def repair_map(doc: Doc) -> RepairedText:
    """The clean->original offset map stored by the repairing tokenizer (identity if none).

    Built once per Doc: components ask for it per mention, and rebuilding it
    each time made long documents quadratic. The cache is keyed by the identity
    of the segment list kept in ``doc.user_data`` and holds the last few docs."""
    data = doc.user_data.get(REPAIR_KEY)
    if not data:
        key = id(doc.user_data)
        hit = _REPAIR_CACHE.get(key)
        if hit is not None and hit[0] is doc.user_data and len(hit[1].clean) == len(doc_text(doc)):
            return hit[1]
        fixed = identity(doc_text(doc))
        source = doc.user_data
    else:
        key = id(data["segments"])
        hit = _REPAIR_CACHE.get(key)
        if hit is not None and hit[0] is data["segments"]:
            return hit[1]
        fixed = segments_from_list(data["original"], doc_text(doc), data["segments"])
        source = data["segments"]
    _REPAIR_CACHE[key] = (source, fixed)
    while len(_REPAIR_CACHE) > 8:
        _REPAIR_CACHE.popitem(last=False)
    return fixed


def family_mentions(doc: Doc, label: str) -> List[Dict]:
    """The (mutable) mention dicts of one family, in text order."""
    return doc.user_data.setdefault(MENTIONS_KEY, {}).setdefault(label, [])


def all_mentions(doc: Doc) -> List[Tuple[str, Dict]]:
    """(label, mention dict) of every family, in text order."""
    out = [(label, d) for label, items in doc.user_data.get(MENTIONS_KEY, {}).items() for d in items]
    return sorted(out, key=lambda x: (x[1]["_start"], -x[1]["_end"]))


def write_mentions(doc: Doc, label: str, found: Iterable[Found]) -> List[Dict]:
    """Add ``found`` to the family's mentions (duplicates of an existing span are dropped)."""
    items = family_mentions(doc, label)
    text = doc_text(doc)
    seen = {(d["_start"], d["_end"]) for d in items}
    added = []
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        if f.end <= f.start or f.start < 0 or f.end > len(text) or (f.start, f.end) in seen:
            continue
        seen.add((f.start, f.end))
        data = dict(f.attrs)
        data["_start"], data["_end"] = int(f.start), int(f.end)
        added.append(data)
    items.extend(added)
    items.sort(key=lambda d: (d["_start"], -d["_end"]))
    sync_spans(doc, label)
    return added


def set_family_mentions(doc: Doc, label: str, items: List[Dict]) -> None:
    """Replace a family's mentions (e.g. after overlap resolution)."""
    doc.user_data.setdefault(MENTIONS_KEY, {})[label] = sorted(items, key=lambda d: (d["_start"], -d["_end"]))
    sync_spans(doc, label)


def sync_spans(doc: Doc, label: str) -> None:
    """Rebuild ``doc.spans[key]`` from the family's mention dicts."""
    spans, seen = [], set()
    for d in family_mentions(doc, label):
        span = doc.char_span(d["_start"], d["_end"], label=label, alignment_mode="expand")
        if span is not None and (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            spans.append(span)
    doc.spans[SPAN_KEYS[label]] = spans


def mention_data(span: Span) -> Dict:
    """The mention dict behind a family span (first one inside it)."""
    return span._.get(SPAN_KEYS[span.label_]) or {"_start": span.start_char, "_end": span.end_char}
