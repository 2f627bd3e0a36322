"""Parallel engines give the same tables as the plain local run."""
import pytest

from extractor.batch import run_batch
from extractor.tables import TABLE_NAMES
from conftest import REPO

CORPUS = REPO / "corpus"


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    run_batch([str(CORPUS)], out_dir=str(out))
    return out


def _same_tables(a, b):
    for name in TABLE_NAMES:
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name


def test_parallel_process_pool_tables_identical(local_run, tmp_path):
    run_batch([str(CORPUS)], out_dir=str(tmp_path), workers=2)
    _same_tables(local_run, tmp_path)


def test_parallel_dask_local_cluster_tables_identical(local_run, tmp_path):
    pytest.importorskip("distributed")
    summary = run_batch([str(CORPUS)], out_dir=str(tmp_path), engine="dask", workers=2)
    assert summary["ok"] == len(list(CORPUS.glob("*.txt")))
    _same_tables(local_run, tmp_path)
