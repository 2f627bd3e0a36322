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
import re  # noqa: E402
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


#: drug lexicon files whose rows an ablation hides (column holding the canonical name)
_NAME_COLUMNS = {"drugs.csv": "name", "drugs_drugbank.csv": "name", "drugs_abbreviations.csv": "name"}


def _hide_drug_names(hidden: frozenset):
    """Make the drug lexicons (and the name-shape classifier) forget ``hidden`` names.

    Rows whose canonical name is hidden, or list a hidden name among their synonyms,
    are dropped from the CSVs the drug family reads; every cached lookup is cleared.
    Returns an undo function."""
    import extractor.model as model
    import extractor.novel_names as novel_names
    import extractor.normalize.drugs as drugs
    from extractor.patterns import load_csv as real_load_csv

    real_training_words = novel_names.training_words

    def load_csv(name, required=()):
        rows = real_load_csv(name, required)
        column = _NAME_COLUMNS.get(name)
        if not column:
            return rows
        return [r for r in rows if r.get(column, "").lower() not in hidden
                and not hidden & {s.lower() for s in (r.get("synonyms") or "").split("|")}]

    def training_words(exclude=frozenset()):
        # hidden names must not sit among the "other words" either (the clinical
        # vocabulary lists drug names): the classifier never saw them
        return real_training_words(exclude | hidden)

    def clear():
        for module in (drugs, model, novel_names):
            for value in vars(module).values():
                if hasattr(value, "cache_clear"):
                    value.cache_clear()

    drugs.load_csv = load_csv
    novel_names.training_words = training_words
    clear()

    def undo():
        drugs.load_csv = real_load_csv
        novel_names.training_words = real_training_words
        clear()

    return undo


def _hide_procedure_terms(hidden: frozenset):
    """Make the procedure lexicon forget the single-word terms ``hidden`` (suffix rules
    such as ``-ectomy`` stay: they are general rules, not lexicon entries). Returns an undo."""
    import extractor.model as model
    import extractor.normalize.procedures as procedures
    from extractor.patterns import load_csv as real_load_csv

    def load_csv(name, required=()):
        rows = real_load_csv(name, required)
        if name != "procedures_terms.csv":
            return rows
        return [r for r in rows if r["term"].lower() not in hidden]

    def clear():
        for module in (procedures, model):
            for value in vars(module).values():
                if hasattr(value, "cache_clear"):
                    value.cache_clear()

    procedures.load_csv = load_csv
    clear()

    def undo():
        procedures.load_csv = real_load_csv
        clear()

    return undo


def _last_word(text: str) -> str:
    words = re.findall(r"[^\W\d_]+", text)
    return words[-1].lower() if words else ""


