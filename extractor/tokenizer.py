"""The repairing tokenizer: OCR/PDF repair first, then scispacy's tokenizer.

``nlp("raw text")`` therefore reads the repaired copy, and the Doc keeps the
original text and the clean->original offset map in ``doc.user_data`` (plain
lists and strings, so Docs survive ``nlp.pipe(n_process=...)``).
"""
from __future__ import annotations

import spacy
from spacy.tokens import Doc

from .text import REPAIR_KEY, repair



class RepairingTokenizer:
    """Wraps a spaCy tokenizer; serialises as the tokenizer it wraps."""

    def __init__(self, inner, do_repair: bool = True):
        self.inner = inner
        self.do_repair = do_repair

    def __call__(self, text: str) -> Doc:
        if not self.do_repair:
            return self.inner(text)
        fixed = repair(text)
        doc = self.inner(fixed.clean)
        doc.user_data["extractor_text"] = fixed.clean  # see components.base.doc_text
        if fixed.clean != text or len(fixed.segments) > 1:
            doc.user_data[REPAIR_KEY] = {"original": text,
                                         "segments": [list(s) for s in fixed.segments]}
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # serialisation delegates to the wrapped tokenizer
    def to_bytes(self, **kwargs):
        return self.inner.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self.inner.from_bytes(data, **kwargs)
        return self

    def to_disk(self, path, **kwargs):
        self.inner.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs):
        self.inner.from_disk(path, **kwargs)
        return self


@spacy.registry.tokenizers("extractor.repairing_tokenizer.v1")
def create_repairing_tokenizer(repair_text: bool = True):
    """Config entry: ``[nlp.tokenizer] @tokenizers = "extractor.repairing_tokenizer.v1"``."""

    def make(nlp):
        from scispacy.custom_tokenizer import combined_rule_tokenizer

        # scispacy reads nlp.tokenizer, which does not exist yet while a config builds
        # the Language: give it a throwaway blank pipeline sharing the vocab
        return RepairingTokenizer(combined_rule_tokenizer(spacy.blank("en", vocab=nlp.vocab)),
                                  do_repair=repair_text)

    return make
