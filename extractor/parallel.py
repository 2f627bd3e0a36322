"""Parallel engines for the batch job: a local process pool (and Dask, see below).

Workers build their own pipeline once (``nlp_factory``) and read their own
files, so only file names go out and small row dicts come back; results come
back in input order, so the journal and tables do not depend on scheduling.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
from typing import Callable, Dict, Iterator, List, Optional

from .batch import InputDoc, Journal, SerializedRecord, process_document, record_ok
from .pipeline import warm_up

_WORKER_NLP = None
_WORKER_MAX_BYTES = None


def _init_worker(nlp_factory: Callable, max_bytes: int) -> None:
    global _WORKER_NLP, _WORKER_MAX_BYTES
    if _WORKER_NLP is None:  # under fork the parent's warm pipeline is already here
        _WORKER_NLP = nlp_factory()
    _WORKER_MAX_BYTES = max_bytes


def _work(doc: InputDoc) -> SerializedRecord:
    """Extract and serialise in the worker: the parent, which shares the two cores,
    then only writes strings to the journal."""
    record = process_document(doc, _WORKER_NLP, _WORKER_MAX_BYTES)
    return SerializedRecord(Journal.serialize(record), record_ok(record))


def process_parallel(docs: List[InputDoc], nlp_factory: Callable, workers: int = 2,
                     max_bytes: int = 0, chunksize: int = 16) -> Iterator[Dict]:
    """Journal records of ``docs`` (already serialised) from ``workers`` processes, in input order, streaming."""
    global _WORKER_NLP
    forking = "fork" in mp.get_all_start_methods()
    ctx = mp.get_context("fork") if forking else mp.get_context()
    if forking:
        # build and warm the pipeline once, before the fork: the workers share it
        # copy-on-write instead of each paying the start-up (imports, lexicons)
        _WORKER_NLP = nlp_factory()
        warm_up(_WORKER_NLP)
        gc.freeze()  # keep the shared pages shared: the collector would touch every object
    try:
        with ctx.Pool(workers, initializer=_init_worker, initargs=(nlp_factory, max_bytes)) as pool:
            yield from pool.imap(_work, docs, chunksize=chunksize)
    finally:
        _WORKER_NLP = None
        if forking:
            gc.unfreeze()


_DASK_NLP = {}


def _dask_chunk(chunk: List[InputDoc], nlp_factory: Callable, max_bytes: int) -> List[Dict]:
    """Runs on a Dask worker: the pipeline is built once per worker process."""
    key = repr(nlp_factory)
    if key not in _DASK_NLP:
        _DASK_NLP[key] = nlp_factory()
        warm_up(_DASK_NLP[key])
    return [process_document(doc, _DASK_NLP[key], max_bytes) for doc in chunk]


def process_dask(docs: List[InputDoc], nlp_factory: Callable, scheduler: Optional[str] = None,
                 workers: int = 2, max_bytes: int = 0, chunk_docs: int = 16) -> Iterator[Dict]:
    """Journal records computed on a Dask cluster: the one at ``scheduler``, or a
    LocalCluster of ``workers`` single-threaded processes. Workers read the input
    files themselves, so on a real cluster the paths must be on a shared filesystem.
    At most ``4 x workers`` chunks are in flight, so memory stays flat; records come
    back as chunks finish (the tables are sorted by doc_id when written)."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        from .errors import ExtractorError

        raise ExtractorError("--engine dask needs dask.distributed: pip install 'case-report-extractor[dask]'") from exc
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        chunks = [docs[i:i + chunk_docs] for i in range(0, len(docs), chunk_docs)]
        window = max(workers, 1) * 4
        pending = as_completed()
        submitted = 0
        for chunk in chunks[:window]:
            pending.add(client.submit(_dask_chunk, chunk, nlp_factory, max_bytes, pure=False))
            submitted += 1
        for future in pending:
            for record in future.result():
                yield record
            if submitted < len(chunks):
                pending.add(client.submit(_dask_chunk, chunks[submitted], nlp_factory, max_bytes, pure=False))
                submitted += 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
