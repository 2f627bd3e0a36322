"""The trained NER model (``extractor/_model``) inside the extractor pipeline.

The model only *proposes*: its MACCROBAT entities go to ``doc.spans["case_ner"]``.
A Medication candidate becomes a DRUG mention, a Therapeutic_procedure or
Diagnostic_procedure candidate a PROCEDURE mention, only when

- the family's normaliser accepts its text (lexicons and class-word lists still
  decide what a drug or a procedure is),
- no rule mention of any family overlaps it (rules win where both fire), and
- the family's own finder does not find it on its own: a name the rules know
  but left out in context was left out on purpose (a citation, a tracer, a
  reference list), so the model fills vocabulary gaps (misspellings, forms only
  the normaliser's fuzzy lookup reaches) and never overrides a context decision.

A DRUG candidate the normaliser does not know at all is *vouched for* by the
model (``vouch_drug``): one word, not an acronym, not a stop or class word, is
taken as a misspelling of a lexicon name one edit further than the rules allow,
or else as a new drug name when it is not an English word (nor a damaged one),
no other family claims it, and its letters look like a drug name
(``extractor.novel_names``, a character n-gram classifier trained on our own
lexicons). This is what the model is for: names no lexicon lists.

Rules-only stays the default: ``extractor.load()``.

    nlp = extractor.load(use_model=True)   # calls add_model, then add_model_post
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

MODEL_DIR = Path(__file__).resolve().parent / "_model"
#: doc.spans key of the model's raw entities (all MACCROBAT labels it knows)
NER_KEY = "case_ner"
NER_PIPE = "case_ner_model"
SPANS_PIPE = "case_ner_spans"
POST_PIPE = "case_model_mentions"

#: model label -> extractor label whose normaliser may accept the candidate
CANDIDATE_LABELS: Dict[str, str] = {
    "Medication": "DRUG",
    "Therapeutic_procedure": "PROCEDURE",
    "Diagnostic_procedure": "PROCEDURE",
}

#: characters trimmed off a candidate's edges before it is judged
_EDGE_CHARS = " \t\n,;:.()[]{}\"'"

Normaliser = Callable[[str], Optional[dict]]
Finder = Callable[[str], list]


def model_available(model_dir: Optional[Path] = None) -> bool:
    """True when a trained pipeline is installed at ``model_dir`` (default: the shipped one)."""
    path = Path(model_dir) if model_dir else MODEL_DIR
    return (path / "meta.json").exists() and (path / "ner").is_dir()


def _reject(text: str) -> Optional[dict]:
    return None


@lru_cache(maxsize=None)
def family_normaliser(label: str) -> Normaliser:
    """The family normaliser that accepts a candidate (``dict`` of attrs) or rejects it (None).

    While a family has no normaliser yet, every candidate of it is rejected."""
    try:
        if label == "DRUG":
            from .normalize.drugs import normalise_drug as fn
        elif label == "PROCEDURE":
            from .normalize.procedures import normalise_procedure as fn
        else:
            return _reject
    except ImportError:
        return _reject
    return fn


@lru_cache(maxsize=None)
def family_finder(label: str) -> Finder:
    """The family's rule finder ``find_<family>(text) -> [(start, end, attrs)]`` (none: finds nothing)."""
    try:
        if label == "DRUG":
            from .normalize.drugs import find_drugs as fn
        elif label == "PROCEDURE":
            from .normalize.procedures import find_procedures as fn
        else:
            return _find_nothing
    except ImportError:
        return _find_nothing
    return fn


def _find_nothing(text: str) -> list:
    return []


@lru_cache(maxsize=None)
def family_voucher(label: str) -> Normaliser:
    """What a family accepts on the model's word alone (only DRUG has one: ``vouch_drug``)."""
    return vouch_drug if label == "DRUG" else _reject


#: one word, not an acronym, 6+ letters: ``Chlorphenamine``, ``sotorasib`` (not ``MTC``, ``GH``)
_NOVEL_WORD = re.compile(r"^[A-Za-z][a-z]{5,}$")


def _english_or_damaged(word: str) -> bool:
    """An English word, or an OCR-damaged one (``iftcrease``): never a new drug."""
    from .text import english_words, vocabulary

    english = english_words()
    if word in english:
        return True

    fixed = vocabulary().correct(word)
    return bool(fixed) and fixed in english


def _claimed_elsewhere(word: str) -> bool:
    """Another family's finder reads the word (a marker such as ``chromogranin``)."""
    from .normalize.biomarkers import find_biomarkers
    from .normalize.procedures import find_procedures

    return bool(find_biomarkers(word) or find_procedures(word))


