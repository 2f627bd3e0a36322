"""Wiring of the trained NER model: ``case_ner_spans`` and ``case_model_mentions``.

``case_ner_spans`` moves the model's entities from ``doc.ents`` to
``doc.spans["case_ner"]`` (candidates, not mentions). ``case_model_mentions``,
placed after the rule families, writes the candidates the family normalisers
accept and no rule mention overlaps (``extractor.model.accept_candidates``).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..model import NER_KEY, POST_PIPE, SPANS_PIPE, accept_candidates
# the rule families do not report from reference lists and page boilerplate
# (SCHEMA.md: not annotated); model candidates there are dropped too
from ..sections import UNREPORTED_SECTIONS as SKIPPED_SECTIONS
from .base import Found, all_mentions, doc_text, ensure_extensions, write_mentions
from .sections import section_of, sections_of



class NerSpansComponent:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[NER_KEY] = list(doc.ents)
        doc.ents = []
        return doc


class ModelMentionsComponent:
    def __init__(self, nlp: Language, name: str):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if NER_KEY not in doc.spans or not len(doc.spans[NER_KEY]):
            return doc
        taken = [(d["_start"], d["_end"]) for _, d in all_mentions(doc)]
        sections = sections_of(doc)
        candidates = [(s.start_char, s.end_char, s.label_) for s in doc.spans[NER_KEY]
                      if section_of(doc, s.start_char, sections) not in SKIPPED_SECTIONS]
        for label, found in accept_candidates(doc_text(doc), candidates, taken).items():
            write_mentions(doc, label, (Found(s, e, a) for s, e, a in found))
        return doc


@Language.factory(SPANS_PIPE, assigns=["doc.spans"], default_config={})
def make_ner_spans(nlp: Language, name: str) -> NerSpansComponent:
    return NerSpansComponent(nlp, name)


@Language.factory(POST_PIPE, assigns=["doc.spans"], default_config={})
def make_model_mentions(nlp: Language, name: str) -> ModelMentionsComponent:
    return ModelMentionsComponent(nlp, name)
