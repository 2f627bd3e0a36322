"""Typed result objects: one frozen dataclass per mention family.

Each record knows its SCHEMA.md label, the table it lands in and which of its
fields are SCHEMA.md attributes (the rest are extra table columns). Offsets are
always into the ORIGINAL text of the document.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Dict, Optional, Tuple, Type


@dataclass(frozen=True)
class Mention:
    """A half-open span ``[start, end)`` of the original text with its label."""

    start: int
    end: int
    text: str
    label: ClassVar[str] = ""
    table: ClassVar[str] = ""
    #: attributes defined by SCHEMA.md, in table column order
    schema_attrs: ClassVar[Tuple[str, ...]] = ()

    @property
    def extra_attrs(self) -> Tuple[str, ...]:
        names = [f.name for f in fields(self)]
        return tuple(n for n in names if n not in ("start", "end", "text") and n not in self.schema_attrs)

    def attrs(self, extras: bool = False) -> Dict[str, Any]:
        """SCHEMA.md ``attrs`` (only those set); with ``extras`` the extra columns too."""
        names = self.schema_attrs + (self.extra_attrs if extras else ())
        out = {}
        for name in names:
            value = getattr(self, name)
            if value is not None and value != "":
                out[name] = value
        return out

    def to_gold(self) -> Dict[str, Any]:
        """The mention in SCHEMA.md gold/prediction form."""
        return {"start": self.start, "end": self.end, "label": self.label,
                "text": self.text, "attrs": self.attrs()}

    @classmethod
    def columns(cls) -> Tuple[str, ...]:
        names = [f.name for f in fields(cls)]
        extra = [n for n in names if n not in ("start", "end", "text") and n not in cls.schema_attrs]
        return ("doc_id", "start", "end", "text") + cls.schema_attrs + tuple(extra)

    def to_row(self, doc_id: str) -> Dict[str, Any]:
        row = {"doc_id": doc_id, "start": self.start, "end": self.end, "text": self.text}
        for name in self.columns()[4:]:
            row[name] = getattr(self, name)
        return row


@dataclass(frozen=True)
class Stage(Mention):
    label: ClassVar[str] = "STAGE"
    table: ClassVar[str] = "stages"
    schema_attrs: ClassVar[Tuple[str, ...]] = ("system", "value", "patient")
    system: Optional[str] = None
    value: Optional[str] = None
    patient: Optional[bool] = None
    prefix: Optional[str] = None
    t: Optional[str] = None
    n: Optional[str] = None
    m: Optional[str] = None


@dataclass(frozen=True)
class Date(Mention):
    label: ClassVar[str] = "DATE"
    table: ClassVar[str] = "dates"
    schema_attrs: ClassVar[Tuple[str, ...]] = ("type", "value")
    type: Optional[str] = None
    value: Optional[str] = None
    #: for a relative date: the amount, unit, direction and anchor phrase
    amount: Optional[float] = None
    unit: Optional[str] = None
    direction: Optional[str] = None
    anchor: Optional[str] = None
    #: the anchor's own ISO date when a relative value was resolved against it
    anchor_value: Optional[str] = None


@dataclass(frozen=True)
class Drug(Mention):
    label: ClassVar[str] = "DRUG"
    table: ClassVar[str] = "drugs"
    schema_attrs: ClassVar[Tuple[str, ...]] = ("name", "components", "patient")
    name: Optional[str] = None
    components: Optional[str] = None
    patient: Optional[bool] = None
    atc: Optional[str] = None
    rxnorm: Optional[str] = None
    drug_class: Optional[str] = None
    line: Optional[int] = None
    cycles: Optional[int] = None
    #: DrugBank accession (``DB00544``) where the lexicon has one
    drugbank: Optional[str] = None
    #: how the name was recognised: ``exact``, ``fuzzy`` (misspelt/OCR) or ``defined`` (by the text)
    match: Optional[str] = None


@dataclass(frozen=True)
class Procedure(Mention):
    label: ClassVar[str] = "PROCEDURE"
    table: ClassVar[str] = "procedures"
    schema_attrs: ClassVar[Tuple[str, ...]] = ("category", "patient")
    category: Optional[str] = None
    patient: Optional[bool] = None
    name: Optional[str] = None
    #: from the modifiers: left / right / bilateral / unilateral, and the approach word (laparoscopic ...)
    laterality: Optional[str] = None
    approach: Optional[str] = None


@dataclass(frozen=True)
class Biomarker(Mention):
    label: ClassVar[str] = "BIOMARKER"
    table: ClassVar[str] = "biomarkers"
    schema_attrs: ClassVar[Tuple[str, ...]] = ("marker", "result")
    marker: Optional[str] = None
    result: Optional[str] = None
    kind: Optional[str] = None
    value: Optional[float] = None
    unit: Optional[str] = None
    #: an IHC intensity score as written (``3+``) when the text gives one
    score: Optional[str] = None


@dataclass(frozen=True)
class Survival(Mention):
    label: ClassVar[str] = "SURVIVAL"
    table: ClassVar[str] = "survival"
    schema_attrs: ClassVar[Tuple[str, ...]] = ("measure", "value", "high", "unit", "patient")
    measure: Optional[str] = None
    value: Optional[float] = None
    high: Optional[float] = None
    unit: Optional[str] = None
    patient: Optional[bool] = None
    #: a duration in months (days/30.44, weeks*7/30.44, years*12), to compare figures; None for a rate
    months: Optional[float] = None
    #: which context rule made it a survival figure: cue, rate_after, status, subject_status, followup,
    #: living_with, list (a continued list) or shared_unit
    evidence: Optional[str] = None


#: label -> record type, in the order tables are written
RECORD_TYPES: Dict[str, Type[Mention]] = {
    cls.label: cls for cls in (Stage, Date, Drug, Procedure, Biomarker, Survival)
}
LABELS: Tuple[str, ...] = tuple(RECORD_TYPES)
#: label -> the doc.spans key its component writes
SPAN_KEYS: Dict[str, str] = {
    "STAGE": "case_stage",
    "DATE": "case_dates",
    "DRUG": "case_drugs",
    "PROCEDURE": "case_procedures",
    "BIOMARKER": "case_biomarkers",
    "SURVIVAL": "case_survival",
}


def make_record(label: str, start: int, end: int, text: str, attrs: Dict[str, Any]) -> Mention:
    """Build the typed record for ``label``; unknown attribute names are dropped."""
    cls = RECORD_TYPES[label]
    known = {f.name for f in fields(cls)}
    kwargs = {k: v for k, v in attrs.items() if k in known and k not in ("start", "end", "text")}
    return cls(start=start, end=end, text=text, **kwargs)


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event of the patient: a PROCEDURE, DRUG or STAGE linked to a DATE."""

    date: Optional[str]
    event_label: str
    event_text: str
    event_start: int
    date_text: Optional[str] = None
    date_start: Optional[int] = None
    #: "sentence" (the date stands in the event's sentence) or "paragraph" (the
    #: narrative's last date earlier in the paragraph)
    date_source: Optional[str] = None

    @staticmethod
    def columns() -> Tuple[str, ...]:
        return ("doc_id", "date", "event_label", "event_text", "event_start", "date_text", "date_start",
                "date_source")

    def to_row(self, doc_id: str) -> Dict[str, Any]:
        return {"doc_id": doc_id, "date": self.date, "event_label": self.event_label,
                "event_text": self.event_text, "event_start": self.event_start,
                "date_text": self.date_text, "date_start": self.date_start, "date_source": self.date_source}


@dataclass(frozen=True)
class Section:
    """A case-report section: ``name`` is one of sections.SECTION_NAMES."""

    name: str
    start: int
    end: int
    heading: str = ""


@dataclass
class Result:
    """Everything extracted from one document."""

    doc_id: str
    text: str
    mentions: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    timeline: list = field(default_factory=list)
    summary: Dict[str, Any] = field(default_factory=dict)

    def of(self, label: str) -> list:
        return [m for m in self.mentions if m.label == label]

    @property
    def stages(self):
        return self.of("STAGE")

    @property
    def dates(self):
        return self.of("DATE")

    @property
    def drugs(self):
        return self.of("DRUG")

    @property
    def procedures(self):
        return self.of("PROCEDURE")

    @property
    def biomarkers(self):
        return self.of("BIOMARKER")

    @property
    def survival(self):
        return self.of("SURVIVAL")

    def tables(self):
        """This document's tables as pandas DataFrames (imports pandas lazily)."""
        from .tables import tables_for_results

        return tables_for_results([self])

    def to_gold(self) -> Dict[str, Any]:
        return {"id": self.doc_id, "mentions": [m.to_gold() for m in self.mentions]}
