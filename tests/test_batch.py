"""The batch job: bad inputs are isolated, tables always exist, formats, resume."""
import json

import pytest

from extractor.batch import discover, read_document, run_batch
from extractor.errors import InputError
from extractor.tables import TABLE_NAMES, read_table, table_columns

GOOD = "A 60-year-old man had stage IIIB (pT3N1M0) colon cancer and an R0 resection.\n"


@pytest.fixture
def inputs(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    (d / "sub" / "nested.txt").write_text("Stage IV disease.", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    (d / "latin.txt").write_bytes("Stage IV tumour, caf\xe9 au lait spots.".encode("cp1252"))
    (d / "notes.md").write_text("ignored", encoding="utf-8")
    return d


def _status(out):
    docs = read_table(out / "documents.csv")
    return dict(zip(docs["doc_id"], docs["status"]))


def test_batch_bad_inputs_each_get_one_clear_status(inputs, tmp_path):
    out = tmp_path / "out"
    summary = run_batch([str(inputs), str(tmp_path / "missing.txt")], out_dir=str(out), nlp_factory=None)
    status = _status(out)
    assert status["good"] == "ok"
    assert status["sub/nested"] == "ok"
    assert status["empty"] == "error: empty file"
    assert status["blank"] == "error: no text (whitespace only)"
    assert status["binary"].startswith("error: binary file")
    assert status["latin"].startswith("ok; warning: not valid UTF-8")
    assert status["missing"].startswith("error: no such file or folder")
    assert "notes" not in status
    assert summary["documents"] == 7
    stages = read_table(out / "stages.csv")
    assert set(stages["doc_id"]) == {"good", "sub/nested", "latin"}
    assert sorted(stages[stages.doc_id == "good"]["value"]) == ["IIIB", "R0", "pT3N1M0"]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_batch_every_table_exists_with_columns(tmp_path, fmt):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(d)], out_dir=str(out), fmt=fmt)
    for name in TABLE_NAMES:
        path = out / f"{name}.{fmt}"
        assert path.exists(), name
        if fmt != "jsonl" or path.stat().st_size:
            assert list(read_table(path).columns) == list(table_columns(name))
    assert not list(out.glob(".*.tmp")), "temporary files left behind"


def test_batch_parquet_keeps_types(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD, encoding="utf-8")
    run_batch([str(d)], out_dir=str(tmp_path / "o"), fmt="parquet")
    stages = read_table(tmp_path / "o" / "stages.parquet")
    assert str(stages["start"].dtype) == "int64"
    assert stages["patient"].tolist() == [True, True, True]


def test_batch_csv_writes_patient_as_true_false(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD, encoding="utf-8")
    run_batch([str(d)], out_dir=str(tmp_path / "o"))
    assert set(read_table(tmp_path / "o" / "stages.csv")["patient"]) == {"true"}


def test_batch_resume_skips_done_and_tables_identical(inputs, tmp_path):
    full = tmp_path / "full"
    run_batch([str(inputs)], out_dir=str(full))
    part = tmp_path / "part"
    # a first run over part of the inputs, then a resumed run over all of them
    run_batch([str(inputs / "good.txt")], out_dir=str(part))
    summary = run_batch([str(inputs)], out_dir=str(part), resume=True)
    assert summary["skipped"] == 1
    for name in TABLE_NAMES:
        assert (full / f"{name}.csv").read_bytes() == (part / f"{name}.csv").read_bytes(), name


def test_batch_torn_journal_line_is_dropped_on_resume(inputs, tmp_path):
    out = tmp_path / "out"
    run_batch([str(inputs / "good.txt")], out_dir=str(out))
    journal = out / ".extractor" / "journal.jsonl"
    with open(journal, "a", encoding="utf-8") as fh:
        fh.write('{"doc_id": "sub/nes')  # a write cut short by a kill
    run_batch([str(inputs)], out_dir=str(out), resume=True)
    lines = journal.read_text(encoding="utf-8").splitlines()
    ids = [json.loads(x)["doc_id"] for x in lines]
    assert len(ids) == len(set(ids)) == 6


def test_batch_predictions_feed_evaluate(tmp_path):
    from extractor.evaluate import read_predictions

    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD, encoding="utf-8")
    run_batch([str(d)], out_dir=str(tmp_path / "o"))
    preds = read_predictions(tmp_path / "o")
    assert {m["text"] for m in preds["a"] if m["label"] == "STAGE"} == {"stage IIIB", "pT3N1M0", "R0"}


def test_batch_discover_doc_ids_relative_without_suffix(inputs):
    ids = [d.doc_id for d in discover([str(inputs)])]
    assert ids == sorted(ids)
    assert "sub/nested" in ids and "good" in ids


def test_batch_folder_named_txt_is_not_a_document(tmp_path):
    (tmp_path / "in" / "weird.txt").mkdir(parents=True)
    (tmp_path / "in" / "ok.txt").write_text(GOOD)
    assert [d.doc_id for d in discover([str(tmp_path / "in")])] == ["ok"]
    with pytest.raises(InputError, match="is a folder"):
        read_document(str(tmp_path / "in" / "weird.txt"))


def test_batch_bom_is_dropped_and_crlf_kept(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbfStage IV\r\ndisease")
    text, warning = read_document(str(p))
    assert text == "Stage IV\r\ndisease" and warning is None


def test_batch_too_large_file(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("word " * 1000)
    with pytest.raises(InputError, match="too large"):
        read_document(str(p), max_bytes=100)


def test_batch_cli_run_and_exit_codes(tmp_path, capsys):
    from extractor.cli import main

    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD)
    assert main(["run", str(d), "--out", str(tmp_path / "o"), "--format", "jsonl"]) == 0
    assert "1 documents (1 ok" in capsys.readouterr().out
    assert (tmp_path / "o" / "stages.jsonl").exists()
    assert main(["evaluate", "--gold", str(tmp_path / "nope.jsonl"), "--pred", str(tmp_path / "o")]) == 2
    assert "no such gold file" in capsys.readouterr().err
