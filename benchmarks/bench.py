"""Throughput and memory of the extractor: words/s, 1 vs N workers, peak RSS, x1 vs xS corpus.

    .venv/bin/python benchmarks/bench.py [--inputs PATH ...] [--json out.json]
                                         [--repeat 3] [--scale 8] [--workers 2] [--quick]

What is measured (words = whitespace-separated tokens of the original texts):

* one process, one thread, warm (after one untimed pass, which loads lexicons
  lazily), best of ``--repeat`` passes, wall clock and CPU time:
  scispacy's tokenizer alone, the OCR repair alone, ``nlp.make_doc`` (repair +
  scispacy), the rules pipeline (``extractor.load()``, the default), each of its
  components, and the pipeline with the trained NER model when ``extractor/_model``
  exists (``extractor.load(use_model=True)``);
* ``extractor.batch.run_batch`` end to end (discovery, reading, extraction,
  journal, tables; pipeline start-up included), each run in a fresh Python process
  so that memory is measured alone: 1 worker vs ``--workers`` on the corpus copied
  ``--scale`` times, and 1 worker on the corpus x1; peak RSS of every worker
  (its own ``VmHWM``, sampled with psutil, and ``getrusage(RUSAGE_CHILDREN)``);
* x1 vs x``--scale``: the same texts repeated, in process (warm) and end to end;
  linear scaling means a time ratio of ``scale``.

The machine (CPU model, cores, RAM, load average) and versions go into the
output, because the numbers mean nothing without them. CPU words/s (words per
CPU-second of this process) is printed beside wall words/s: on a shared machine
it is the closer estimate of what one free core would do. Speed is measured here,
never asserted by tests.
"""
from __future__ import annotations

import os

# one core per process, as the targets are stated (set before numpy/thinc load BLAS)
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime as _dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable, Dict, List, Optional  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("EXTRACTOR_SHARED", REPO.parent / "shared"))

#: the issue's targets (issue 10, "Must show")
TARGET_WORDS_PER_S = 20_000
TARGET_SPEEDUP_2 = 1.7
TARGET_RSS_MB = 1024
TARGET_SCALING_TOLERANCE = 0.10


def default_inputs() -> List[str]:
    """The bundled corpus plus the shared oncology-dev and seed texts when present."""
    out = [str(REPO / "corpus")]
    for name in ("oncology-dev", "seed"):
        p = SHARED / "corpora" / name
        if p.is_dir():
            out.append(str(p))
    return out


# ---------------------------------------------------------------- machine

def machine_info() -> Dict:
    """What the numbers came from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        import psutil

        ram_gb = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:  # pragma: no cover - psutil is a dependency of the bench
        pass
    versions = {}
    for mod in ("spacy", "scispacy", "thinc", "extractor", "psutil"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - a missing optional package is just not reported
            versions[mod] = None
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        affinity = os.cpu_count()
    return {"cpu_model": cpu, "cores": os.cpu_count(), "cores_usable": affinity, "ram_gb": ram_gb,
            "platform": platform.platform(), "python": platform.python_version(),
            "versions": versions, "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


# ---------------------------------------------------------------- inputs

def gather(inputs: List[str]):
    """(paths, texts) of the readable inputs, discovered the way ``extractor run`` does."""
    from extractor.batch import discover, read_document

    paths, texts = [], []
    for d in discover(inputs):
        if d.error:
            continue
        try:
            text, _ = read_document(d.path)
        except Exception:  # noqa: BLE001 - unreadable inputs are not benchmark material
            continue
        paths.append(d.path)
        texts.append(text)
    return paths, texts


def n_words(texts) -> int:
    return sum(len(t.split()) for t in texts)


def copy_corpus(paths: List[str], scale: int, dest: Path) -> Path:
    """``scale`` copies of every input file under ``dest`` (unique names, flat per copy)."""
    for k in range(scale):
        sub = dest / f"copy{k:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        for i, p in enumerate(paths):
            shutil.copyfile(p, sub / f"{i:04d}_{Path(p).name}")
    return dest


# ---------------------------------------------------------------- in-process timing

def timed(fn: Callable[[], object], repeat: int) -> Dict:
    """Best wall and best CPU seconds of ``repeat`` calls of ``fn`` (after one warm-up call)."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return {"best_wall_s": min(walls), "best_cpu_s": min(cpus), "walls_s": walls}


def each(fn: Callable, texts) -> None:
    """``fn`` over every text, keeping nothing (a list of Docs would grow memory and GC work)."""
    for t in texts:
        fn(t)


