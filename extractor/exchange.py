"""Round trip with annotation tools: pre-annotate, let a curator correct, score.

- ``export_annotations``: predictions (a run's ``predictions.jsonl``, or any
  SCHEMA.md JSONL) -> brat standoff (``<doc>.txt`` + ``<doc>.ann``, with
  ``annotation.conf`` and ``visual.conf``) or Label Studio tasks with
  ``predictions`` (``tasks.json`` + ``labelstudio-config.xml``).
- ``import_annotations``: the corrected brat folder or Label Studio JSON export
  -> SCHEMA.md gold JSONL, which ``extractor evaluate`` scores.

Attributes survive the trip. Those with a closed set of values (``patient``,
``STAGE.system``, ``DATE.type``, ``PROCEDURE.category``, ``SURVIVAL.measure``
and ``unit``) become attributes the tool edits with a click (brat ``A`` lines,
Label Studio per-region ``Choices``); the open ones (``value``, ``name``,
``marker``...) travel as one JSON object (brat ``AnnotatorNotes``, a Label
Studio per-region ``TextArea``), which the curator may edit too.

Offsets: SCHEMA.md counts Python ``str`` characters (code points), as brat does;
Label Studio counts JavaScript UTF-16 units, so offsets are converted for texts
with characters beyond the BMP.
"""
from __future__ import annotations

import json
import os
import warnings
from bisect import bisect_left
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from . import __version__
from .errors import ExtractorError, GoldError
from .evaluate import parse_textbound
from .records import LABELS, RECORD_TYPES

#: attributes with a closed set of values: name -> (labels it applies to, values)
ENUM_ATTRS: Dict[str, Tuple[Tuple[str, ...], Tuple[str, ...]]] = {
    "patient": (("STAGE", "DRUG", "PROCEDURE", "SURVIVAL"), ("true", "false")),
    "system": (("STAGE",), ("tnm", "group", "residual")),
    "type": (("DATE",), ("date", "relative")),
    "category": (("PROCEDURE",), ("surgery", "radiotherapy", "ablation", "imaging", "endoscopy", "biopsy", "other")),
    "measure": (("SURVIVAL",), ("os", "pfs", "dfs", "median_os", "rate")),
    "unit": (("SURVIVAL",), ("days", "weeks", "months", "years", "percent")),
}
#: the Label Studio control names
LS_LABELS = "label"
LS_TEXT = "text"
LS_ATTRS = "attrs"
#: every SCHEMA attribute of any label (to drop another label's attributes after a relabel)
_SCHEMA_ATTRS = {a for cls in RECORD_TYPES.values() for a in cls.schema_attrs}


# ---------------------------------------------------------------- attributes

def _enum_value(name: str, label: str, value: Any) -> Optional[str]:
    """The tool-side value of an enumerated attribute, or None when it is not one."""
    spec = ENUM_ATTRS.get(name)
    if spec is None or label not in spec[0]:
        return None
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return text if text in spec[1] else None


def split_attrs(label: str, attrs: Dict[str, Any]) -> Tuple[Dict[str, str], Dict[str, Any]]:
    """attrs -> (enumerated ones as tool values, the rest for the JSON note)."""
    enum, rest = {}, {}
    for name, value in attrs.items():
        tool_value = _enum_value(name, label, value)
        if tool_value is None:
            rest[name] = value
        else:
            enum[name] = tool_value
    return enum, rest


def _from_tool_value(name: str, value: str) -> Any:
    if name == "patient":
        return {"true": True, "false": False}.get(str(value).lower(), value)
    return value


def _parse_note(note: str, where: str) -> Dict[str, Any]:
    """A note's attributes: a JSON object, or ``key=value; key=value`` typed by hand."""
    note = note.strip()
    if not note:
        return {}
    try:
        data = json.loads(note)
    except ValueError:
        data = None
        pairs = [p.split("=", 1) for p in note.replace("\n", ";").split(";") if p.strip()]
        if pairs and all(len(p) == 2 and p[0].strip() for p in pairs):
            data = {}
            for key, value in pairs:
                value = value.strip()
                try:
                    data[key.strip()] = json.loads(value)
                except ValueError:
                    data[key.strip()] = value
    if not isinstance(data, dict):
        warnings.warn(f"{where}: note is neither a JSON object nor key=value pairs; ignored: {note[:80]!r}")
        return {}
    return data