def ablation(name: str, rules, model, folds: int = 5, label: str = "DRUG") -> dict:
    """Unseen names, simulated on a gold corpus. DRUG: the gold drug names (not regimens)
    are split into ``folds`` and, fold by fold, the drug lexicons forget them.
    PROCEDURE: the same with the single-word lexicon terms that head gold procedures
    (``dissection``, ``biopsy``). Both pipelines run again per fold; recall is counted
    on the gold mentions of the forgotten names (lenient), precision over all
    predictions of the label."""
    from extractor.evaluate import lenient_matches, predict_gold_texts
    from extractor.patterns import load_csv

    path = CORPORA / GOLD[name]
    gold = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold[row["id"]] = [m for m in row["mentions"] if m["label"] == label]
    if label == "DRUG":
        def name_of(m):
            return m["attrs"].get("name", "").lower()

        names = sorted({name_of(m) for ms in gold.values() for m in ms
                        if m["attrs"].get("name") and not m["attrs"].get("components")})
        hide = _hide_drug_names
    else:
        terms = {r["term"] for r in load_csv("procedures_terms.csv")
                 if r["term"] == r["term"].lower() and " " not in r["term"]}

        def name_of(m):
            return _last_word(m["text"])

        names = sorted({name_of(m) for ms in gold.values() for m in ms} & terms)
        hide = _hide_procedure_terms
    totals = {k: {"hidden_gold": 0, "hidden_found": 0, "tp": 0, "pred": 0, "gold": 0} for k in ("rules", "model")}
    per_fold = []
    for f in range(folds):
        hidden = frozenset(names[f::folds])
        undo = hide(hidden)
        try:
            for kind, nlp in (("rules", rules), ("model", model)):
                _, pred = predict_gold_texts(path, nlp=nlp)
                t = totals[kind]
                for doc_id, g in gold.items():
                    p = [m for m in pred.get(doc_id, []) if m["label"] == label]
                    pairs = lenient_matches(g, p)
                    matched = {i for i, _ in pairs}
                    t["tp"] += len(pairs)
                    t["pred"] += len(p)
                    t["gold"] += len(g)
                    for i, m in enumerate(g):
                        if name_of(m) in hidden:
                            t["hidden_gold"] += 1
                            t["hidden_found"] += int(i in matched)
            per_fold.append(sorted(hidden))
        finally:
            undo()
    out = {"label": label, "folds": folds, "names": len(names), "hidden_per_fold": per_fold}
    for kind, t in totals.items():
        p = t["tp"] / t["pred"] if t["pred"] else 0.0
        r = t["tp"] / t["gold"] if t["gold"] else 0.0
        out[kind] = {"hidden_recall": t["hidden_found"] / t["hidden_gold"] if t["hidden_gold"] else 0.0,
                     "hidden_mentions": t["hidden_gold"], "precision": p, "recall": r,
                     "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


def format_ablation(name: str, a: dict) -> str:
    lab = a.get("label", "DRUG")
    what = "gold DRUG names" if lab == "DRUG" else "lexicon terms heading gold PROCEDUREs"
    lines = [f"## unseen {lab} names on {name}: {a['names']} {what} forgotten by the lexicons, "
             f"{a['folds']} folds (lenient, {lab} only, summed over folds)",
             f"| pipeline | recall on forgotten names | {lab} P | R | F1 |", "|---|---|---|---|---|"]
    for kind in ("rules", "model"):
        k = a[kind]
        lines.append(f"| {'rules only' if kind == 'rules' else 'rules + model'} | {k['hidden_recall']:.3f} "
                     f"(n={k['hidden_mentions']}) | {k['precision']:.3f} | {k['recall']:.3f} | {k['f1']:.3f} |")
    return "\n".join(lines)


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


def readme_tables(out: dict) -> str:
    """The README's summary of one run: DRUG/PROCEDURE with and without the model per
    corpus, the unseen-names ablation, and the speed of both pipelines."""
    rows = ["| corpus (lenient) | DRUG R rules / +model | DRUG F1 rules / +model | "
            "PROCEDURE R rules / +model | PROCEDURE F1 rules / +model |", "|---|---|---|---|---|"]
    corpora = list(out["corpora"].items())
    if "maccrobat_dev" in out:
        corpora.append(("MACCROBAT held-back documents (MACCROBAT's own labels)", out["maccrobat_dev"]))
    for name, both in corpora:
        r, m = both["rules"]["lenient"]["per_label"], both["model"]["lenient"]["per_label"]
        rows.append(f"| {name} | {r['DRUG']['recall']:.3f} / {m['DRUG']['recall']:.3f} | "
                    f"{r['DRUG']['f1']:.3f} / {m['DRUG']['f1']:.3f} | "
                    f"{r['PROCEDURE']['recall']:.3f} / {m['PROCEDURE']['recall']:.3f} | "
                    f"{r['PROCEDURE']['f1']:.3f} / {m['PROCEDURE']['f1']:.3f} |")
    if out.get("ablation"):
        rows += ["", "| unseen names (ablation, lenient) | recall on forgotten names, rules / +model | "
                     "P rules / +model | R rules / +model | F1 rules / +model |", "|---|---|---|---|---|"]
        for name, by_label in out["ablation"].items():
            for label, a in by_label.items():
                r, m = a["rules"], a["model"]
                rows.append(f"| {name} {label} ({a['names']} names, {r['hidden_mentions']} mentions, "
                            f"{a['folds']} folds) | {r['hidden_recall']:.3f} / {m['hidden_recall']:.3f} | "
                            f"{r['precision']:.3f} / {m['precision']:.3f} | {r['recall']:.3f} / {m['recall']:.3f} | "
                            f"{r['f1']:.3f} / {m['f1']:.3f} |")
    sp = out["speed"]
    rows += ["", f"Speed in the same run ({sp['words']:,} words, one thread, best of 3 interleaved passes): "
                 f"rules only {sp['rules']:,} words/s, rules + model {sp['model']:,} words/s."]
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", default=["oncology-dev", "oncology-dev-ocr", "seed", "seed-ocr"])
    parser.add_argument("--speed-corpus", default="oncology-dev")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ablation", nargs="*", default=["oncology-dev", "oncology-dev-ocr"],
                        help="corpora for the unseen-drug-names ablation (none: skip)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--readme", action="store_true", help="also print the README's summary tables")
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
    for name in args.ablation:
        if not (CORPORA / GOLD[name]).exists():
            continue
        for label in ("DRUG", "PROCEDURE"):
            a = ablation(name, rules, model, folds=args.folds, label=label)
            out.setdefault("ablation", {}).setdefault(name, {})[label] = a
            print()
            print(format_ablation(name, a))
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
    if args.readme:
        print("\n## README tables\n")
        print(readme_tables(out))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
