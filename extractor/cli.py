"""``extractor`` command line: run, evaluate, train, report, export, import.

Commands are thin: they parse arguments, call a library function that returns
values, print, and turn ``ExtractorError`` into a message and exit code 2.
"""
from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import List, Optional

from . import __version__
from .errors import ExtractorError


def _cmd_run(args) -> int:
    from .batch import run_batch

    summary = run_batch(args.inputs, out_dir=args.out, fmt=args.format, workers=args.workers,
                        resume=args.resume, progress=not args.quiet and sys.stderr.isatty(),
                        max_bytes=args.max_bytes, engine=args.engine, scheduler=args.scheduler,
                        nlp_factory=_nlp_factory(args))
    if not args.quiet:
        rows = ", ".join(f"{k}={v}" for k, v in summary["rows"].items())
        print(f"{summary['documents']} documents ({summary['ok']} ok, {summary['failed']} failed, "
              f"{summary['skipped']} already done) -> {summary['out']}\nrows: {rows}")
    return 0


def _nlp_factory(args):
    from functools import partial

    from . import load

    return partial(load, use_model=getattr(args, "model", False))


def _cmd_evaluate(args) -> int:
    from .evaluate import format_scores, read_gold, read_predictions, score

    label_map = None
    if args.label_map:
        label_map = dict(pair.split("=", 1) for pair in args.label_map.split(","))
    gold = read_gold(Path(args.gold), label_map=label_map)
    pred = read_predictions(Path(args.pred))
    if Path(args.gold).is_dir():  # brat: score only the labels the map produces
        from .evaluate import BRAT_LABEL_MAP

        scores = score(gold, pred, labels=sorted(set((label_map or BRAT_LABEL_MAP).values())))
    else:
        scores = score(gold, pred)
    print(format_scores(scores))
    out = Path(args.json) if args.json else (Path(args.pred) / "scores.json" if Path(args.pred).is_dir() else None)
    if out:
        from .tables import atomic_path

        with atomic_path(out) as tmp:
            tmp.write_text(json.dumps(scores, indent=2, sort_keys=True), encoding="utf-8")
        print(f"scores written to {out}")
    return 0


def _cmd_train(args) -> int:
    from .train import train_model

    scores = train_model(args.corpus, args.output, config_path=args.config, seed=args.seed,
                         max_steps=args.max_steps, n_docs=args.n_docs)
    print(json.dumps(scores, indent=2, sort_keys=True))
    return 0


def _cmd_report(args) -> int:
    from .report import build_report

    index = build_report(args.inputs, args.out, nlp_factory=_nlp_factory(args), gold=args.gold)
    print(f"report written: {index}")
    return 0


def _cmd_export(args) -> int:
    from .exchange import export_annotations

    written = export_annotations(args.pred, args.out, fmt=args.to, texts=args.texts)
    print(f"{written} documents exported to {args.out}")
    return 0


def _cmd_import(args) -> int:
    from .exchange import import_annotations

    n = import_annotations(args.source, args.out, fmt=args.source_format, texts=args.texts)
    print(f"{n} documents written to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="extractor", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"extractor {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="extract tables from .txt files and folders")
    run.add_argument("inputs", nargs="+", help="text files and folders of .txt files")
    run.add_argument("--out", required=True, help="output folder for the tables")
    run.add_argument("--format", default="csv", choices=["csv", "parquet", "jsonl"])
    run.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    run.add_argument("--engine", default="local", choices=["local", "dask"])
    run.add_argument("--scheduler", default=None, help="Dask scheduler address (default: a LocalCluster)")
    run.add_argument("--resume", action="store_true", help="skip documents already in --out's journal")
    run.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024, help="largest input file accepted")
    run.add_argument("--model", action="store_true", help="add the trained NER model's candidates")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    run.set_defaults(func=_cmd_run)

    ev = sub.add_parser("evaluate", help="score predictions against gold (SCHEMA.md scores)")
    ev.add_argument("--gold", required=True, help="SCHEMA.md gold JSONL, or a brat folder (.txt + .ann)")
    ev.add_argument("--pred", required=True, help="a run's output folder or a predictions JSONL")
    ev.add_argument("--label-map", default=None,
                    help="brat type -> label, e.g. Medication=DRUG,Date=DATE (default: MACCROBAT map)")
    ev.add_argument("--json", default=None, help="write the scores here (default: PRED/scores.json)")
    ev.set_defaults(func=_cmd_evaluate)

    tr = sub.add_parser("train", help="train the NER model on a brat corpus")
    tr.add_argument("--corpus", default="../shared/corpora/maccrobat")
    tr.add_argument("--output", default="extractor/_model")
    tr.add_argument("--config", default=None)
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--max-steps", type=int, default=None)
    tr.add_argument("--n-docs", type=int, default=None, help="train on a seeded sample of N documents (smoke tests)")
    tr.set_defaults(func=_cmd_train)

    rp = sub.add_parser("report", help="HTML review pages for documents")
    rp.add_argument("inputs", nargs="+")
    rp.add_argument("--out", required=True)
    rp.add_argument("--model", action="store_true")
    rp.add_argument("--gold", default=None, help="SCHEMA.md gold JSONL or brat folder: mark disagreements on each page")
    rp.set_defaults(func=_cmd_report)

    ex = sub.add_parser("export", help="predictions -> brat or Label Studio pre-annotations")
    ex.add_argument("pred", help="a run's output folder or predictions JSONL")
    ex.add_argument("--texts", required=True, help="folder of the documents' .txt files")
    ex.add_argument("--to", required=True, choices=["brat", "labelstudio"])
    ex.add_argument("--out", required=True)
    ex.set_defaults(func=_cmd_export)

    im = sub.add_parser("import", help="corrected brat / Label Studio annotations -> SCHEMA.md gold JSONL")
    im.add_argument("source", help="brat folder or Label Studio JSON export")
    im.add_argument("--source-format", required=True, choices=["brat", "labelstudio"])
    im.add_argument("--texts", default=None, help="folder of the .txt files (Label Studio)")
    im.add_argument("--out", required=True, help="gold JSONL to write")
    im.set_defaults(func=_cmd_import)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    warnings.filterwarnings("ignore", message="Possible set union", category=FutureWarning)
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ExtractorError as exc:
        print(f"extractor: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("extractor: interrupted; rerun with --resume to continue", file=sys.stderr)
        return 130