def rate(words: int, t: Dict) -> Dict:
    return {"words_per_s": round(words / t["best_wall_s"]) if t["best_wall_s"] else None,
            "cpu_words_per_s": round(words / t["best_cpu_s"]) if t["best_cpu_s"] else None,
            "best_wall_s": round(t["best_wall_s"], 4), "best_cpu_s": round(t["best_cpu_s"], 4)}


def component_times(nlp, texts, repeat: int) -> List[Dict]:
    """Seconds per component (tokenizer included) over ``texts``, best of ``repeat`` passes."""
    names = ["tokenizer (repair + scispacy)"] + [name for name, _ in nlp.pipeline]
    best = {n: float("inf") for n in names}
    for _ in range(repeat + 1):  # the first pass is the warm-up, kept only if faster (never)
        acc = {n: 0.0 for n in names}
        for text in texts:
            t0 = time.perf_counter()
            doc = nlp.make_doc(text)
            acc[names[0]] += time.perf_counter() - t0
            for name, proc in nlp.pipeline:
                t0 = time.perf_counter()
                doc = proc(doc)
                acc[name] += time.perf_counter() - t0
        for n in names:
            best[n] = min(best[n], acc[n])
    total = sum(best.values()) or 1.0
    return [{"component": n, "seconds": round(best[n], 4), "share": round(best[n] / total, 3)} for n in names]


def model_pipeline():
    """The pipeline with the trained NER model, or (None, reason)."""
    from extractor.model import MODEL_DIR, model_available

    if not model_available(MODEL_DIR):
        return None, f"no trained model at {MODEL_DIR} (build one with `extractor train`)"
    import extractor

    nlp = extractor.load(use_model=True)
    try:  # the post step, until pipeline.build adds it itself (as benchmarks/model_eval.py does)
        from extractor.model import POST_PIPE, add_model_post

        if POST_PIPE not in nlp.pipe_names:
            add_model_post(nlp)
    except ImportError:
        pass
    return nlp, None


# ---------------------------------------------------------------- end-to-end batch runs

def _ready_factory():
    """The default pipeline, warmed on one input (lexicons load lazily), then a
    timestamp file says this worker is ready: start-up and steady state are told apart."""
    import extractor

    nlp = extractor.load()
    nlp(Path(os.environ["BENCH_WARM_FILE"]).read_text(encoding="utf-8"))
    Path(os.environ["BENCH_READY_DIR"], str(os.getpid())).write_text(repr(time.time()))
    return nlp


