"""Print the README's score tables: the pipeline over every shared gold file.

Usage: python scripts/scores_table.py [--model] [--corpora ../shared/corpora]
"""
from __future__ import annotations

import argparse
import warnings
from pathlib import Path

LABELS = ("STAGE", "DATE", "DRUG", "PROCEDURE", "BIOMARKER", "SURVIVAL")
GOLD = {"seed": "seed/seed.gold.jsonl", "seed-ocr": "seed-ocr/ocr.gold.jsonl",
        "oncology-dev": "oncology-dev/oncology-dev.gold.jsonl", "oncology-dev-ocr": "oncology-dev-ocr/ocr.gold.jsonl"}
KEY = {"STAGE": "value", "DATE": "value", "DRUG": "name", "PROCEDURE": "category",
       "BIOMARKER": "marker", "SURVIVAL": "value+unit"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", action="store_true")
    ap.add_argument("--corpora", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpora"))
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    import extractor
    from extractor.evaluate import evaluate_gold_file

    nlp = extractor.load(use_model=args.model)
    files = {k: Path(args.corpora) / v for k, v in GOLD.items()}
    files["corpus (ours)"] = Path(__file__).resolve().parents[1] / "corpus" / "gold.jsonl"
    scores = {name: evaluate_gold_file(path, nlp=nlp) for name, path in files.items() if path.exists()}
    print("Lenient F1 (strict F1 in brackets) per label:\n")
    print("| corpus | " + " | ".join(LABELS) + " | micro |")
    print("|---" * (len(LABELS) + 2) + "|")
    for name, s in scores.items():
        cells = [f"{s['lenient']['per_label'][l]['f1']:.3f} ({s['strict']['per_label'][l]['f1']:.3f})" for l in LABELS]
        print(f"| {name} | " + " | ".join(cells) + f" | {s['lenient']['micro']['f1']:.3f} |")
    print("\nNormalisation accuracy (over lenient pairs) and attribution:\n")
    print("| corpus | " + " | ".join(f"{l} {KEY[l]}" for l in LABELS) + " | BIOMARKER result | patient acc / balanced |")
    print("|---" * (len(LABELS) + 3) + "|")
    for name, s in scores.items():
        norm = s["normalisation"]
        cells = []
        for l in LABELS:
            v = norm.get(l, {}).get(KEY[l], {}).get("accuracy")
            cells.append("-" if v is None else f"{v:.3f}")
        r = norm.get("BIOMARKER", {}).get("result", {}).get("accuracy")
        a = s["attribution"]
        print(f"| {name} | " + " | ".join(cells) + f" | {'-' if r is None else f'{r:.3f}'} | "
              f"{a['accuracy']:.3f} / {a['balanced']:.3f} |")


if __name__ == "__main__":
    main()