@lru_cache(maxsize=20000)
def vouch_drug(surface: str) -> Optional[dict]:
    """Attributes of a medication candidate that no drug lexicon lists, or None.

    A misspelling one edit further than the rules' fuzzy lookup allows gets the
    lexicon entry (``match: model-fuzzy``); a new name gets itself, lower-case
    (``match: model``)."""
    from .normalize.drugs import fuzzy_lookup, key, lexicon_kind, normalise_drug
    from .novel_names import looks_like_drug

    word = surface.strip()
    if not _NOVEL_WORD.match(word):
        return None
    k = key(word)
    if lexicon_kind(k) is not None:  # a stop or class word (a known drug never reaches here)
        return None
    hit = fuzzy_lookup(k, slack=1)
    if hit:
        attrs = normalise_drug(hit)
        if attrs:
            attrs["match"] = "model-fuzzy"
            return attrs
        return None
    if _english_or_damaged(k) or _claimed_elsewhere(word) or not looks_like_drug(k):
        return None
    # (a word with an INN stem never gets here: the normaliser's stem lookup took it)
    return {"name": k, "match": "model"}


def rules_know(finder: Finder, candidate: str) -> bool:
    """Does the rule finder, given the candidate alone, find a mention covering most of it?"""
    return any((e - s) * 2 >= len(candidate) for s, e, *_ in finder(candidate))


def trim(text: str, start: int, end: int) -> Tuple[int, int]:
    """``[start, end)`` without surrounding spaces and punctuation (unbalanced brackets too)."""
    while start < end and text[start] in _EDGE_CHARS:
        if text[start] == "(" and ")" in text[start:end]:
            break
        start += 1
    while end > start and text[end - 1] in _EDGE_CHARS:
        if text[end - 1] == ")" and "(" in text[start:end - 1]:
            break
        end -= 1
    return start, end


def accept_candidates(text: str, candidates: Iterable[Tuple[int, int, str]],
                      taken: Sequence[Tuple[int, int]],
                      normalisers: Optional[Dict[str, Normaliser]] = None,
                      finders: Optional[Dict[str, Finder]] = None,
                      vouchers: Optional[Dict[str, Normaliser]] = None) -> Dict[str, List[Tuple[int, int, dict]]]:
    """Model candidates ``(start, end, model_label)`` over ``text`` -> accepted mentions by label.

    A candidate is kept when it maps to a family, overlaps none of the ``taken``
    spans (rule mentions, and candidates accepted before it), and either its
    family's normaliser returns attributes for its text and the family's finder
    does not find that text by itself, or the normaliser does not know it and the
    family's voucher accepts it (see the module docstring). ``vouchers`` replaces
    the default vouchers (``{}``: none)."""
    normalisers = normalisers or {}
    finders = finders or {}
    busy = sorted(taken)
    out: Dict[str, List[Tuple[int, int, dict]]] = {}
    for start, end, model_label in sorted(candidates):
        label = CANDIDATE_LABELS.get(model_label)
        if label is None:
            continue
        start, end = trim(text, start, end)
        if end <= start or any(s < end and start < e for s, e in busy):
            continue
        fn = normalisers.get(label) or family_normaliser(label)
        surface = text[start:end]
        attrs = fn(surface)
        if attrs is None:
            attrs = vouchers.get(label, _reject)(surface) if vouchers is not None else family_voucher(label)(surface)
            if not attrs:
                continue
        elif rules_know(finders.get(label) or family_finder(label), surface):
            continue
        out.setdefault(label, []).append((start, end, dict(attrs)))
        busy.append((start, end))
    return out


@lru_cache(maxsize=4)
def load_model(model_dir: Optional[str] = None):
    """The trained spaCy pipeline (offline, from disk; cached per process)."""
    import spacy

    path = Path(model_dir) if model_dir else MODEL_DIR
    if not model_available(path):
        from .errors import ExtractorError

        raise ExtractorError(f"no trained NER model at {path}; build one with `extractor train` "
                             "(see README) or use the rules-only pipeline")
    return spacy.load(path)


def add_model(nlp, model_dir: Optional[str] = None):
    """Add the trained NER (entities -> ``doc.spans["case_ner"]``) to ``nlp``.

    Call before the family components; ``add_model_post`` adds the step that turns
    accepted candidates into mentions and must come after them."""
    from .components import ner  # noqa: F401  (registers the factories)

    if NER_PIPE not in nlp.pipe_names:
        source = load_model(str(model_dir) if model_dir else None)
        nlp.add_pipe("ner", name=NER_PIPE, source=source)
    if SPANS_PIPE not in nlp.pipe_names:
        nlp.add_pipe(SPANS_PIPE, after=NER_PIPE)
    return nlp


def add_model_post(nlp):
    """Add ``case_model_mentions`` after the family components (before attribution)."""
    from .components import ner  # noqa: F401

    if POST_PIPE in nlp.pipe_names:
        return nlp
    if "case_attribution" in nlp.pipe_names:
        nlp.add_pipe(POST_PIPE, before="case_attribution")
    else:
        nlp.add_pipe(POST_PIPE)
    return nlp
