"""benchmarks/bench.py: a smoke run on a tiny input writes every field; the pure
helpers (corpus copies, target checks, the printed report) behave. Speed is never
asserted here: the benchmark measures it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import bench  # noqa: E402

RATE_KEYS = {"words_per_s", "cpu_words_per_s", "best_wall_s", "best_cpu_s"}
BATCH_KEYS = {"workers", "documents", "words", "best_wall_s", "walls_s", "words_per_s", "startup_s",
              "steady_s", "steady_words_per_s", "cpu_s", "failed", "peak_rss_mb_per_worker",
              "peak_rss_mb_parent"}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """One --quick run over two bundled reports (about a minute on a busy 2-core machine)."""
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    inputs = [str(REPO / "corpus" / "case-pancreas.txt"), str(REPO / "corpus" / "case-lung-egfr.txt")]
    proc = subprocess.run([sys.executable, "-W", "ignore", str(REPO / "benchmarks" / "bench.py"), "--quick",
                           "--inputs", *inputs, "--json", str(out)],
                          capture_output=True, text=True, cwd=str(REPO), timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", ["date", "machine", "settings", "corpus", "startup", "throughput",
                                 "components", "workers", "scaling", "targets"])
def test_json_has_section(quick_run, key):
    assert key in quick_run[1]


@pytest.mark.parametrize("key", ["cpu_model", "cores", "ram_gb", "python", "load_average_at_start"])
def test_machine_fields(quick_run, key):
    assert quick_run[1]["machine"][key]


def test_versions_and_settings(quick_run):
    out = quick_run[1]
    assert out["machine"]["versions"]["spacy"].startswith("3.")
    assert out["machine"]["versions"]["scispacy"]
    assert out["settings"] == {**out["settings"], "quick": True, "repeat": 1, "scale": 2, "workers": 2}
    assert out["corpus"]["documents"] == 2 and out["corpus"]["words"] > 100


@pytest.mark.parametrize("stage", ["scispacy_tokenizer", "ocr_repair", "tokenizer", "rules"])
def test_throughput_fields(quick_run, stage):
    r = quick_run[1]["throughput"][stage]
    assert set(r) == RATE_KEYS
    assert r["words_per_s"] > 0 and r["cpu_words_per_s"] > 0


def test_model_measured_or_skipped_with_reason(quick_run):
    from extractor.model import MODEL_DIR, model_available

    r = quick_run[1]["throughput"]["model"]
    if model_available(MODEL_DIR):
        assert set(r) == RATE_KEYS and "model" in quick_run[1]["components"]
    else:
        assert "no trained model" in r["skipped"]


def test_components_cover_the_pipeline(quick_run):
    import extractor

    comps = quick_run[1]["components"]["rules"]
    names = [c["component"] for c in comps]
    assert names[1:] == extractor.load().pipe_names
    assert sum(c["share"] for c in comps) == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize("which", ["one", "many"])
def test_batch_runs(quick_run, which):
    r = quick_run[1]["workers"][which]
    assert BATCH_KEYS <= set(r)
    assert r["documents"] == 4 and r["failed"] == 0  # two reports x scale 2
    assert r["workers"] == (1 if which == "one" else 2)
    assert 20 < r["peak_rss_mb_per_worker"] < 64_000
    assert 0 <= r["startup_s"] <= r["best_wall_s"]


def test_speedup_and_scaling_fields(quick_run):
    out = quick_run[1]
    assert out["workers"]["speedup"] > 0 and out["workers"]["steady_speedup"] > 0
    for key in ("in_process", "end_to_end"):
        s = out["scaling"][key]
        assert s["ratio"] == pytest.approx(s["xS_s"] / s["x1_s"], rel=0.05)  # both rounded
    assert out["scaling"]["end_to_end"]["peak_rss_mb_xS"] > 0


def test_machine_ceiling(quick_run):
    c = quick_run[1]["workers"]["machine_ceiling"]
    assert c["workers"] == 2 and len(c["together_s"]) == 2
    assert c["alone_s"] > 0 and c["speedup_ceiling"] > 0


def test_targets_and_report(quick_run):
    stdout, out = quick_run
    assert len(out["targets"]) == 4
    assert all(isinstance(t["met"], bool) for t in out["targets"])
    for heading in ("words/s, one process", "end to end", "corpus x1 vs x2", "targets (issue 10)"):
        assert heading in stdout


@pytest.mark.parametrize("scale", [1, 3])
def test_copy_corpus_makes_distinct_copies(tmp_path, scale):
    from extractor.batch import discover

    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    files = [src / "a" / "r.txt", src / "b" / "r.txt"]  # same name in two folders
    for f in files:
        f.write_text("Stage IIIA.", encoding="utf-8")
    bench.copy_corpus([str(f) for f in files], scale, tmp_path / "out")
    docs = discover([str(tmp_path / "out")])
    assert len(docs) == 2 * scale and not any(d.error for d in docs)


def _fake(rules_wps, speedup, rss, ratio):
    one = {"workers": 1, "peak_rss_mb_per_worker": rss}
    return {"throughput": {"rules": {"words_per_s": rules_wps}},
            "workers": {"one": one, "many": {**one, "workers": 2}, "speedup": speedup * 0.8,
                        "steady_speedup": speedup},
            "scaling": {"scale": 8, "in_process": {"ratio_over_scale": ratio}}}


@pytest.mark.parametrize("fake,met", [
    (_fake(25_000, 1.8, 500, 1.05), [True, True, True, True]),
    (_fake(19_999, 1.69, 1024, 1.11), [False, False, False, False]),
    (_fake(20_000, 1.7, 1023.9, 0.9), [True, True, True, True]),
])
def test_targets(fake, met):
    assert [t["met"] for t in bench.targets(fake)] == met
