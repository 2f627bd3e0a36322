"""The per-document patient summary for the ``documents`` table."""
from __future__ import annotations

from typing import Any, Dict

from .records import Result

SUMMARY_COLUMNS = ("age", "sex", "primary_site", "latest_stage", "key_biomarkers", "overall_survival")


def summarise(result: Result) -> Dict[str, Any]:
    """Age, sex, primary site, latest stage, key biomarkers, survival (what the text supports)."""
    stages = [m for m in result.stages if m.patient]
    latest = None
    for m in stages:
        if m.system in ("group", "tnm"):
            latest = m.value
    return {"age": None, "sex": None, "primary_site": None, "latest_stage": latest,
            "key_biomarkers": None, "overall_survival": None}