def peak_rss_bytes(pid, fallback: int = 0) -> int:
    """A process's own high-water RSS (Linux ``VmHWM``). Not ``ru_maxrss``: after
    fork+exec that keeps the forking parent's peak, so a child started by this
    benchmark (pipelines loaded) would report the benchmark's memory as its own."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return fallback


def _batch_child(args) -> int:
    """Run inside a fresh process: one ``run_batch``, then its time, CPU and memory as JSON."""
    import psutil

    from extractor.batch import discover, run_batch

    ready_dir = tempfile.mkdtemp(prefix="bench_ready_")
    os.environ["BENCH_READY_DIR"] = ready_dir
    os.environ["BENCH_WARM_FILE"] = discover([args.batch_dir])[0].path

    me = psutil.Process()
    peaks: Dict[int, int] = {}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            try:
                for child in me.children(recursive=True):
                    try:
                        rss = peak_rss_bytes(child.pid, child.memory_info().rss)
                    except psutil.Error:
                        continue
                    peaks[child.pid] = max(peaks.get(child.pid, 0), rss)
            except psutil.Error:
                pass
            stop.wait(0.05)

    rss_before = me.memory_info().rss / 2**20
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_dir = tempfile.mkdtemp(prefix="bench_out_")
    try:
        start, c0 = time.time(), time.process_time()
        summary = run_batch([args.batch_dir], out_dir=out_dir, workers=args.workers, nlp_factory=_ready_factory,
                            engine=args.engine)
        wall = time.time() - start
        cpu_self = time.process_time() - c0
        ready = [float(p.read_text()) for p in Path(ready_dir).iterdir()]
    finally:
        stop.set()
        sampler.join()
        shutil.rmtree(out_dir, ignore_errors=True)
        shutil.rmtree(ready_dir, ignore_errors=True)
    startup = (max(ready) - start) if ready else 0.0
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    kb = 1024 if sys.platform != "darwin" else 1  # ru_maxrss: KiB on Linux, bytes on macOS
    parent_mb = peak_rss_bytes("self", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kb) / 2**20
    # workers are forked from this small process, so their ru_maxrss is their own
    children_mb = ch.ru_maxrss * kb / 2**20
    sampled = sorted((v / 2**20 for v in peaks.values()), reverse=True)
    # with 1 worker the parent does the work; with more, the pool's children do
    worker_mb = parent_mb if args.workers <= 1 and args.engine == "local" else max([children_mb] + sampled[:args.workers])
    print(json.dumps({"wall_s": wall, "startup_s": startup, "cpu_s": cpu_self + ch.ru_utime + ch.ru_stime,
                      "cpu_parent_s": cpu_self, "rss_mb_parent_before": rss_before,
                      "documents": summary["documents"], "ok": summary["ok"], "failed": summary["failed"],
                      "peak_rss_mb_per_worker": worker_mb, "peak_rss_mb_parent": parent_mb,
                      "peak_rss_mb_children_sampled": sampled}))
    return 0


def _ceiling_child(args) -> int:
    """Run inside a fresh process: the warm rules pipeline over the corpus ``--passes``
    times; prints the seconds taken (for the machine's own parallel ceiling)."""
    import extractor

    _, texts = gather([args.batch_dir])
    nlp = extractor.load()
    each(nlp, texts)
    w0 = time.perf_counter()
    for _ in range(args.passes):
        each(nlp, texts)
    print(json.dumps({"seconds": time.perf_counter() - w0}))
    return 0


def parallel_ceiling(batch_dir: Path, workers: int, passes: int) -> Dict:
    """What ``workers`` processes gain on this machine with no engine at all: the same
    independent job alone, then ``workers`` copies at once. An engine cannot beat this."""
    cmd = [sys.executable, "-W", "ignore", str(Path(__file__).resolve()), "--_ceiling-child",
           "--batch-dir", str(batch_dir), "--passes", str(passes)]

    def start():
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(REPO))

    def seconds(proc) -> float:
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"ceiling run failed:\n{err[-3000:]}")
        return json.loads(out.strip().splitlines()[-1])["seconds"]

    alone = seconds(start())
    together = [seconds(p) for p in [start() for _ in range(workers)]]
    return {"workers": workers, "alone_s": round(alone, 3), "together_s": [round(t, 3) for t in together],
            "speedup_ceiling": round(workers * alone / max(together), 3)}


