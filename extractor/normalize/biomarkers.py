"""BIOMARKER: placeholder matcher (being built; returns nothing yet)."""
from __future__ import annotations

from typing import Dict, List, Tuple


def find_biomarkers(text: str) -> List[Tuple[int, int, Dict]]:
    """Every BIOMARKER mention of ``text`` as (start, end, attrs)."""
    return []
