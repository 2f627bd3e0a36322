"""Every rule row under patterns/ is matched by its own example; loaders validate rows."""
import csv
import json
import re
from pathlib import Path

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
