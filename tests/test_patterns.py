"""Every rule row under patterns/ is matched by its own example; loaders validate rows."""
import csv
import json
import re

import pytest

from extractor.errors import PatternError
from extractor.patterns import load_csv, load_jsonl, patterns_dir

ROOT = patterns_dir()


#: rule files whose rows are plain regexes checked here; the families' own rule
#: files (templated or relative patterns) are checked by each family's tests
PLAIN_REGEX_FILES = ("stage.jsonl", "sections.csv")


def _regex_rows():
    for path in sorted(ROOT.glob("*.jsonl")):
        if path.name not in PLAIN_REGEX_FILES:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.lstrip().startswith("//"):
                row = json.loads(line)
                if "pattern" in row and "example" in row and isinstance(row["pattern"], str):
                    yield pytest.param(row, id=f"{path.name}:{lineno}")
    for path in sorted(ROOT.glob("*.csv")):
        if path.name not in PLAIN_REGEX_FILES:
            continue
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
        reader = csv.DictReader(lines)
        if not reader.fieldnames or "pattern" not in reader.fieldnames or "example" not in reader.fieldnames:
            continue
        for i, row in enumerate(reader, 2):
            yield pytest.param({"pattern": row["pattern"], "example": row["example"], "_csv": path.name},
                               id=f"{path.name}:{i}")


@pytest.mark.parametrize("row", list(_regex_rows()))
def test_patterns_example_matches_its_rule(row):
    if row.get("_csv") == "sections.csv":
        from extractor.sections import find_sections

        assert find_sections(row["example"] + "\n\nbody text")[0].name != "title"
        return
    flags = re.IGNORECASE if row.get("ignore_case") or row.get("_csv") else 0
    assert re.search(row["pattern"], row["example"], flags), row


def test_patterns_every_file_loads():
    for path in ROOT.glob("*.jsonl"):
        load_jsonl(path.name)
    for path in ROOT.glob("*.csv"):
        load_csv(path.name)


def test_patterns_bad_row_names_file_and_line(tmp_path, monkeypatch):
    (tmp_path / "x.jsonl").write_text('{"id": "a", "pattern": "a"}\n{"id": "b"\n', encoding="utf-8")
    (tmp_path / "y.csv").write_text("a,b\n1,2\n3\n", encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_PATTERNS", str(tmp_path))
    with pytest.raises(PatternError, match=r"x.jsonl:2: not valid JSON"):
        load_jsonl("x.jsonl")
    with pytest.raises(PatternError, match=r"x.jsonl:1: missing key\(s\) \['example'\]"):
        load_jsonl("x.jsonl", required=("pattern", "example"))
    with pytest.raises(PatternError, match=r"y.csv: data row 3"):
        load_csv("y.csv")


# --- context rule files (read through patterns.load_context_rules) ---------------

#: named context rules and closed word lists moved out of the code; every row is checked here
CONTEXT_FILES = ("biomarkers_context.jsonl", "survival_context.jsonl", "dates_context.jsonl",
                 "timeline.jsonl", "resolve.jsonl", "ocr_context.jsonl", "procedures_context.jsonl",
                 "stage_context.jsonl", "drugs_context.jsonl")


def test_every_context_file_is_checked():
    from extractor.patterns import patterns_dir

    on_disk = {p.name for p in patterns_dir().glob("*context.jsonl")} | {"timeline.jsonl", "resolve.jsonl"}
    assert on_disk == set(CONTEXT_FILES)


def _context_rows():
    from extractor.patterns import load_context_rules as context_rules

    for name in CONTEXT_FILES:
        for rule in context_rules(name).values():
            yield pytest.param(name, rule, id=f"{name}:{rule.id}")


@pytest.mark.parametrize("name,rule", list(_context_rows()))
def test_context_rule_example_matches(name, rule):
    example = rule.row["example"]
    if rule.words is not None:
        assert example in rule.words, (name, rule.id)
    else:
        assert rule.rx.search(example), (name, rule.id, rule.pattern, example)
    assert rule.row.get("note"), f"{name}:{rule.id} needs a note saying what the rule is for"


def test_context_rules_expand_parts_and_flags():
    from extractor.patterns import load_context_rules as context_rules

    bio = context_rules("biomarkers_context.jsonl")
    assert bio["filler"].pattern in bio["next-marker-cue"].pattern  # {FILLER} expanded
    assert "{" + "FILLER}" not in bio["next-marker-cue"].pattern
    assert bio["patient"].rx.flags & re.IGNORECASE and not bio["clause-end"].rx.flags & re.IGNORECASE
    surv = context_rules("survival_context.jsonl")
    assert surv["digits"].pattern in surv["bare-number-before"].pattern


@pytest.mark.parametrize("line, message", [
    ('{"id": "a", "pattern": "x", "flags": "q", "example": "x"}', r"x\.jsonl:1: unknown flag 'q'"),
    ('{"id": "a", "pattern": "{NOPE}x", "example": "x"}', r"x\.jsonl:1: \{NOPE\} names no earlier pattern row"),
    ('{"id": "a", "pattern": "(x", "example": "x"}', r"x\.jsonl:1: bad regex"),
    ('{"id": "a", "example": "x"}', r"x\.jsonl:1: each row needs a pattern"),
    ('{"id": "a", "words": "x", "example": "x"}', r"x\.jsonl:1: words must be a list"),
    ('{"id": "a", "pattern": "x"}', r"x\.jsonl:1: missing key\(s\) \['example'\]"),
    ('{"id": "a", "pattern": "x", "example": "x"}\n{"id": "a", "words": ["x"], "example": "x"}',
     r"x\.jsonl:2: duplicate id 'a'"),
])
def test_context_rules_bad_row_names_file_and_line(tmp_path, monkeypatch, line, message):
    from extractor.patterns import load_context_rules as context_rules
    from extractor.patterns import _load_jsonl_cached

    (tmp_path / "x.jsonl").write_text(line + "\n", encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_PATTERNS", str(tmp_path))
    _load_jsonl_cached.cache_clear()
    context_rules.cache_clear()
    try:
        with pytest.raises(PatternError, match=message):
            context_rules("x.jsonl")
    finally:
        _load_jsonl_cached.cache_clear()
        context_rules.cache_clear()

