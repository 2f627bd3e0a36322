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


#: an invented report touching every family, the section finder and the OCR repair, so
#: that the lexicons, deletion indexes and compiled rules all load before real work
WARM_UP_TEXT = """Abstract
A 58-year-old wornan with rectal adenocarcinoma, stage 1V (pT3N1Mlb), is reported.

Case presentation
In March 2019 she underwent laparoscopic low anterior resecti0n (RO) and a CT scan of the
chest and abdomen. She received six cycles of XELOX (oxaliplatn and capecitabine) and later
FOLFIRI with bevacizumab. KRAS p.G12D was found; HER2 was 2+ and CEA was 12.4 ng/mL, Ki-67 30%.
Two years later, liver metastases were treated with radiofrequency ablation and
stereotactic body radiotherapy. She was alive without recurrence at 36 months.

Discussion
In a retrospective study of 120 patients, the median overall survival was 24.5 months [3].

References
1. Smith J, et al. Ann Oncol. 2018;29:100-8.
"""


def warm_up(nlp) -> None:
    """Run ``nlp`` once on ``WARM_UP_TEXT``: lazy caches (lexicons, fuzzy indexes, rule
    regexes) are built now, before worker processes fork and share them, instead of on
    each worker's first real document."""
    nlp(WARM_UP_TEXT)
