"""Build corpus/*.txt and corpus/gold.jsonl from the marked-up sources in corpus/annotated/.

A mention is written ``{{surface text|LABEL|key=value;key=value}}``; ``components``
takes the rest of the attribute string after ``components=`` up to the next
``;patient=`` (its values contain ``;``). Values ``true``/``false`` become booleans,
numbers become numbers. Run: ``python scripts/build_corpus_gold.py``.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "corpus"
MARK = re.compile(r"\{\{(.+?)\|([A-Z]+)\|(.*?)\}\}", re.DOTALL)


def parse_attrs(raw: str, label: str = "") -> dict:
    attrs = {}
    comp = re.search(r"components=(.*?)(?=;(?:patient|name|atc)=|$)", raw)
    if comp:
        attrs["components"] = comp.group(1)
        raw = raw[: comp.start()] + raw[comp.end():]
    for part in filter(None, raw.split(";")):
        key, _, value = part.partition("=")
        if value in ("true", "false"):
            attrs[key] = value == "true"
        elif re.fullmatch(r"-?\d+", value) and key in ("value", "high") and label == "SURVIVAL":
            attrs[key] = int(value)
        elif re.fullmatch(r"-?\d+\.\d+", value) and key in ("value", "high") and label == "SURVIVAL":
            attrs[key] = float(value)
        else:
            attrs[key] = value
    return attrs


def build(source: Path):
    marked = source.read_text(encoding="utf-8")
    text, mentions, pos = [], [], 0
    out_len = 0
    for m in MARK.finditer(marked):
        chunk = marked[pos:m.start()]
        text.append(chunk)
        out_len += len(chunk)
        surface = m.group(1)
        mentions.append({"start": out_len, "end": out_len + len(surface), "label": m.group(2),
                         "text": surface, "attrs": parse_attrs(m.group(3), m.group(2))})
        text.append(surface)
        out_len += len(surface)
        pos = m.end()
    text.append(marked[pos:])
    full = "".join(text)
    if "{{" in full or "}}" in full:
        sys.exit(f"{source}: unbalanced markup")
    for mm in mentions:
        assert full[mm["start"]:mm["end"]] == mm["text"]
    return full, mentions


def main() -> None:
    lines = []
    for source in sorted((ROOT / "annotated").glob("*.md")):
        text, mentions = build(source)
        name = source.stem + ".txt"
        (ROOT / name).write_text(text, encoding="utf-8")
        lines.append(json.dumps({"id": source.stem, "text_file": name, "mentions": mentions}, ensure_ascii=False))
    (ROOT / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} documents -> {ROOT / 'gold.jsonl'}")


if __name__ == "__main__":
    main()
