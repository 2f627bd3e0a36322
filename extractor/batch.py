"""The batch job: folders of ``.txt`` reports -> tables, one bad file never stops it.

How a run keeps every result:
1. each document is read and extracted on its own; any problem becomes that
   document's ``status`` (``documents`` table) and the run goes on;
2. each finished document is appended at once, as one JSON line, to a journal
   (``<out>/.extractor/journal.jsonl``, flushed at once, fsynced every second): a run killed at
   document 31,207 has the first 31,206 on disk, and ``--resume`` skips them;
3. the tables are then written from the journal, streaming, sorted by
   ``doc_id``, each to a temporary file moved into place: byte-identical output
   whether the run was interrupted or not.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple

from .errors import ExtractorError, InputError
from .tables import TABLE_NAMES, TableWriter, atomic_path, failed_rows, rows_for_result

JOURNAL_DIR = ".extractor"
JOURNAL = "journal.jsonl"
MAX_BYTES_DEFAULT = 20 * 1024 * 1024
BINARY_CONTROL_RATIO = 0.10
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


@dataclass(frozen=True)
class InputDoc:
    """One input file: its ``doc_id`` (SCHEMA.md: path relative to the input folder,
    without suffix) and, for paths that cannot even be listed, the error."""

    doc_id: str
    path: str
    error: Optional[str] = None


# ---------------------------------------------------------------- discovery

def discover(inputs: Iterable[str], suffix: str = ".txt") -> List[InputDoc]:
    """Files and folders -> input documents, sorted within each folder.

    Folders are walked without following symlinked folders (no loops); a
    folder whose name ends in ``.txt`` is a folder, not a document; a path that
    does not exist is kept as an input with its error, so it shows up in
    ``documents``."""
    docs: List[InputDoc] = []
    seen_ids: Dict[str, str] = {}

    def add(doc_id: str, path: str, error: Optional[str] = None):
        if doc_id in seen_ids and error is None:
            error = f"duplicate doc_id {doc_id!r}: already used by {seen_ids[doc_id]}"
            doc_id = f"{doc_id}#{len([d for d in docs if d.doc_id.startswith(doc_id)])}"
        seen_ids.setdefault(doc_id, path)
        docs.append(InputDoc(doc_id, path, error))

    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirnames, filenames in os.walk(p, followlinks=False, onerror=None):
                dirnames.sort()
                for fn in sorted(filenames):
                    if fn.endswith(suffix) and not fn.startswith("."):
                        found.append(Path(root) / fn)
            for f in sorted(found, key=lambda x: x.relative_to(p).as_posix()):
                rel = f.relative_to(p).as_posix()
                add(rel[: -len(suffix)] if rel.endswith(suffix) else rel, str(f))
        elif p.exists() or p.is_symlink():
            add(p.stem if p.name.endswith(suffix) else p.name, str(p))
        else:
            add(p.stem or str(raw), str(raw), f"no such file or folder: {raw}")
    return docs


# ---------------------------------------------------------------- reading

def read_document(path: str, max_bytes: int = MAX_BYTES_DEFAULT) -> Tuple[str, Optional[str]]:
    """The text of one report and a warning (or None); raises InputError saying why not.

    UTF-8 (a BOM is dropped) is expected; other bytes are decoded as cp1252,
    then latin-1, with a warning that says so. CRLF line ends are kept, so
    offsets index the file as decoded."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"is a folder, not a text file: {path}")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise InputError(f"too large: {size:,} bytes (limit {max_bytes:,}; raise it with --max-bytes)")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from exc
    if not data:
        raise InputError("empty file")
    if b"\x00" in data[:65536]:
        raise InputError("binary file (contains NUL bytes), not text")
    warning = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
            warning = f"not valid UTF-8 (byte {exc.start}); decoded as cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            warning = f"not valid UTF-8 (byte {exc.start}); decoded as latin-1"
    if not text.strip():
        raise InputError("no text (whitespace only)")
    controls = len(_CONTROL.findall(text, 0, 65536))
    if controls > BINARY_CONTROL_RATIO * min(len(text), 65536):
        raise InputError("binary file (mostly control characters), not text")
    return text, warning


# ---------------------------------------------------------------- processing

def process_document(doc: InputDoc, nlp, max_bytes: int = MAX_BYTES_DEFAULT) -> Dict:
    """One document -> its journal record (rows of every table). Never raises for
    a bad document: the error goes into ``documents.status``."""
    from .result import result_from_doc

    if doc.error:
        return {"doc_id": doc.doc_id, "rows": failed_rows(doc.doc_id, doc.path, f"error: {doc.error}")}
    try:
        text, warning = read_document(doc.path, max_bytes=max_bytes)
    except InputError as exc:
        return {"doc_id": doc.doc_id, "rows": failed_rows(doc.doc_id, doc.path, f"error: {exc}")}
    try:
        result = result_from_doc(nlp(text), doc_id=doc.doc_id)
    except Exception as exc:  # noqa: BLE001 - one document's failure must not end the batch
        return {"doc_id": doc.doc_id,
                "rows": failed_rows(doc.doc_id, doc.path, f"error: extraction failed: {type(exc).__name__}: {exc}",
                                    n_chars=len(text))}
    status = "ok" if warning is None else f"ok; warning: {warning}"
    return {"doc_id": doc.doc_id, "rows": rows_for_result(result, path=doc.path, status=status),
            "prediction": {"id": doc.doc_id, "path": doc.path,
                           "mentions": [m.to_gold() for m in result.mentions]}}


