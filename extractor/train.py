"""Train the extractor's own NER model on MACCROBAT (brat standoff, CC BY 4.0).

scispacy's trained pipelines are hosted off the package registries, so the
extractor ships a small NER of its own (``extractor/_model``). This module
turns brat documents into spaCy ``DocBin`` files with the scispacy tokenizer the
pipeline uses (so tokens align at inference), holds back a validation split of
whole documents (fixed seed) and runs ``spacy train`` with ``configs/ner.cfg``.

    from extractor.train import train_model
    scores = train_model("../shared/corpora/maccrobat", "extractor/_model")
"""
from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

#: MACCROBAT entity types the model learns (the model's candidates for DRUG and
#: PROCEDURE come from the first three; the others give it context and are kept
#: in ``doc.spans["case_ner"]`` for whoever wants them)
LABELS = ("Medication", "Therapeutic_procedure", "Diagnostic_procedure",
          "Date", "Lab_value", "Disease_disorder")

REPO_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "ner.cfg"
PACKAGE_MODEL = Path(__file__).resolve().parent / "_model"

#: one entity: (start, end, label) in the document's text
Entity = Tuple[int, int, str]


def default_config_path() -> Path:
    """``configs/ner.cfg`` of a source checkout, else the shipped model's own config."""
    if REPO_CONFIG.exists():
        return REPO_CONFIG
    return PACKAGE_MODEL / "config.cfg"


def read_ann(ann_text: str, labels: Iterable[str] = LABELS) -> List[Entity]:
    """Contiguous text-bound annotations (``T`` lines) of ``labels`` from a brat .ann.

    Discontinuous spans (``start end;start end``) are left out: NER spans are contiguous."""
    wanted = set(labels)
    out: List[Entity] = []
    for line in ann_text.splitlines():
        if not line.startswith("T"):
            continue
        parts = line.split("\t", 2)  # a few lines carry a stray extra tab field
        if len(parts) < 2:
            continue
        head = parts[1]
        if ";" in head:
            continue
        fields = head.split()
        if len(fields) != 3 or fields[0] not in wanted:
            continue
        out.append((int(fields[1]), int(fields[2]), fields[0]))
    return out


def corpus_ids(corpus_dir: Path) -> List[str]:
    """Document ids (file stems) that have both a .txt and an .ann, sorted."""
    corpus_dir = Path(corpus_dir)
    return sorted(p.stem for p in corpus_dir.glob("*.ann") if (corpus_dir / f"{p.stem}.txt").exists())


def split_ids(ids: Sequence[str], dev_share: float = 0.2, seed: int = 0) -> Tuple[List[str], List[str]]:
    """(train, dev) document ids: a seeded shuffle of the sorted ids, ``dev_share`` held back."""
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    n_dev = max(1, round(len(order) * dev_share)) if len(order) > 1 else 0
    return sorted(order[n_dev:]), sorted(order[:n_dev])


def make_tokenizer_nlp():
    """A blank English pipeline with the scispacy tokenizer, as the extractor uses it."""
    import spacy
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = combined_rule_tokenizer(nlp)
    return nlp


def brat_docs(nlp, text: str, entities: List[Entity]) -> Tuple[list, Dict[str, int]]:
    """One spaCy Doc per line of ``text`` (MACCROBAT has a sentence a line) with its
    entities; overlapping annotations keep the longest. Returns (docs, counts)."""
    from spacy.util import filter_spans

    counts = {"entities": 0, "expanded": 0, "dropped": 0}
    docs = []
    offset = 0
    by_start = sorted(entities)
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        doc = nlp(line)
        spans = []
        for s, e, label in by_start:
            if s < start or e > end:
                continue
            counts["entities"] += 1
            span = doc.char_span(s - start, e - start, label=label)
            if span is None:
                span = doc.char_span(s - start, e - start, label=label, alignment_mode="expand")
                counts["expanded"] += span is not None
            if span is None:
                counts["dropped"] += 1
                continue
            spans.append(span)
        kept = filter_spans(spans)
        counts["dropped"] += len(spans) - len(kept)
        doc.ents = kept
        docs.append(doc)
    return docs, counts


