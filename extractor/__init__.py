"""extractor: oncology case reports -> stages, dates, drugs, procedures, biomarkers,
survival figures, as typed mentions and tables.

    import extractor
    result = extractor.extract(text)          # typed mentions of one report
    result.stages[0].value                    # 'pT4bN2aM1b'
    tables = result.tables()                  # pandas DataFrames by table name
    nlp = extractor.load()                    # the spaCy pipeline itself
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

__version__ = "0.1.0"

_NLP = None


def load(families: Optional[Iterable[str]] = None, repair_text: bool = True, use_model: bool = False):
    """The extractor's spaCy ``Language`` (see ``extractor.pipeline``)."""
    from .pipeline import build

    return build(families=families, repair_text=repair_text, use_model=use_model)


def _default_nlp():
    global _NLP
    if _NLP is None:
        _NLP = load()
    return _NLP


def extract(text: str, doc_id: str = "", nlp=None):
    """Extract every mention family from one report's text -> ``records.Result``."""
    from .result import result_from_doc

    if not isinstance(text, str):
        raise TypeError(f"extract() needs a str, got {type(text).__name__}")
    nlp = nlp or _default_nlp()
    return result_from_doc(nlp(text), doc_id=doc_id)


def extract_many(texts: Iterable[str], nlp=None, batch_size: int = 16) -> Iterator:
    """``extract`` over many texts through ``nlp.pipe`` (ids are their positions)."""
    from .result import result_from_doc

    nlp = nlp or _default_nlp()
    for i, doc in enumerate(nlp.pipe(texts, batch_size=batch_size)):
        yield result_from_doc(doc, doc_id=str(i))


def extract_files(paths: Iterable[str], out_dir: Optional[str] = None, fmt: str = "csv", **kwargs):
    """Run the batch job over files/folders (see ``extractor.batch.run_batch``).

    With ``out_dir`` the tables are written there and a summary dict is returned;
    without it, each document's table rows come back as a list of dicts."""
    from .batch import run_batch

    return run_batch(list(paths), out_dir=out_dir, fmt=fmt, **kwargs)


__all__ = ["load", "extract", "extract_many", "extract_files", "__version__"]