def clean_attrs(label: str, attrs: Dict[str, Any]) -> Dict[str, Any]:
    """Drop attributes that belong to other labels only (left over when a curator relabels);
    the label's SCHEMA.md attributes come first, in SCHEMA.md order."""
    own = RECORD_TYPES[label].schema_attrs
    kept = {k: attrs[k] for k in own if k in attrs}
    kept.update({k: v for k, v in attrs.items() if k not in _SCHEMA_ATTRS})
    return kept


# ---------------------------------------------------------------- reading predictions

def _doc_path(doc_id: str, suffix: str) -> Path:
    """A relative path for a document's files; never escapes the output folder."""
    parts = [p for p in str(doc_id).replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return Path(*(parts or ["document"])).with_name((parts or ["document"])[-1] + suffix)


def _read_text(path: Path) -> str:
    from .batch import read_document

    text, _warning = read_document(str(path))
    return text


def iter_predictions(pred: str, texts: Optional[str] = None) -> Iterator[Tuple[str, str, List[dict]]]:
    """(doc id, text, mentions) of each line of a predictions or gold JSONL.

    The text is found, in order: ``texts/<id>.txt``, ``texts/<file name of path>``,
    the line's ``path``, its ``text_file`` (relative to the JSONL), its ``text``.
    Texts are decoded as the batch run decodes them, so offsets agree."""
    path = Path(pred)
    if path.is_dir():
        path = path / "predictions.jsonl"
    if not path.exists():
        raise ExtractorError(f"{path}: no predictions (run `extractor run ... --out DIR` first)")
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise GoldError(f"{where}: not valid JSON ({exc})") from exc
        if not isinstance(row, dict) or "id" not in row:
            raise GoldError(f"{where}: each line needs an 'id' and a 'mentions' list")
        doc_id = str(row["id"])
        candidates: List[Path] = []
        if texts:
            candidates.append(Path(texts) / _doc_path(doc_id, ".txt"))
            if row.get("path"):
                candidates.append(Path(texts) / Path(row["path"]).name)
        if row.get("path"):
            candidates.append(Path(row["path"]))
        if row.get("text_file"):
            candidates.append(path.parent / row["text_file"])
        text = next((_read_text(c) for c in candidates if c.is_file()), None)
        if text is None and isinstance(row.get("text"), str):
            text = row["text"]
        if text is None:
            tried = ", ".join(str(c) for c in candidates) or "no path given"
            raise ExtractorError(f"{where}: text of {doc_id!r} not found (tried {tried}); pass --texts")
        mentions = []
        for i, m in enumerate(row.get("mentions") or []):
            if m.get("label") not in LABELS:
                raise GoldError(f"{where} mention {i}: unknown label {m.get('label')!r}")
            start, end = m.get("start"), m.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                raise GoldError(f"{where} mention {i}: offsets {start}-{end} do not fit the text "
                                f"({len(text)} chars)")
            if "text" in m and m["text"] != text[start:end]:
                raise ExtractorError(f"{where} mention {i}: {m['text']!r} is not the text at {start}-{end} "
                                     f"({text[start:end]!r}); is --texts the folder the run read?")
            mentions.append({"start": start, "end": end, "label": m["label"], "text": text[start:end],
                             "attrs": dict(m.get("attrs") or {})})
        yield doc_id, text, mentions


# ---------------------------------------------------------------- brat

def brat_annotation_conf() -> str:
    """brat's ``annotation.conf``: our labels as entities, the enumerated attributes."""
    lines = ["# extractor labels (SCHEMA.md); open attributes travel as JSON in AnnotatorNotes",
             "[entities]", *LABELS, "", "[relations]", "", "[events]", "", "[attributes]"]
    for name, (labels, values) in ENUM_ATTRS.items():
        lines.append(f"{name}\tArg:{'|'.join(labels)}, Value:{'|'.join(values)}")
    return "\n".join(lines) + "\n"


def brat_visual_conf() -> str:
    from .report import COLOURS

    lines = ["[labels]", *(f"{label} | {label.title()}" for label in LABELS), "", "[drawing]"]
    lines += [f"{label}\tbgColor:{COLOURS[label]}, borderColor:darken" for label in LABELS]
    return "\n".join(lines) + "\n"


def to_brat(mentions: Iterable[dict]) -> str:
    """Mentions -> the text of a brat ``.ann`` file (T, A and AnnotatorNotes lines)."""
    lines: List[str] = []
    n_attr = n_note = 0
    for i, m in enumerate(sorted(mentions, key=lambda m: (m["start"], m["end"], m["label"])), 1):
        shown = " ".join(m["text"].split()) if m.get("text") else ""
        lines.append(f"T{i}\t{m['label']} {m['start']} {m['end']}\t{shown}")
        enum, rest = split_attrs(m["label"], m.get("attrs") or {})
        for name, value in enum.items():
            n_attr += 1
            lines.append(f"A{n_attr}\t{name} T{i} {value}")
        if rest:
            n_note += 1
            lines.append(f"#{n_note}\tAnnotatorNotes T{i}\t{json.dumps(rest, ensure_ascii=False, sort_keys=True)}")
    return "\n".join(lines) + ("\n" if lines else "")


def from_brat(ann: str, text: str, where: str = "ann") -> List[dict]:
    """A brat ``.ann`` (as corrected by a curator) -> SCHEMA.md mentions.

    Entities of other types are skipped with a warning; a discontinuous span
    becomes one span from its first start to its last end; notes are read first
    and ``A`` lines override them (they are what brat's dialog edits)."""
    spans: Dict[str, dict] = {}
    notes: Dict[str, Dict[str, Any]] = {}
    enum: Dict[str, Dict[str, Any]] = {}
    skipped = set()
    for lineno, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        here = f"{where}:{lineno}"
        parts = line.split("\t")
        ident = parts[0]
        if ident.startswith("T"):
            if len(parts) < 2 or " " not in parts[1]:
                raise GoldError(f"{here}: a text-bound line needs 'T<n>\\tType start end\\ttext'")
            btype, start, end, _ = parse_textbound(parts[1], here)
            if btype not in LABELS:
                skipped.add(btype)
                continue
            if not 0 <= start < end <= len(text):
                raise GoldError(f"{here}: offsets {start}-{end} do not fit the text ({len(text)} chars)")
            spans[ident] = {"start": start, "end": end, "label": btype, "text": text[start:end]}
        elif ident.startswith(("A", "M")):
            fields = parts[1].split() if len(parts) > 1 else []
            if len(fields) < 2:
                raise GoldError(f"{here}: an attribute line needs 'A<n>\\tName T<n> [value]'")
            name, target = fields[0], fields[1]
            value = fields[2] if len(fields) > 2 else "true"
            enum.setdefault(target, {})[name] = _from_tool_value(name, value)
        elif ident.startswith("#"):
            fields = parts[1].split() if len(parts) > 1 else []
            if len(fields) >= 2 and fields[0] == "AnnotatorNotes":
                note = parts[2] if len(parts) > 2 else ""
                notes.setdefault(fields[1], {}).update(_parse_note(note, here))
        # R (relations), E (events), N (normalisations) do not map to SCHEMA.md
    if skipped:
        warnings.warn(f"{where}: entity types {sorted(skipped)} are not extractor labels; skipped")
    mentions = []
    for ident, m in spans.items():
        attrs = dict(notes.get(ident, {}))
        attrs.update(enum.get(ident, {}))
        m["attrs"] = clean_attrs(m["label"], attrs)
        mentions.append(m)
    return sorted(mentions, key=lambda m: (m["start"], m["end"], m["label"]))


def export_brat(docs: Iterable[Tuple[str, str, List[dict]]], out: Path) -> int:
    from .tables import atomic_path

    out.mkdir(parents=True, exist_ok=True)
    (out / "annotation.conf").write_text(brat_annotation_conf(), encoding="utf-8")
    (out / "visual.conf").write_text(brat_visual_conf(), encoding="utf-8")
    n = 0
    used: Dict[str, str] = {}
    for doc_id, text, mentions in docs:
        rel = _doc_path(doc_id, "").as_posix()
        if rel.lower() in used:
            raise ExtractorError(f"documents {used[rel.lower()]!r} and {doc_id!r} would share the file {rel}.ann")
        used[rel.lower()] = doc_id
        base = out / rel
        base.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(base.with_name(base.name + ".txt")) as tmp:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        with atomic_path(base.with_name(base.name + ".ann")) as tmp:
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(to_brat(mentions))
        n += 1
    return n


def read_brat_folder(folder: Path) -> Iterator[Tuple[str, Path, str, List[dict]]]:
    """(doc id, text path, text, mentions) of every ``.ann`` under ``folder``."""
    anns = sorted(folder.rglob("*.ann"), key=lambda p: p.relative_to(folder).as_posix())
    if not anns:
        raise ExtractorError(f"{folder}: no .ann files (expected a brat folder)")
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if not txt.is_file():
            raise ExtractorError(f"{ann}: no {txt.name} beside it (brat needs the text)")
        # as brat reads it: UTF-8, line ends untouched
        text = txt.read_bytes().decode("utf-8")
        doc_id = ann.relative_to(folder).with_suffix("").as_posix()
        yield doc_id, txt, text, from_brat(ann.read_text(encoding="utf-8"), text, where=str(ann))


# ---------------------------------------------------------------- Label Studio

class _Utf16:
    """Code point <-> UTF-16 unit offsets of one text (identity for BMP-only texts)."""

    def __init__(self, text: str):
        self.cum: Optional[List[int]] = None
        if any(ord(c) > 0xFFFF for c in text):
            cum, pos = [0], 0
            for c in text:
                pos += 2 if ord(c) > 0xFFFF else 1
                cum.append(pos)
            self.cum = cum

    def to_js(self, i: int) -> int:
        return i if self.cum is None else self.cum[i]

    def from_js(self, j: int) -> int:
        if self.cum is None:
            return j
        i = bisect_left(self.cum, j)
        if i >= len(self.cum) or self.cum[i] != j:
            raise GoldError(f"offset {j} splits a character (UTF-16 surrogate pair)")
        return i


def labelstudio_config() -> str:
    """The labelling interface for the exported tasks (paste into the project settings)."""
    from .report import COLOURS

    out = ["<View>", f'  <Labels name="{LS_LABELS}" toName="{LS_TEXT}">']
    out += [f'    <Label value="{label}" background="{COLOURS[label]}"/>' for label in LABELS]
    out += ["  </Labels>", f'  <Text name="{LS_TEXT}" value="$text"/>', '  <View visibleWhen="region-selected">']
    for name, (labels, values) in ENUM_ATTRS.items():
        when = f' whenTagName="{LS_LABELS}" whenLabelValue="{labels[0]}"' if len(labels) == 1 else ""
        out.append(f'    <Header value="{name}"/>')
        out.append(f'    <Choices name="{name}" toName="{LS_TEXT}" perRegion="true" choice="single" '
                   f'showInline="true" visibleWhen="region-selected"{when}>')
        out += [f'      <Choice value="{v}"/>' for v in values]
        out.append("    </Choices>")
    out += ['    <Header value="other attributes (JSON)"/>',
            f'    <TextArea name="{LS_ATTRS}" toName="{LS_TEXT}" perRegion="true" editable="true" '
            'maxSubmissions="1" rows="2"/>', "  </View>", "</View>"]
    return "\n".join(out) + "\n"


def to_labelstudio_task(doc_id: str, text: str, mentions: Iterable[dict], path: str = "") -> Dict[str, Any]:
    """One Label Studio task with the mentions as a prediction (pre-annotation)."""
    conv = _Utf16(text)
    result = []
    for i, m in enumerate(sorted(mentions, key=lambda m: (m["start"], m["end"], m["label"])), 1):
        rid = f"m{i}"
        span = {"start": conv.to_js(m["start"]), "end": conv.to_js(m["end"])}
        result.append({"id": rid, "from_name": LS_LABELS, "to_name": LS_TEXT, "type": "labels",
                       "value": {**span, "text": text[m["start"]:m["end"]], "labels": [m["label"]]}})
        enum, rest = split_attrs(m["label"], m.get("attrs") or {})
        for name, value in enum.items():
            result.append({"id": rid, "from_name": name, "to_name": LS_TEXT, "type": "choices",
                           "value": {**span, "choices": [value]}})
        if rest:
            result.append({"id": rid, "from_name": LS_ATTRS, "to_name": LS_TEXT, "type": "textarea",
                           "value": {**span, "text": [json.dumps(rest, ensure_ascii=False, sort_keys=True)]}})
    data = {"text": text, "doc_id": doc_id}
    if path:
        data["path"] = path
    return {"data": data, "predictions": [{"model_version": f"extractor-{__version__}", "result": result}]}


def _chosen_result(task: Dict[str, Any], where: str) -> Tuple[Optional[List[dict]], str]:
    """The curator's result of a task: its latest submitted annotation, else its prediction."""
    annotations = [a for a in task.get("annotations") or task.get("completions") or []
                   if isinstance(a, dict) and not a.get("was_cancelled")]
    if annotations:
        latest = max(enumerate(annotations),
                     key=lambda ia: (str(ia[1].get("updated_at") or ia[1].get("created_at") or ""), ia[0]))[1]
        return latest.get("result") or [], "annotation"
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    if predictions:
        return predictions[-1].get("result") or [], "prediction"
    return None, "none"


def from_labelstudio_task(task: Dict[str, Any], where: str = "task") -> Tuple[str, str, List[dict], str]:
    """A Label Studio task (export format "JSON") -> (doc id, text, mentions, source of the result)."""
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        text = next((v for v in data.values() if isinstance(v, str) and len(v) > 0), None)
    if not isinstance(text, str):
        raise GoldError(f"{where}: task has no text in its data")
    doc_id = str(data.get("doc_id") or data.get("id") or task.get("id") or where)
    result, source = _chosen_result(task, where)
    conv = _Utf16(text)
    regions: Dict[str, dict] = {}
    extra: Dict[str, Dict[str, Any]] = {}
    skipped = set()
    for k, r in enumerate(result or []):
        if not isinstance(r, dict):
            continue
        rid = str(r.get("id", f"r{k}"))
        value = r.get("value") or {}
        rtype = r.get("type")
        if rtype == "labels" or (rtype and rtype.endswith("labels") and "labels" in value):
            labels = value.get(rtype) or value.get("labels") or []
            label = labels[0] if labels else None
            if label not in LABELS:
                skipped.add(label)
                continue
            try:
                start, end = conv.from_js(int(value["start"])), conv.from_js(int(value["end"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise GoldError(f"{where} region {rid}: bad offsets ({exc})") from exc
            if not 0 <= start < end <= len(text):
                raise GoldError(f"{where} region {rid}: offsets {start}-{end} do not fit the text")
            regions[rid] = {"start": start, "end": end, "label": label, "text": text[start:end]}
            meta = (r.get("meta") or {}).get("text")
            if meta:
                note = "\n".join(meta) if isinstance(meta, list) else str(meta)
                extra.setdefault(rid, {}).update(_parse_note(note, f"{where} region {rid} meta"))
        elif rtype == "choices" and r.get("from_name") in ENUM_ATTRS:
            choices = value.get("choices") or []
            if choices:
                extra.setdefault(rid, {})[r["from_name"]] = _from_tool_value(r["from_name"], choices[0])
        elif rtype == "textarea" and r.get("from_name") == LS_ATTRS:
            lines = value.get("text") or []
            note = "\n".join(lines) if isinstance(lines, list) else str(lines)
            extra.setdefault(rid, {}).update(_parse_note(note, f"{where} region {rid}"))
    if skipped:
        warnings.warn(f"{where}: labels {sorted(map(str, skipped))} are not extractor labels; skipped")
    mentions = []
    for rid, m in regions.items():
        attrs = extra.get(rid, {})
        # the JSON note first, then the choices (what the curator clicks) override it
        ordered = {k: v for k, v in attrs.items() if k not in ENUM_ATTRS}
        ordered.update({k: v for k, v in attrs.items() if k in ENUM_ATTRS})
        m["attrs"] = clean_attrs(m["label"], ordered)
        mentions.append(m)
    return doc_id, text, sorted(mentions, key=lambda m: (m["start"], m["end"], m["label"])), source


def read_labelstudio(source: Path) -> List[Dict[str, Any]]:
    """Tasks of a Label Studio export: a JSON list, one task object, or JSON lines."""
    raw = source.read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
    except ValueError:
        try:
            data = [json.loads(line) for line in raw.splitlines() if line.strip()]
        except ValueError as exc:
            raise GoldError(f"{source}: not a Label Studio JSON export ({exc})") from exc
    if isinstance(data, dict):
        data = data.get("tasks", [data]) if "data" not in data else [data]
    if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
        raise GoldError(f"{source}: expected a list of tasks (Label Studio export format 'JSON')")
    return data


# ---------------------------------------------------------------- public API

def export_annotations(pred: str, out: str, fmt: str = "brat", texts: Optional[str] = None) -> int:
    """Predictions -> pre-annotations for brat or Label Studio in ``out``; returns the documents written."""
    out_dir = Path(out)
    docs = iter_predictions(pred, texts)
    if fmt == "brat":
        return export_brat(docs, out_dir)
    if fmt == "labelstudio":
        from .tables import atomic_path

        tasks = [to_labelstudio_task(doc_id, text, mentions) for doc_id, text, mentions in docs]
        out_dir.mkdir(parents=True, exist_ok=True)
        with atomic_path(out_dir / "tasks.json") as tmp:
            tmp.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
        (out_dir / "labelstudio-config.xml").write_text(labelstudio_config(), encoding="utf-8")
        return len(tasks)
    raise ExtractorError(f"unknown export format {fmt!r}: use brat or labelstudio")


def _write_gold(rows: List[Dict[str, Any]], out: Path) -> None:
    from .evaluate import read_jsonl
    from .tables import atomic_path

    with atomic_path(out) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    read_jsonl(out, check_text=False)  # what evaluate will read: fail here, not there


def _relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def import_annotations(source: str, out: str, fmt: str = "brat", texts: Optional[str] = None) -> int:
    """Corrected brat folder or Label Studio export -> SCHEMA.md gold JSONL at ``out``.

    brat: each line's ``text_file`` points at the ``.txt`` beside its ``.ann``.
    Label Studio: at ``texts/<id>.txt`` when ``texts`` is given (it must hold
    the same text as the task), else the task texts are written to
    ``<out stem>-texts/``. Tasks nobody submitted keep their pre-annotation,
    with a warning. Returns the number of documents written."""
    src, gold = Path(source), Path(out)
    gold.parent.mkdir(parents=True, exist_ok=True)
    rows: List[Dict[str, Any]] = []
    if fmt == "brat":
        if not src.is_dir():
            raise ExtractorError(f"{src}: a brat import needs the folder of .txt and .ann files")
        for doc_id, txt, _text, mentions in read_brat_folder(src):
            rows.append({"id": doc_id, "text_file": _relative(txt, gold.parent), "mentions": mentions})
    elif fmt == "labelstudio":
        if not src.is_file():
            raise ExtractorError(f"{src}: a Label Studio import needs the exported JSON file")
        unreviewed = []
        text_dir = gold.parent / f"{gold.stem}-texts"
        seen = set()
        for i, task in enumerate(read_labelstudio(src)):
            doc_id, text, mentions, origin = from_labelstudio_task(task, where=f"{src} task {i}")
            if doc_id in seen:
                raise GoldError(f"{src} task {i}: doc_id {doc_id!r} appears twice")
            seen.add(doc_id)
            if origin != "annotation":
                unreviewed.append(doc_id)
            if texts:
                txt = Path(texts) / _doc_path(doc_id, ".txt")
                if not txt.is_file():
                    raise ExtractorError(f"{txt}: text of task {doc_id!r} not found in --texts")
                if _read_text(txt) != text:
                    raise ExtractorError(f"{txt}: differs from the text of task {doc_id!r}; offsets would not fit")
            else:
                from .tables import atomic_path

                txt = text_dir / _doc_path(doc_id, ".txt")
                txt.parent.mkdir(parents=True, exist_ok=True)
                with atomic_path(txt) as tmp:
                    with open(tmp, "w", encoding="utf-8", newline="") as fh:
                        fh.write(text)
            rows.append({"id": doc_id, "text_file": _relative(txt, gold.parent), "mentions": mentions})
        if unreviewed:
            warnings.warn(f"{len(unreviewed)} task(s) have no submitted annotation; their pre-annotations "
                          f"were imported as they are: {', '.join(unreviewed[:5])}"
                          + (" ..." if len(unreviewed) > 5 else ""))
    else:
        raise ExtractorError(f"unknown import format {fmt!r}: use brat or labelstudio")
    _write_gold(rows, gold)
    return len(rows)