def batch_run(batch_dir: Path, workers: int, engine: str = "local") -> Dict:
    """One end-to-end run in a fresh interpreter (nothing loaded, so memory is its own)."""
    cmd = [sys.executable, "-W", "ignore", str(Path(__file__).resolve()), "--_batch-child",
           "--batch-dir", str(batch_dir), "--workers", str(workers), "--engine", engine]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=str(REPO))
    if proc.returncode != 0:
        raise RuntimeError(f"batch run failed ({' '.join(cmd)}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def best_batch(batch_dir: Path, workers: int, repeat: int, words: int, engine: str = "local") -> Dict:
    runs = [batch_run(batch_dir, workers, engine) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["wall_s"])
    steady = min(r["wall_s"] - r["startup_s"] for r in runs)
    return {"workers": workers, "engine": engine, "documents": best["documents"], "words": words,
            "best_wall_s": round(best["wall_s"], 3), "walls_s": [round(r["wall_s"], 3) for r in runs],
            "words_per_s": round(words / best["wall_s"]),
            "startup_s": round(min(r["startup_s"] for r in runs), 3),
            "steady_s": round(steady, 3), "steady_words_per_s": round(words / steady) if steady > 0 else None,
            "cpu_s": round(best["cpu_s"], 3), "cpu_parent_s": round(best["cpu_parent_s"], 3),
            "failed": best["failed"],
            "peak_rss_mb_per_worker": round(max(r["peak_rss_mb_per_worker"] for r in runs), 1),
            "peak_rss_mb_parent": round(max(r["peak_rss_mb_parent"] for r in runs), 1)}


# ---------------------------------------------------------------- the benchmark

def run(args) -> Dict:
    import extractor
    from extractor.text import repair

    warnings.filterwarnings("ignore")
    inputs = args.inputs or default_inputs()
    paths, texts = gather(inputs)
    if not texts:
        raise SystemExit(f"no readable .txt inputs in {inputs}")
    words = n_words(texts)
    out: Dict = {"date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                 "machine": machine_info(),
                 "settings": {"inputs": inputs, "repeat": args.repeat, "scale": args.scale,
                              "workers": args.workers, "quick": args.quick},
                 "corpus": {"documents": len(texts), "words": words, "chars": sum(map(len, texts))}}
    log = print if not args.json_only else (lambda *a, **k: None)
    log(f"corpus: {len(texts)} documents, {words:,} words from {', '.join(inputs)}")

    # start-up: a cold pipeline and its first document (lexicons load lazily)
    w0 = time.perf_counter()
    nlp = extractor.load()
    load_s = time.perf_counter() - w0
    w0 = time.perf_counter()
    nlp(texts[0])
    first_s = time.perf_counter() - w0
    out["startup"] = {"load_s": round(load_s, 3), "first_document_s": round(first_s, 3)}

    # (a)-(c) words/s in one process, one thread, warm
    inner = getattr(nlp.tokenizer, "inner", nlp.tokenizer)
    through: Dict[str, Dict] = {}
    through["scispacy_tokenizer"] = rate(words, timed(lambda: each(inner, texts), args.repeat))
    through["ocr_repair"] = rate(words, timed(lambda: each(repair, texts), args.repeat))
    through["tokenizer"] = rate(words, timed(lambda: each(nlp.make_doc, texts), args.repeat))
    through["rules"] = rate(words, timed(lambda: each(nlp, texts), args.repeat))
    w0 = time.perf_counter()
    model_nlp, why = model_pipeline()
    if model_nlp is not None:
        out["startup"]["model_load_s"] = round(time.perf_counter() - w0, 3)
    if model_nlp is None:
        through["model"] = {"skipped": why}
    else:
        w0 = time.perf_counter()
        model_nlp(texts[0])
        out["startup"]["model_first_document_s"] = round(time.perf_counter() - w0, 3)
        through["model"] = rate(words, timed(lambda: each(model_nlp, texts), args.repeat))
    out["throughput"] = through
    out["components"] = {"rules": component_times(nlp, texts, args.repeat)}
    if model_nlp is not None:
        out["components"]["model"] = component_times(model_nlp, texts, args.repeat)

    # x1 vs x scale, in process (warm, rules pipeline): linear means ratio == scale.
    # Each round times ``scale`` separate x1 passes, then one xS pass: the same work
    # in both, interleaved, so bursts of load on a shared machine hit both alike
    # (a best-of over short passes would catch quiet moments a long pass cannot).
    import statistics

    big = texts * args.scale
    w1, c1, ws, cs = [], [], [], []
    for _ in range(args.repeat):
        for target, walls, cpus, times in ((texts, w1, c1, args.scale), (big, ws, cs, 1)):
            for _ in range(times):
                w0, c0 = time.perf_counter(), time.process_time()
                each(nlp, target)
                walls.append(time.perf_counter() - w0)
                cpus.append(time.process_time() - c0)
    t1, ts = statistics.median(w1), statistics.median(ws)
    scaling = {"scale": args.scale,
               "in_process": {"x1_s": round(t1, 4), "xS_s": round(ts, 4), "ratio": round(ts / t1, 3),
                              "ratio_over_scale": round(sum(ws) / sum(w1), 3),
                              "cpu_ratio_over_scale": round(sum(cs) / sum(c1), 3)}}
    del big, nlp, model_nlp
    kb = 1024 if sys.platform != "darwin" else 1
    out["startup"]["bench_process_peak_rss_mb"] = round(peak_rss_bytes(
        "self", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kb) / 2**20, 1)  # both pipelines loaded

    # end to end, fresh processes: x1 with 1 worker; x scale with 1 and N workers
    tmp = Path(tempfile.mkdtemp(prefix="bench_corpus_"))
    try:
        d1 = copy_corpus(paths, 1, tmp / "x1")
        ds = copy_corpus(paths, args.scale, tmp / f"x{args.scale}")
        log(f"end-to-end runs (fresh processes, best of {args.repeat}) ...")
        b1 = best_batch(d1, 1, args.repeat, words)
        bs1 = best_batch(ds, 1, args.repeat, words * args.scale)
        bsn = best_batch(ds, args.workers, args.repeat, words * args.scale)
        bdask = best_batch(ds, args.workers, args.repeat, words * args.scale, "dask") if args.dask else None
        log("machine ceiling: independent processes alone and together ...")
        ceiling = parallel_ceiling(d1, args.workers, 2 if args.quick else 6)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["workers"] = {"corpus_scale": args.scale, "one": bs1, "many": bsn,
                      "speedup": round(bs1["best_wall_s"] / bsn["best_wall_s"], 3),
                      "steady_speedup": round(bs1["steady_s"] / bsn["steady_s"], 3)}
    if bdask is not None:
        out["workers"]["dask"] = bdask
    out["workers"]["machine_ceiling"] = ceiling
    scaling["end_to_end"] = {"x1_s": b1["best_wall_s"], "xS_s": bs1["best_wall_s"],
                             "ratio": round(bs1["best_wall_s"] / b1["best_wall_s"], 3),
                             "ratio_over_scale": round(bs1["best_wall_s"] / b1["best_wall_s"] / args.scale, 3),
                             "steady_ratio": round(bs1["steady_s"] / b1["steady_s"], 3),
                             "steady_ratio_over_scale": round(bs1["steady_s"] / b1["steady_s"] / args.scale, 3),
                             "peak_rss_mb_x1": b1["peak_rss_mb_per_worker"],
                             "peak_rss_mb_xS": bs1["peak_rss_mb_per_worker"]}
    out["scaling"] = scaling
    out["targets"] = targets(out)
    out["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def targets(out: Dict) -> List[Dict]:
    """The issue's four targets against what was measured here."""
    rules = out["throughput"]["rules"]
    w = out["workers"]
    rss = max(w["one"]["peak_rss_mb_per_worker"], w["many"]["peak_rss_mb_per_worker"])
    sc = out["scaling"]["in_process"]["ratio_over_scale"]
    return [
        {"target": f"full pipeline >= {TARGET_WORDS_PER_S:,} words/s on one core (rules pipeline, wall)",
         "measured": rules["words_per_s"], "met": rules["words_per_s"] >= TARGET_WORDS_PER_S},
        {"target": f"{w['many']['workers']} workers >= {TARGET_SPEEDUP_2}x one worker "
                   f"(run_batch after start-up; end to end {w['speedup']:.2f}x)",
         "measured": w["steady_speedup"], "met": w["steady_speedup"] >= TARGET_SPEEDUP_2},
        {"target": f"peak RSS < {TARGET_RSS_MB} MB per worker",
         "measured": rss, "met": rss < TARGET_RSS_MB},
        {"target": f"x{out['scaling']['scale']} corpus time within {TARGET_SCALING_TOLERANCE:.0%} "
                   f"of {out['scaling']['scale']} x the x1 time (in process)",
         "measured": sc, "met": abs(sc - 1) <= TARGET_SCALING_TOLERANCE},
    ]


def format_report(out: Dict) -> str:
    m = out["machine"]
    lines = [f"# extractor benchmark, {out['date']}",
             f"machine: {m['cpu_model']}, {m['cores']} cores ({m['cores_usable']} usable), {m['ram_gb']} GB RAM, "
             f"Python {m['python']}, spaCy {m['versions']['spacy']}, scispacy {m['versions']['scispacy']}; "
             f"load average at start {m['load_average_at_start'][0]}, at end {m.get('load_average_at_end', ['?'])[0]}",
             f"corpus: {out['corpus']['documents']} documents, {out['corpus']['words']:,} words; "
             f"best of {out['settings']['repeat']}",
             f"start-up: pipeline {out['startup']['load_s']:.2f} s, first document {out['startup']['first_document_s']:.2f} s"
             + (f", NER model {out['startup']['model_load_s']:.2f} s" if "model_load_s" in out["startup"] else "")
             + f"; this process with both pipelines: peak RSS {out['startup']['bench_process_peak_rss_mb']:.0f} MB",
             "",
             "## words/s, one process, one thread",
             "| stage | words/s (wall) | words/s (CPU) | best s |",
             "|---|---:|---:|---:|"]
    labels = {"scispacy_tokenizer": "scispacy tokenizer alone", "ocr_repair": "OCR repair alone",
              "tokenizer": "tokenizer (nlp.make_doc: repair + scispacy)", "rules": "rules pipeline (extractor.load())",
              "model": "full pipeline + NER model (use_model=True)"}
    for key, label in labels.items():
        r = out["throughput"][key]
        if "skipped" in r:
            lines.append(f"| {label} | skipped: {r['skipped']} | | |")
        else:
            lines.append(f"| {label} | {r['words_per_s']:,} | {r['cpu_words_per_s']:,} | {r['best_wall_s']:.3f} |")
    for which, comps in out["components"].items():
        lines += ["", f"## time per component ({which} pipeline)", "| component | s | share |", "|---|---:|---:|"]
        lines += [f"| {c['component']} | {c['seconds']:.3f} | {c['share']:.1%} |" for c in comps]
    w = out["workers"]
    lines += ["", f"## end to end (run_batch, fresh process, corpus x{w['corpus_scale']})",
              "| workers | wall s | words/s | start-up s | after start-up s | words/s after start-up "
              "| CPU s | peak RSS per worker MB | parent MB |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in (w["one"], w["many"], w.get("dask")):
        if r is None:
            continue
        lines.append(f"| {r['workers']}{' (Dask LocalCluster)' if r.get('engine') == 'dask' else ''} | {r['best_wall_s']:.2f} | {r['words_per_s']:,} | {r['startup_s']:.2f} | "
                     f"{r['steady_s']:.2f} | {r['steady_words_per_s'] or 0:,} | {r['cpu_s']:.2f} | "
                     f"{r['peak_rss_mb_per_worker']:.0f} | {r['peak_rss_mb_parent']:.0f} |")
    if "dask" in w:
        lines.append("(Dask: each worker builds its pipeline inside its first task, so its start-up "
                     "overlaps work; compare wall times)")
    c = w.get("machine_ceiling")
    if c:
        lines.append(f"machine ceiling: {c['workers']} independent copies of a warm one-process job "
                     f"(no engine) ran {c['speedup_ceiling']:.2f}x one copy's throughput "
                     f"(alone {c['alone_s']:.2f} s, together {', '.join(f'{t:.2f}' for t in c['together_s'])} s)")
    lines.append(f"speedup {w['many']['workers']} vs 1 worker: {w['speedup']:.2f}x end to end, "
                 f"{w['steady_speedup']:.2f}x after start-up")
    s = out["scaling"]
    lines += ["", f"## corpus x1 vs x{s['scale']}",
              "| measured | x1 s | xS s | ratio | ratio / scale |", "|---|---:|---:|---:|---:|"]
    for key, label in (("in_process", "in process, warm"), ("end_to_end", "end to end, 1 worker")):
        r = s[key]
        lines.append(f"| {label} | {r['x1_s']:.3f} | {r['xS_s']:.3f} | {r['ratio']:.2f} | {r['ratio_over_scale']:.3f}"
                     + (f" (CPU time: {r['cpu_ratio_over_scale']:.3f})" if "cpu_ratio_over_scale" in r else "") + " |")
    e = s["end_to_end"]
    lines.append(f"| end to end after start-up | | | {e['steady_ratio']:.2f} | {e['steady_ratio_over_scale']:.3f} |")
    lines.append(f"peak RSS, 1 worker: x1 {s['end_to_end']['peak_rss_mb_x1']:.0f} MB, "
                 f"x{s['scale']} {s['end_to_end']['peak_rss_mb_xS']:.0f} MB")
    lines += ["", "## targets (issue 10)"]
    lines += [f"- [{'x' if t['met'] else ' '}] {t['target']}: measured {t['measured']}" for t in out["targets"]]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", nargs="+", default=None,
                        help="files/folders of .txt reports (default: corpus/ plus ../shared oncology-dev and seed)")
    parser.add_argument("--json", default=None, help="also write every number to this JSON file")
    parser.add_argument("--repeat", type=int, default=3, help="timed repetitions; the best is kept")
    parser.add_argument("--scale", type=int, default=8, help="copies of the corpus for the scaling and worker runs")
    parser.add_argument("--workers", type=int, default=2, help="workers compared with one")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: one repetition, corpus x2 (for tests; the numbers mean little)")
    parser.add_argument("--dask", action="store_true",
                        help="also time the Dask engine (a LocalCluster of --workers processes) at the same scale")
    parser.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--json-only", action="store_true", help="print nothing but errors")
    parser.add_argument("--_batch-child", dest="batch_child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--batch-dir", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--_ceiling-child", dest="ceiling_child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--passes", type=int, default=6, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.batch_child:
        return _batch_child(args)
    if args.ceiling_child:
        return _ceiling_child(args)
    if args.quick:
        args.repeat, args.scale = 1, 2
    if args.repeat < 1 or args.scale < 1 or args.workers < 1:
        parser.error("--repeat, --scale and --workers must be at least 1")
    out = run(args)
    if not args.json_only:
        print(format_report(out))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