class SerializedRecord(NamedTuple):
    """A journal record already turned into its line by a worker process."""

    line: str
    ok: bool


def record_ok(record) -> bool:
    if isinstance(record, SerializedRecord):
        return record.ok
    return record["rows"]["documents"][0]["status"].startswith("ok")


class Journal:
    """Append-only record of finished documents; survives a kill at any point."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / JOURNAL_DIR / JOURNAL
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def done_ids(self) -> Dict[str, int]:
        """doc_id -> byte offset of its record; a torn last line (killed mid-write) is cut off."""
        index: Dict[str, int] = {}
        if not self.path.exists():
            return index
        good_end = 0
        with open(self.path, "rb") as fh:
            offset = 0
            for line in fh:
                if not line.endswith(b"\n"):
                    break
                try:
                    rec = json.loads(line)
                except ValueError:
                    break
                index[rec["doc_id"]] = offset
                offset += len(line)
                good_end = offset
        if good_end != self.path.stat().st_size:
            with open(self.path, "r+b") as fh:
                fh.truncate(good_end)
        return index

    def reset(self) -> None:
        if self.path.exists():
            self.path.unlink()

    def open_for_append(self):
        return open(self.path, "a", encoding="utf-8")

    _last_sync = 0.0

    @staticmethod
    def serialize(record: Dict) -> str:
        """One journal line (workers call it, so the parent only writes strings)."""
        return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"

    @classmethod
    def append(cls, fh, record) -> None:
        """Write one record (a dict, or a ``SerializedRecord`` from a worker). Flushed
        at once (a killed process loses nothing the kernel has); fsynced at most
        once a second (against a machine crash)."""
        import time

        fh.write(record.line if isinstance(record, SerializedRecord) else Journal.serialize(record))
        fh.flush()
        now = time.monotonic()
        if now - cls._last_sync >= 1.0:
            os.fsync(fh.fileno())
            cls._last_sync = now

    def records(self, index: Dict[str, int]) -> Iterator[Dict]:
        """Records in ``doc_id`` order, read one at a time."""
        with open(self.path, "rb") as fh:
            for doc_id in sorted(index):
                fh.seek(index[doc_id])
                yield json.loads(fh.readline())


def _iter_results(docs: List[InputDoc], nlp_factory: Callable, workers: int, max_bytes: int) -> Iterator[Dict]:
    if workers <= 1:
        nlp = nlp_factory()
        for doc in docs:
            yield process_document(doc, nlp, max_bytes)
        return
    from .parallel import process_parallel

    yield from process_parallel(docs, nlp_factory, workers=workers, max_bytes=max_bytes)


def write_tables(out_dir: Path, journal: Journal, fmt: str) -> Dict[str, int]:
    """(Re)write every table and ``predictions.jsonl`` from the journal, atomically."""
    index = journal.done_ids()
    writers = {name: TableWriter(out_dir, name, fmt) for name in TABLE_NAMES}
    counts: Dict[str, int] = {}
    try:
        with atomic_path(Path(out_dir) / "predictions.jsonl") as pred_tmp, open(pred_tmp, "w", encoding="utf-8") as pf:
            for rec in journal.records(index):
                for name in TABLE_NAMES:
                    writers[name].write(rec["rows"].get(name, []))
                if "prediction" in rec:
                    pf.write(json.dumps(rec["prediction"], ensure_ascii=False) + "\n")
        for name, w in writers.items():
            w.close()
            counts[name] = w.n_rows
    except BaseException:
        for w in writers.values():
            try:
                w.abort()
            except Exception:  # noqa: BLE001
                pass
        raise
    return counts


def run_batch(inputs: List[str], out_dir: Optional[str] = None, fmt: str = "csv", workers: int = 1,
              resume: bool = False, progress: bool = False, max_bytes: int = MAX_BYTES_DEFAULT,
              nlp_factory: Optional[Callable] = None, engine: str = "local", scheduler: Optional[str] = None):
    """Run the extractor over files and folders; with ``out_dir`` write the tables.

    Returns a summary dict (counts per table, documents ok/failed); with no
    ``out_dir`` returns the journal records instead (nothing is written)."""
    from functools import partial

    from . import load

    if fmt not in ("csv", "parquet", "jsonl"):
        raise ExtractorError(f"--format must be csv, parquet or jsonl, not {fmt!r}")
    nlp_factory = nlp_factory or partial(load)
    docs = discover(inputs)
    if out_dir is None:
        nlp = nlp_factory()
        return [process_document(d, nlp, max_bytes) for d in docs]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    journal = Journal(out)
    if not resume:
        journal.reset()
    done = journal.done_ids()
    todo = [d for d in docs if d.doc_id not in done]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(docs), initial=len(docs) - len(todo), unit="doc", desc="extracting")
    if engine == "dask":
        from .parallel import process_dask

        stream = process_dask(todo, nlp_factory, scheduler=scheduler, workers=workers, max_bytes=max_bytes)
    else:
        stream = _iter_results(todo, nlp_factory, workers, max_bytes)
    n_ok = n_failed = 0
    with journal.open_for_append() as fh:
        for rec in stream:
            Journal.append(fh, rec)
            if record_ok(rec):
                n_ok += 1
            else:
                n_failed += 1
            if bar is not None:
                bar.update(1)
        fh.flush()
        os.fsync(fh.fileno())
    if bar is not None:
        bar.close()
    counts = write_tables(out, journal, fmt)
    return {"documents": len(docs), "processed": len(todo), "skipped": len(docs) - len(todo),
            "ok": n_ok, "failed": n_failed, "rows": counts, "out": str(out)}
