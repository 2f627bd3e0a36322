"""Fuzz the whole pipeline: N generated inputs, count exceptions and broken offsets.

Inputs mix clinical fragments (codes, dates, drugs, OCR damage, captions) with
random Unicode, control characters and very long tokens. Deterministic for a
given --seed. Usage: python scripts/fuzz.py --n 10000 [--seed 0]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
import warnings

FRAGMENTS = [
    "stage ", "stage 1V", "pT4bN2aMlb", "ypTONOMO", "RO resection", "RI", "R2", "T3 N0 M0", "FIGO stage IIIC",
    "In October 2015, ", "22 months after the surgery", "2023-1", "12/03/2015", "Six months ago", "2 years later",
    "XELOX", "FOLFIRI", "5-FU", "calcium folinic acid", "bevacizurnab", "TAC102", "AC", "cycles of ",
    "laparoscopic radical surgery", "pelvic exenteration (PE)", "CT", "PET/CT", "biopsy", "colonoscopy",
    "KRAS G12D", "p.Gly12Asp", "CEA 85.2 ug/L", "CA199", "Ki-67 40%", "HER2 3+", "MSS", "MLH1 (+)", "PD-L1 TPS 50%",
    "alive for 86 months", "median survival of 23 months", "5-year survival rate of 12%", "Twenty-seven months",
    "The patient ", "She received ", "could be considered", "refused ", "Discussion\n", "References\n1. ",
    "\n FIGURE 1\n Legend text (A).\n\n", "resec-\ntion", "\n\n", "\n", "  ", ". ", ", ", "(", ")", "%", "/", "-",
    "\u00ad", "\ufb01", "\u2019", "\u201c", "\u00a0", "\r\n", "\t", "\x0c", "é", "µg/L", "≥", "…",
]


def make_input(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.70:
        return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(0, 60)))
    if kind < 0.85:
        return "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 300)))
    if kind < 0.95:
        pieces = [rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 30))]
        return "".join(p if rng.random() < 0.8 else p.upper() for p in pieces)
    return rng.choice(FRAGMENTS) * rng.randint(1, 400)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore")
    try:  # a memory explosion becomes a counted MemoryError, not the machine's OOM killer
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (6 * 1024 ** 3, 6 * 1024 ** 3))
    except (ImportError, ValueError):
        pass
    import extractor

    nlp = extractor.load()
    rng = random.Random(args.seed)
    errors = bad_offsets = mentions = 0
    slowest = (0.0, -1)
    t0 = time.perf_counter()
    for i in range(args.n):
        text = make_input(rng)
        t_in = time.perf_counter()
        try:
            result = extractor.extract(text, nlp=nlp)
        except Exception:  # noqa: BLE001 - counting is the point
            errors += 1
            if errors <= 5:
                print(f"input {i}: {text[:200]!r}", file=sys.stderr)
                traceback.print_exc()
            continue
        slowest = max(slowest, (time.perf_counter() - t_in, i))
        for m in result.mentions:
            mentions += 1
            if text[m.start:m.end] != m.text or not (0 <= m.start < m.end <= len(text)):
                bad_offsets += 1
    dt = time.perf_counter() - t0
    print(f"fuzz: {args.n} inputs, {mentions} mentions, {errors} exceptions, {bad_offsets} broken offsets, "
          f"{dt:.1f} s (seed {args.seed}); slowest input #{slowest[1]}: {slowest[0]:.2f} s")
    return 1 if errors or bad_offsets else 0


if __name__ == "__main__":
    raise SystemExit(main())
