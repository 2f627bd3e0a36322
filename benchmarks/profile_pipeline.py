"""Where the pipeline spends its time: cProfile over a corpus, grouped by module and by function.

    .venv/bin/python benchmarks/profile_pipeline.py [--inputs PATH ...] [--model] [--top 25]
                                                    [--stats out.prof]

One warm-up pass (lazy lexicons, regex compilation) is run first and not
profiled; the profiled pass is one process, one thread. Shares are of the
profiled wall time; "self" is time in the function's own code, "cumulative"
includes its callees. cProfile's overhead inflates many small Python calls
more than one long C call (a regex search), so read shares as a ranking.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import List, Optional  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import default_inputs, gather, model_pipeline, n_words  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def short(path: str) -> str:
    """``/…/extractor/normalize/drugs.py`` -> ``extractor/normalize/drugs.py``; libraries by package."""
    p = Path(path)
    try:
        return p.resolve().relative_to(REPO).as_posix()
    except ValueError:
        pass
    parts = p.parts
    if "site-packages" in parts:
        i = parts.index("site-packages")
        return "/".join(parts[i + 1:i + 3])
    return path


def by_module(stats: pstats.Stats):
    """Self time per module, so a family's many small functions add up."""
    acc = defaultdict(float)
    for (file, _line, _func), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        acc[short(file) if file != "~" else "builtins (C)"] += tt
    return sorted(acc.items(), key=lambda kv: -kv[1])


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", nargs="+", default=None)
    parser.add_argument("--model", action="store_true", help="profile the pipeline with the trained NER model")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--stats", default=None, help="also save the raw profile (for snakeviz / pstats)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import extractor

    inputs = args.inputs or default_inputs()
    _, texts = gather(inputs)
    words = n_words(texts)
    if args.model:
        nlp, why = model_pipeline()
        if nlp is None:
            print(why)
            return 1
    else:
        nlp = extractor.load()
    for t in texts:  # warm-up
        nlp(t)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for t in texts:
        nlp(t)
    prof.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    total = stats.total_tt or 1.0
    print(f"{len(texts)} documents, {words:,} words, profiled pass {wall:.2f} s "
          f"({words / wall:,.0f} words/s under the profiler); pipeline {nlp.pipe_names}")
    print(f"\n## self time by module (top {args.top})")
    for mod, tt in by_module(stats)[:args.top]:
        print(f"{tt / total:6.1%}  {tt:7.3f} s  {mod}")
    rows = [(ct, tt, nc, f"{short(file)}:{line} {func}")
            for (file, line, func), (_cc, nc, tt, ct, _c) in stats.stats.items()]
    print(f"\n## functions by self time (top {args.top})")
    for ct, tt, nc, name in sorted(rows, key=lambda r: -r[1])[:args.top]:
        print(f"{tt / total:6.1%} self {ct / total:6.1%} cum {nc:8d} calls  {name}")
    print(f"\n## functions by cumulative time, extractor code only (top {args.top})")
    ours = [r for r in rows if r[3].startswith("extractor/")]
    for ct, tt, nc, name in sorted(ours, key=lambda r: -r[0])[:args.top]:
        print(f"{ct / total:6.1%} cum {tt / total:6.1%} self {nc:8d} calls  {name}")
    if args.stats:
        stats.dump_stats(args.stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
