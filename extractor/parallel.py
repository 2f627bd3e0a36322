"""Parallel engines for the batch job: a local process pool (and Dask, see below).

Workers build their own pipeline once (``nlp_factory``) and read their own
files, so only file names go out and small row dicts come back; results come
back in input order, so the journal and tables do not depend on scheduling.
"""
from __future__ import annotations

import multiprocessing as mp
from typing import Callable, Dict, Iterator, List, Optional

from .batch import InputDoc, process_document

_WORKER_NLP = None
_WORKER_MAX_BYTES = None


def _init_worker(nlp_factory: Callable, max_bytes: int) -> None:
    global _WORKER_NLP, _WORKER_MAX_BYTES
    _WORKER_NLP = nlp_factory()
    _WORKER_MAX_BYTES = max_bytes


def _work(doc: InputDoc) -> Dict:
    return process_document(doc, _WORKER_NLP, _WORKER_MAX_BYTES)


def process_parallel(docs: List[InputDoc], nlp_factory: Callable, workers: int = 2,
                     max_bytes: int = 0, chunksize: int = 4) -> Iterator[Dict]:
    """Journal records of ``docs`` from ``workers`` processes, in input order, streaming."""
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(workers, initializer=_init_worker, initargs=(nlp_factory, max_bytes)) as pool:
        yield from pool.imap(_work, docs, chunksize=chunksize)


def process_dask(docs: List[InputDoc], nlp_factory: Callable, scheduler: Optional[str] = None,
                 workers: int = 2, max_bytes: int = 0) -> Iterator[Dict]:
    """Journal records computed on a Dask cluster (not built yet)."""
    from .errors import ExtractorError

    raise ExtractorError("the dask engine is not available in this version")
