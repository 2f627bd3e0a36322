"""Does an unseen word look like a drug name? A character n-gram naive Bayes.

The NER model proposes medication names our lexicons lack (new agents, rare
generics, misspellings the fuzzy lookup cannot reach). Whether such a word is a
drug is judged by its *shape*: INN names are built from stems and endings
(``-tinib``, ``-pril``, ``-azole``, ``-amine``, ``-mycin``) that ordinary and
clinical words rarely share. The classifier learns that shape from our own
lexicons, so it needs no extra download and follows every lexicon change:

- drug names: every single-word key of the drug lexicon (``patterns/drugs*.csv``);
- other words: general English (``patterns/ocr_vocab_english.txt``) and the
  clinical vocabulary (``patterns/ocr_vocab_clinical.txt``), minus drug names.

Class priors are equal: the classifier only sees words a model already marked as
medications and that are not English words, so the base rate of the training
lists says nothing about them. ``benchmarks/novel_names_eval.py`` measures it on
drug names held out of training.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import FrozenSet, Iterable, Tuple

#: n-gram sizes over ``^word$``
_SIZES = (2, 3, 4, 5)
_ALPHA = re.compile(r"^[a-z]{4,}$")
#: a word must score above this log-odds (summed over its n-grams, averaged) to pass
DEFAULT_THRESHOLD = 0.5


def ngrams(word: str) -> Iterable[str]:
    padded = f"^{word}$"
    for n in _SIZES:
        for i in range(len(padded) - n + 1):
            yield padded[i:i + n]


class NameShape:
    """Log-odds (drug vs other word) of a lower-case word from its character n-grams."""

    def __init__(self, positives: Iterable[str], negatives: Iterable[str]):
        pos, neg = Counter(), Counter()
        for w in positives:
            pos.update(ngrams(w))
        for w in negatives:
            neg.update(ngrams(w))
        self._pos_total = sum(pos.values())
        self._neg_total = sum(neg.values())
        self._vocab = len(set(pos) | set(neg))
        self._pos, self._neg = pos, neg

    def score(self, word: str) -> float:
        """Mean per-n-gram log-likelihood ratio, add-one smoothed (> 0: drug-like)."""
        grams = list(ngrams(word.lower()))
        if not grams:
            return float("-inf")
        p_den = self._pos_total + self._vocab
        n_den = self._neg_total + self._vocab
        total = 0.0
        for g in grams:
            total += math.log((self._pos[g] + 1) / p_den) - math.log((self._neg[g] + 1) / n_den)
        return total / len(grams)


def training_words(exclude: FrozenSet[str] = frozenset()) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """(drug names, other words) from the project's lexicons; ``exclude`` leaves names out
    (held-out evaluation, lexicon ablation)."""
    from .normalize.drugs import drug_keys
    from .patterns import load_words

    drugs = {k for k in drug_keys() if _ALPHA.match(k)} - exclude
    others = set()
    for name in ("ocr_vocab_english.txt", "ocr_vocab_clinical.txt"):
        others.update(w.lower() for w in load_words(name) if _ALPHA.match(w.lower()))
    others -= drugs
    others -= exclude
    return tuple(sorted(drugs)), tuple(sorted(others))


@lru_cache(maxsize=4)
def name_shape(exclude: FrozenSet[str] = frozenset()) -> NameShape:
    """The classifier trained on the current lexicons (cached; about a second to build)."""
    drugs, others = training_words(exclude)
    return NameShape(drugs, others)


def looks_like_drug(word: str, threshold: float = DEFAULT_THRESHOLD,
                    exclude: FrozenSet[str] = frozenset()) -> bool:
    return name_shape(exclude).score(word) > threshold
