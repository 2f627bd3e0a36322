"""Rules-only vs rules + trained NER model: per-label scores and speed, in one run.

    .venv/bin/python benchmarks/model_eval.py [--corpora oncology-dev ...] [--json out.json]

For each corpus (SCHEMA.md gold beside the texts under ../shared/corpora) it prints
lenient and strict P/R/F1 per label with and without the model, the change, and
DRUG/PROCEDURE normalisation accuracy; then words per second of both pipelines on
the same texts (one process, one thread, best of ``--repeat`` timed passes after a
warm-up). Words are whitespace-separated tokens of the original text.
"""
from __future__ import annotations

import os

# one core, as the speed target is stated (set before numpy/thinc load BLAS)
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPORA = Path(os.environ.get("EXTRACTOR_SHARED", REPO.parent / "shared")) / "corpora"
GOLD = {
    "seed": "seed/seed.gold.jsonl",
    "seed-ocr": "seed-ocr/ocr.gold.jsonl",
    "oncology-dev": "oncology-dev/oncology-dev.gold.jsonl",
    "oncology-dev-ocr": "oncology-dev-ocr/ocr.gold.jsonl",
}


def pipelines():
    """(rules-only, rules + model) pipelines."""
    import extractor
    from extractor.model import POST_PIPE, add_model_post

    rules = extractor.load()
    model = extractor.load(use_model=True)
    if POST_PIPE not in model.pipe_names:  # until pipeline.build calls add_model_post itself
        add_model_post(model)
    return rules, model


def gold_texts(gold_path: Path):
    rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(gold_path.parent / r["text_file"]).read_text(encoding="utf-8") for r in rows]


def words_per_second(nlp, texts, repeat: int = 3) -> float:
    n_words = sum(len(t.split()) for t in texts)
    for _ in nlp.pipe(texts[:2]):  # warm-up (lazy regex compilation, lexicon loading)
        pass
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts):
            pass
        best = min(best, time.perf_counter() - t0)
    return n_words / best


def compare(name: str, rules, model) -> dict:
    from extractor.evaluate import evaluate_gold_file

    path = CORPORA / GOLD[name]
    return {"rules": evaluate_gold_file(path, nlp=rules), "model": evaluate_gold_file(path, nlp=model)}


#: MACCROBAT types that stand for the extractor's DRUG and PROCEDURE (a rough proxy:
#: Diagnostic_procedure also covers lab tests and examinations, which are not procedures)
MACCROBAT_MAP = {"Medication": "DRUG", "Therapeutic_procedure": "PROCEDURE", "Diagnostic_procedure": "PROCEDURE"}


def compare_maccrobat(dev_ids, rules, model) -> dict:
    """Lenient agreement of DRUG/PROCEDURE mentions with MACCROBAT's own annotations on
    the model's held-out validation documents (unseen by the model and by the rules)."""
    from extractor import extract
    from extractor.evaluate import read_brat, score

    folder = CORPORA / "maccrobat"
    gold = {k: v for k, v in read_brat(folder, MACCROBAT_MAP).items() if k in set(dev_ids)}
    out = {}
    for name, nlp in (("rules", rules), ("model", model)):
        pred = {}
        for doc_id in gold:
            text = (folder / f"{doc_id}.txt").read_text(encoding="utf-8")
            pred[doc_id] = [m.to_gold() for m in extract(text, doc_id=doc_id, nlp=nlp).mentions]
        out[name] = score(gold, pred, labels=["DRUG", "PROCEDURE"])
    return out


def format_compare(name: str, both: dict) -> str:
    r, m = both["rules"], both["model"]
    lines = [f"## {name} ({r['documents']} documents), lenient [strict F1]",
             "| label | rules P | R | F1 | model P | R | F1 | dF1 | dR | strict F1 rules/model |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for lab in list(r["lenient"]["per_label"]) + ["micro"]:
        get = (lambda s, mode: s[mode]["micro"]) if lab == "micro" else (lambda s, mode: s[mode]["per_label"][lab])
        a, b = get(r, "lenient"), get(m, "lenient")
        sa, sb = get(r, "strict"), get(m, "strict")
        lines.append(f"| {lab} | {a['precision']:.3f} | {a['recall']:.3f} | {a['f1']:.3f} | "
                     f"{b['precision']:.3f} | {b['recall']:.3f} | {b['f1']:.3f} | "
                     f"{b['f1'] - a['f1']:+.3f} | {b['recall'] - a['recall']:+.3f} | {sa['f1']:.3f}/{sb['f1']:.3f} |")
    for lab in ("DRUG", "PROCEDURE"):
        a, b = r["lenient"]["per_label"].get(lab), m["lenient"]["per_label"].get(lab)
        if a and b:
            lines.append(f"{lab}: {b['n_pred'] - a['n_pred']:+d} predicted mentions with the model, "
                         f"{b['tp'] - a['tp']:+d} matching gold")
    for lab in ("DRUG", "PROCEDURE"):
        na = r["normalisation"].get(lab, {})
        nb = m["normalisation"].get(lab, {})
        for key in sorted(set(na) | set(nb)):
            fa, fb = na.get(key, {}), nb.get(key, {})
            lines.append(f"normalisation {lab}.{key}: rules {fa.get('accuracy')} (n={fa.get('n')}), "
                         f"model {fb.get('accuracy')} (n={fb.get('n')})")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", default=["oncology-dev", "oncology-dev-ocr", "seed", "seed-ocr"])
    parser.add_argument("--speed-corpus", default="oncology-dev")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default=None, help="also write every score to this JSON file")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")

    from extractor.model import MODEL_DIR

    rules, model = pipelines()
    print("rules pipeline:", rules.pipe_names)
    print("model pipeline:", model.pipe_names)
    out = {"corpora": {}, "speed": {}}
    val = MODEL_DIR / "validation.json"
    if val.exists():
        from extractor.train import format_validation

        v = json.loads(val.read_text(encoding="utf-8"))
        out["validation"] = v
        print(f"\n## model on its MACCROBAT validation split ({v['n_dev_docs']} documents, exact spans)")
        print(format_validation(v))
    for name in args.corpora:
        if not (CORPORA / GOLD[name]).exists():
            print(f"\n{name}: missing, skipped")
            continue
        both = compare(name, rules, model)
        out["corpora"][name] = both
        print()
        print(format_compare(name, both))
    if "validation" in out and (CORPORA / "maccrobat").exists():
        both = compare_maccrobat(out["validation"]["dev_ids"], rules, model)
        out["maccrobat_dev"] = both
        print()
        print(format_compare("maccrobat validation documents vs MACCROBAT Medication -> DRUG, "
                             "Therapeutic/Diagnostic_procedure -> PROCEDURE", both))
    texts = gold_texts(CORPORA / GOLD[args.speed_corpus])
    n_words = sum(len(t.split()) for t in texts)
    # interleave the two pipelines so machine load hits both alike
    speeds = {"rules": [], "model": []}
    for _ in range(args.repeat):
        speeds["rules"].append(words_per_second(rules, texts, repeat=1))
        speeds["model"].append(words_per_second(model, texts, repeat=1))
    out["speed"] = {k: round(max(v)) for k, v in speeds.items()}
    out["speed"]["words"] = n_words
    print(f"\n## speed on {args.speed_corpus} ({n_words} words, one thread, best of {args.repeat})")
    print(f"rules only: {out['speed']['rules']:,} words/s; rules + model: {out['speed']['model']:,} words/s")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
