"""Results -> table rows -> CSV / Parquet / JSONL, written atomically and in chunks.

Table names and leading columns follow SCHEMA.md "Tables". Every table exists
after a run, with its columns, even when it has no rows. Writers stream rows in
chunks so that memory stays flat however many documents a run has, and each
file is written to a temporary name and moved into place (``os.replace``), so
a reader never sees half a table.
"""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Sequence

from .records import RECORD_TYPES, Result, TimelineEvent
from .summary import SUMMARY_COLUMNS

FORMATS = ("csv", "parquet", "jsonl")
MENTION_TABLES = {cls.table: cls for cls in RECORD_TYPES.values()}
DOCUMENT_COLUMNS = ("doc_id", "path", "n_chars", "status") + SUMMARY_COLUMNS
TABLE_NAMES = tuple(MENTION_TABLES) + ("documents", "timeline")


def table_columns(name: str) -> tuple:
    if name in MENTION_TABLES:
        return MENTION_TABLES[name].columns()
    if name == "documents":
        return DOCUMENT_COLUMNS
    if name == "timeline":
        return TimelineEvent.columns()
    raise KeyError(name)


def _arrow_type(annotation: str):
    import pyarrow as pa

    if "bool" in annotation:
        return pa.bool_()
    if "int" in annotation:
        return pa.int64()
    if "float" in annotation:
        return pa.float64()
    return pa.string()


def table_schema(name: str):
    """The pyarrow schema of a table (fixed, so empty chunks and all-null columns agree)."""
    import pyarrow as pa

    known = {"doc_id": "str", "start": "int", "end": "int", "text": "str", "path": "str",
             "n_chars": "int", "status": "str", "event_start": "int", "date_start": "int"}
    if name in MENTION_TABLES:
        known.update({k: str(v) for k, v in MENTION_TABLES[name].__annotations__.items()})
        for klass in MENTION_TABLES[name].__mro__:
            for k, v in getattr(klass, "__annotations__", {}).items():
                known.setdefault(k, str(v))
    return pa.schema([(col, _arrow_type(known.get(col, "str"))) for col in table_columns(name)])


def rows_for_result(result: Result, path: str = "", status: str = "ok") -> Dict[str, List[Dict[str, Any]]]:
    """All table rows of one document, keyed by table name."""
    rows: Dict[str, List[Dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    for m in result.mentions:
        rows[m.table].append(m.to_row(result.doc_id))
    rows["timeline"] = [e.to_row(result.doc_id) for e in result.timeline]
    doc = {"doc_id": result.doc_id, "path": path, "n_chars": len(result.text), "status": status}
    for col in SUMMARY_COLUMNS:
        doc[col] = _scalar(result.summary.get(col))
    rows["documents"] = [doc]
    return rows


def failed_rows(doc_id: str, path: str, status: str, n_chars: int = 0) -> Dict[str, List[Dict[str, Any]]]:
    """The rows of a document that could not be processed: only its ``documents`` row."""
    rows: Dict[str, List[Dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    doc = {c: None for c in DOCUMENT_COLUMNS}
    doc.update(doc_id=doc_id, path=path, n_chars=n_chars, status=status)
    rows["documents"] = [doc]
    return rows


def _scalar(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def tables_for_results(results: Iterable[Result]):
    """In-memory pandas DataFrames (for notebooks); batch runs use ``TableWriter``."""
    import pandas as pd

    collected: Dict[str, List[Dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    for result in results:
        for name, rows in rows_for_result(result).items():
            collected[name].extend(rows)
    return {name: pd.DataFrame(collected[name], columns=list(table_columns(name))) for name in TABLE_NAMES}


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """A temporary path beside ``final`` that replaces it only when the block succeeds."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, final)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _coerce(value, arrow_type):
    """A value in the column's Parquet type (a family may hand an int to a string column)."""
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_string(arrow_type):
        return value if isinstance(value, str) else (str(value).lower() if isinstance(value, bool) else str(value))
    if pa.types.is_floating(arrow_type) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if pa.types.is_integer(arrow_type) and isinstance(value, float) and value.is_integer():
        return int(value)
    if pa.types.is_integer(arrow_type) and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return value


def _csv_value(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    return v


class TableWriter:
    """Streams rows of one table into ``<dir>/<name>.<fmt>`` in chunks; ``close`` commits it."""

    def __init__(self, out_dir: Path, name: str, fmt: str, chunk_rows: int = 20000):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
        self.name, self.fmt, self.chunk_rows = name, fmt, chunk_rows
        self.columns = list(table_columns(name))
        self.final = Path(out_dir) / f"{name}.{fmt}"
        self._ctx = atomic_path(self.final)
        self.tmp = self._ctx.__enter__()
        self._buffer: List[Dict[str, Any]] = []
        self._started = False
        self._parquet = None
        self.n_rows = 0

    def write(self, rows: Sequence[Dict[str, Any]]) -> None:
        self._buffer.extend(rows)
        if len(self._buffer) >= self.chunk_rows:
            self._flush()

    def _flush(self, final: bool = False) -> None:
        if not self._buffer and (self._started or not final):
            return
        rows, self._buffer = self._buffer, []
        self.n_rows += len(rows)
        if self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = table_schema(self.name)
            cols = {f.name: [_coerce(r.get(f.name), f.type) for r in rows] for f in schema}
            table = pa.Table.from_pydict(cols, schema=schema)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(str(self.tmp), schema)
            self._parquet.write_table(table)
        elif self.fmt == "csv":
            import csv

            with open(self.tmp, "a", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                if not self._started:
                    writer.writerow(self.columns)
                for r in rows:
                    writer.writerow(["" if r.get(c) is None else _csv_value(r.get(c)) for c in self.columns])
        else:
            with open(self.tmp, "a", encoding="utf-8") as fh:
                for r in rows:
                    fh.write(json.dumps({c: r.get(c) for c in self.columns}, ensure_ascii=False) + "\n")
        self._started = True

    def close(self) -> None:
        self._flush(final=True)
        if self.fmt == "parquet" and self._parquet is None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = table_schema(self.name)
            pq.write_table(pa.Table.from_pydict({c: [] for c in self.columns}, schema=schema), str(self.tmp))
        if self._parquet is not None:
            self._parquet.close()
        self._ctx.__exit__(None, None, None)

    def abort(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        self._ctx.__exit__(RuntimeError, RuntimeError("aborted"), None)


def read_table(path: Path):
    """Read a written table back as a pandas DataFrame (any of the three formats)."""
    import pandas as pd

    path = Path(path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True, dtype=False) if path.stat().st_size else pd.DataFrame()
    return pd.read_csv(path, dtype=str, keep_default_na=False)
