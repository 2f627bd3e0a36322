"""Builds the extractor's spaCy Language: repairing tokenizer, sections, family
components, attribution and overlap resolution, in that order."""
from __future__ import annotations

from typing import Iterable, Optional

import spacy
from spacy.language import Language

FAMILY_COMPONENTS = ("case_stage", "case_dates", "case_drugs", "case_procedures",
                     "case_biomarkers", "case_survival")
PIPE_NAMES = ("case_sections",) + FAMILY_COMPONENTS + ("case_attribution", "case_resolve")


def build(families: Optional[Iterable[str]] = None, repair_text: bool = True,
          use_model: bool = False) -> Language:
    """A fresh pipeline. ``families`` limits the family components (default: all);
    ``use_model`` adds the trained NER model's candidates when it is installed."""
    from . import components  # noqa: F401  (registers the factories in this process)
    from .components import (attribution, biomarkers, dates, drugs, procedures,  # noqa: F401
                             resolve, sections, stage, survival)
    from .tokenizer import create_repairing_tokenizer

    nlp = spacy.blank("en")
    # no parser here: the rule components are linear in the text, so long reports are fine
    nlp.max_length = 50_000_000
    nlp.tokenizer = create_repairing_tokenizer(repair_text)(nlp)
    nlp.add_pipe("case_sections")
    wanted = set(families) if families is not None else set(FAMILY_COMPONENTS)
    unknown = wanted - set(FAMILY_COMPONENTS)
    if unknown:
        from .errors import ExtractorError

        raise ExtractorError(f"unknown families {sorted(unknown)}; known: {list(FAMILY_COMPONENTS)}")
    if use_model:
        from .model import add_model

        add_model(nlp)
    for name in FAMILY_COMPONENTS:
        if name in wanted:
            nlp.add_pipe(name)
    if use_model:
        from .model import add_model_post

        add_model_post(nlp)  # model candidates the rule families accept, after the rules
    nlp.add_pipe("case_attribution")
    nlp.add_pipe("case_resolve")
    return nlp