def build_docbins(corpus_dir: Path, out_dir: Path, seed: int = 0, n_docs: Optional[int] = None,
                  dev_share: float = 0.2, labels: Iterable[str] = LABELS) -> Dict:
    """Write ``train.spacy`` and ``dev.spacy`` into ``out_dir``; returns the split and counts."""
    from spacy.tokens import DocBin

    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    ids = corpus_ids(corpus_dir)
    if not ids:
        raise FileNotFoundError(f"no brat .txt/.ann pairs in {corpus_dir}")
    if n_docs is not None:
        ids = sorted(random.Random(seed).sample(ids, min(n_docs, len(ids))))
    train_ids, dev_ids = split_ids(ids, dev_share=dev_share, seed=seed)
    nlp = make_tokenizer_nlp()
    labels = tuple(labels)
    totals = {"entities": 0, "expanded": 0, "dropped": 0}
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, part in (("train", train_ids), ("dev", dev_ids)):
        bin_ = DocBin(store_user_data=False)
        for doc_id in part:
            text = (corpus_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
            ents = read_ann((corpus_dir / f"{doc_id}.ann").read_text(encoding="utf-8"), labels)
            docs, counts = brat_docs(nlp, text, ents)
            for k, v in counts.items():
                totals[k] += v
            for doc in docs:
                bin_.add(doc)
        bin_.to_disk(out_dir / f"{name}.spacy")
    return {"train_ids": train_ids, "dev_ids": dev_ids, "alignment": totals}


def evaluate_model(model_dir: Path, dev_path: Path) -> Dict:
    """Per-label and overall P/R/F1 (exact spans) of a trained pipeline on a DocBin."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Example

    from scispacy.custom_tokenizer import combined_rule_tokenizer

    nlp = spacy.load(model_dir)
    nlp.tokenizer = combined_rule_tokenizer(nlp)  # as in the extractor pipeline
    gold = list(DocBin().from_disk(dev_path).get_docs(nlp.vocab))
    examples = [Example(nlp.make_doc(d.text), d) for d in gold]
    scores = nlp.evaluate(examples)

    def r(x):
        return round(float(x or 0.0), 4)

    per = {lab: {"precision": r(v["p"]), "recall": r(v["r"]), "f1": r(v["f"])}
           for lab, v in sorted((scores.get("ents_per_type") or {}).items())}
    for lab in per:
        per[lab]["n_gold"] = sum(1 for d in gold for e in d.ents if e.label_ == lab)
    return {"precision": r(scores["ents_p"]), "recall": r(scores["ents_r"]), "f1": r(scores["ents_f"]),
            "per_label": per, "words_per_second": round(float(scores.get("speed") or 0.0))}


META = {
    "name": "extractor_ner",
    "description": "CPU NER (CNN tok2vec + transition-based ner) proposing candidates for the "
                   "extractor's DRUG and PROCEDURE families; trained with extractor/train.py",
    "license": "CC BY 4.0 (training data)",
    "sources": [{"name": "MACCROBAT", "url": "https://doi.org/10.6084/m9.figshare.9764942.v2",
                 "license": "CC BY 4.0",
                 "author": "Caufield JH, Zhou Y, Bai Y, Liem DA, Garlid AO, Chang KW, Sun Y, Ping P, Wang W"}],
}


def stamp_meta(model_dir: Path) -> None:
    """Name the pipeline and credit its training data in ``meta.json``."""
    path = Path(model_dir) / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(META)
    path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def _clear_pipeline_dir(path: Path) -> None:
    """Empty ``path`` before a new pipeline is copied in, but only if it holds one."""
    if not path.exists():
        return
    if not any(path.iterdir()):
        return
    if not (path / "meta.json").exists() or not (path / "config.cfg").exists():
        raise FileExistsError(f"{path} exists and is not a spaCy pipeline; choose an empty folder")
    shutil.rmtree(path)


def train_model(corpus_dir, output_dir, config_path=None, seed: int = 0, max_steps: Optional[int] = None,
                n_docs: Optional[int] = None, dev_share: float = 0.2, quiet: bool = False) -> Dict:
    """Train the NER on the brat ``corpus_dir`` and save the best pipeline to ``output_dir``.

    ``n_docs`` trains on a seeded sample of documents (smoke tests); ``max_steps``
    overrides the config's step budget. Returns the validation scores, which are
    also written to ``output_dir/validation.json``."""
    import contextlib
    import io

    from spacy.cli.train import train as spacy_train

    output_dir = Path(output_dir)
    config_path = Path(config_path) if config_path else default_config_path()
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="extractor-train-") as tmp:
        tmp = Path(tmp)
        split = build_docbins(Path(corpus_dir), tmp / "corpus", seed=seed, n_docs=n_docs, dev_share=dev_share)
        overrides = {"paths.train": str(tmp / "corpus" / "train.spacy"),
                     "paths.dev": str(tmp / "corpus" / "dev.spacy"),
                     "system.seed": seed}
        if max_steps is not None:
            overrides["training.max_steps"] = int(max_steps)
            overrides["training.eval_frequency"] = max(1, min(200, int(max_steps)))
        log = io.StringIO()
        ctx = contextlib.redirect_stdout(log) if quiet else contextlib.nullcontext()
        with ctx:
            spacy_train(config_path, tmp / "out", overrides=overrides)
        best = tmp / "out" / "model-best"
        if not best.exists():
            best = tmp / "out" / "model-last"
        scores = evaluate_model(best, tmp / "corpus" / "dev.spacy")
        _clear_pipeline_dir(output_dir)
        shutil.copytree(best, output_dir)
        stamp_meta(output_dir)
    scores.update({
        "seed": seed,
        "config": config_path.name,
        "n_train_docs": len(split["train_ids"]),
        "n_dev_docs": len(split["dev_ids"]),
        "dev_ids": split["dev_ids"],
        "alignment": split["alignment"],
        "train_seconds": round(time.time() - t0, 1),
    })
    (output_dir / "validation.json").write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    return scores


def format_validation(scores: Dict) -> str:
    """The validation scores as a Markdown table (for the README)."""
    lines = ["| label | P | R | F1 | gold |", "|---|---|---|---|---|"]
    for lab, v in scores["per_label"].items():
        lines.append(f"| {lab} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v.get('n_gold', '')} |")
    lines.append(f"| all (micro) | {scores['precision']:.3f} | {scores['recall']:.3f} | {scores['f1']:.3f} | |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - `extractor train` is the documented entry point
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir")
    parser.add_argument("output_dir")
    parser.add_argument("--config", default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--n-docs", type=int, default=None)
    a = parser.parse_args()
    result = train_model(a.corpus_dir, a.output_dir, a.config, seed=a.seed, max_steps=a.max_steps, n_docs=a.n_docs)
    print(format_validation(result))
    print(f"trained in {result['train_seconds']} s")
