"""The patient's timeline: PROCEDURE, DRUG and STAGE mentions linked to their DATE."""
from __future__ import annotations

from typing import List

from .records import Result, TimelineEvent


def timeline_for(result: Result) -> List[TimelineEvent]:
    """Dated events of the patient in date order (placeholder: being built)."""
    return []
