"""PROCEDURE: placeholder matcher (being built; returns nothing yet)."""
from __future__ import annotations

from typing import Dict, List, Tuple


def find_procedures(text: str) -> List[Tuple[int, int, Dict]]:
    """Every PROCEDURE mention of ``text`` as (start, end, attrs)."""
    return []
