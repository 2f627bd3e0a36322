"""BIOMARKER: molecular, immunohistochemical, serum and microsatellite markers.

Pure functions over the repaired text (no spaCy). The marker lexicon, the hotspot
variants and the result cues are data in ``patterns/biomarkers_*.{csv,jsonl}``;
this module finds the names with one compiled alternation, ties protein changes
to their gene (``KRAS G12D`` is one mention, ``G12D locus of the KRAS gene`` is a
KRAS mention), then reads each marker's result from the clause around it:
its own cue (``CK (+)``, ``Ki-67 approximately 40%``, ``CEA 85.2 ug/L``), else
the cue shared by a list of markers (``positive for A, B and C``). A result
word is kept only when the sentence reports a finding (not a general statement
from the literature), since SCHEMA.md wants no result when the text only
discusses the marker.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, NamedTuple, Optional, Tuple

from ..patterns import load_csv, load_jsonl
from ..patterns import load_context_rules as context_rules

_B = r"(?<![A-Za-z0-9])"
_E = r"(?![A-Za-z0-9])"

KINDS = ("gene", "ihc", "serum", "msi", "virus")


def _rx(rule_id: str) -> re.Pattern:
    """A compiled context rule of ``patterns/biomarkers_context.jsonl``."""
    return context_rules("biomarkers_context.jsonl")[rule_id].rx

# --- protein changes -------------------------------------------------------

_AA3 = {"Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
        "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
        "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*"}
_AA1 = "ACDEFGHIKLMNPQRSTVWY"
_AA3_ALT = "|".join(_AA3)

#: a protein or DNA change, an exon-level event; group names tell which form
VARIANT_RX = re.compile(
    _B + r"(?:"
    r"(?P<p3>p\.\s?(?P<po3>\()?(?P<r3>" + _AA3_ALT + r")(?P<n3>\d{1,4})(?P<a3>" + _AA3_ALT + r"|\*|fs\*?\d*|del|dup)"
    r"(?(po3)\)))"
    r"|(?P<p1>(?P<pp>p\.\s?(?P<po1>\()?)?(?P<r1>[" + _AA1 + r"])(?P<n1>\d{2,4})(?P<a1>[" + _AA1 + r"*](?![a-z])|fs\*?\d*|"
    r"del|dup|X)(?(po1)\)))"
    r"|(?P<c>c\.\s?[-*]?\d+(?:[+-]\d+)?(?:_\d+(?:[+-]\d+)?)?(?:[ACGT]\s?>\s?[ACGT]|del[ACGT]*|dup[ACGT]*|ins[ACGT]+))"
    r"|(?P<ex>(?i:exon)\s?(?P<exn>\d{1,2})\s?(?P<exw>(?i:deletions?|insertions?|del|ins|skipping|mutations?|duplications?))"
    r"|(?P<exw2>(?i:deletions?|insertions?))\s(?:in|of|within)\s(?i:exon)\s?(?P<exn2>\d{1,2}))"
    r")" + _E)


def normalise_variant(m: "re.Match[str]") -> str:
    """A protein change as ``p.G12D`` (three-letter forms converted), else the DNA/exon event."""
    if m.group("p3"):
        alt = m.group("a3")
        alt = _AA3.get(alt, alt)
        return f"p.{_AA3[m.group('r3')]}{m.group('n3')}{alt}"
    if m.group("p1"):
        return f"p.{m.group('r1')}{m.group('n1')}{m.group('a1')}"
    if m.group("c"):
        return re.sub(r"\s", "", m.group("c"))
    word = (m.group("exw") or m.group("exw2")).lower()
    word = {"del": "deletion", "ins": "insertion"}.get(word, word).rstrip("s")
    if word == "mutation":
        return f"exon {m.group('exn') or m.group('exn2')} mutation"
    return f"exon {m.group('exn') or m.group('exn2')} {word}"


@lru_cache(maxsize=1)
def _hotspots() -> Tuple[Tuple[re.Pattern, str], ...]:
    rows = load_csv("biomarkers_variants.csv", required=("pattern", "gene", "example"))
    return tuple((re.compile(r["pattern"] + r"$"), r["gene"]) for r in rows)


def hotspot_gene(change: str) -> Optional[str]:
    """The gene a bare protein change (``p.G12D``) usually belongs to, if it is a known hotspot."""
    core = change[2:] if change.startswith("p.") else change
    for rx, gene in _hotspots():
        if rx.match(core):
            return gene
    if core.startswith("exon"):
        return "EGFR" if _rx("egfr-exon").match(core) else None
    return None


# --- the marker lexicon ------------------------------------------------------

class Entry(NamedTuple):
    marker: str
    kind: str
    ambiguous: bool
    list_only: bool = False


def first_chars(pattern: str) -> Optional[frozenset]:
    """The characters a match of ``pattern`` can start with (None: any), read from
    the parsed regex; lets the lexicon try only the names that can start at a position."""
    try:
        from re import _parser as sre_parse  # Python >= 3.11
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore
    from re import _constants as C  # type: ignore

    def of_seq(items, icase):
        out = set()
        for op, av in items:
            got, nullable = of_item(op, av, icase)
            if got is None:
                return None, False
            out |= got
            if not nullable:
                return out, False
        return out, True

    def of_item(op, av, icase):
        if op is C.LITERAL:
            ch = chr(av)
            return ({ch, ch.lower(), ch.upper()} if icase else {ch}), False
        if op is C.IN:
            chars = set()
            for kind, val in av:
                if kind is C.LITERAL:
                    chars.add(chr(val))
                elif kind is C.RANGE:
                    chars.update(chr(c) for c in range(val[0], val[1] + 1))
                elif kind is C.CATEGORY and val is C.CATEGORY_DIGIT:
                    chars.update("0123456789")
                elif kind is C.CATEGORY and val is C.CATEGORY_SPACE:
                    chars.update(" \t\n\r\f\v")
                else:
                    return None, False
            if icase:
                chars |= {c.lower() for c in chars} | {c.upper() for c in chars}
            return chars, False
        if op is C.BRANCH:
            out, nullable = set(), False
            for seq in av[1]:
                got, n = of_seq(seq, icase)
                if got is None:
                    return None, False
                out |= got
                nullable = nullable or n
            return out, nullable
        if op is C.SUBPATTERN:
            add = av[1]
            return of_seq(av[3], icase or bool(add & re.IGNORECASE))
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            got, n = of_seq(av[2], icase)
            return got, (n or av[0] == 0)
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return set(), True
        return None, False

    parsed = sre_parse.parse(pattern)
    got, nullable = of_seq(list(parsed), bool(parsed.state.flags & re.IGNORECASE))
    return None if got is None or nullable else frozenset(got)


@lru_cache(maxsize=1)
def _lexicon() -> Tuple[Dict[str, Tuple[re.Pattern, Tuple[Tuple[re.Pattern, int], ...]]], Tuple[Entry, ...],
                        re.Pattern]:
    """Names by first character: {char: (any-name regex, ((regex, row), ...))}, the rows, and a regex for
    the word starts worth trying. Trying only the few names that can start with the
    character at hand keeps a 170-name lexicon fast; the longest name wins
    (``cytokeratin 19 fragment`` over ``cytokeratin``)."""
    rows = load_csv("biomarkers_markers.csv",
                    required=("pattern", "marker", "kind", "context", "flags", "example"))
    entries, buckets, anywhere = [], {}, []
    for i, row in enumerate(rows):
        if row["kind"] not in KINDS:
            from ..errors import PatternError

            raise PatternError(f"biomarkers_markers.csv: kind {row['kind']!r} not in {KINDS}")
        if row["context"] not in ("", "required", "list"):
            from ..errors import PatternError

            raise PatternError(f"biomarkers_markers.csv: context {row['context']!r} not in '', required, list")
        pat = row["pattern"]
        if "i" in row["flags"]:
            pat = f"(?i:{pat})"
        one = re.compile(_B + "(?:" + pat + ")" + _E)
        entries.append(Entry(row["marker"], row["kind"], row["context"] in ("required", "list"),
                             row["context"] == "list"))
        chars = first_chars(pat)
        if chars is None:
            anywhere.append((one, i))
        else:
            for ch in chars:
                buckets.setdefault(ch, []).append((one, i))
    if anywhere:  # a name that can start with anything is tried everywhere
        for ch in list(buckets):
            buckets[ch].extend(anywhere)
    starts = "".join(sorted(buckets))
    trigger = re.compile(r"(?<![A-Za-z0-9])" + ("." if anywhere else "[" + re.escape(starts) + "]"), re.S)
    # per character: one alternation to reject a position in one call, then the rows for the longest match
    quick = {ch: re.compile("|".join(f"(?:{one.pattern})" for one, _ in v)) for ch, v in buckets.items()}
    return {ch: (quick[ch], tuple(v)) for ch, v in buckets.items()}, tuple(entries), trigger


class Cue(NamedTuple):
    id: str
    result: str
    kinds: Tuple[str, ...]


@lru_cache(maxsize=None)
def _cues(where: str, kind: str) -> Tuple[re.Pattern, Tuple[Cue, ...]]:
    """The result cues of one side (``after``/``before``) that apply to one marker kind, as
    one alternation (a cue for another kind must not swallow text: ``(3`` of ``(3.2 ng/mL``)."""
    rows = load_jsonl("biomarkers_results.jsonl", required=("id", "where", "result", "kinds", "pattern", "example"))
    rs = [r for r in rows if r["where"] == where and ("*" in r["kinds"] or kind in r["kinds"])]
    filler = context_rules("biomarkers_context.jsonl")["filler"].pattern
    suffix = r"(?=" + filler + r"$)" if where == "before" else ""
    alt = "|".join(f"(?P<c{i}>{r['pattern']}){suffix}" for i, r in enumerate(rs))
    return re.compile(alt, re.MULTILINE), tuple(Cue(r["id"], r["result"], tuple(r["kinds"])) for r in rs)


def _own_clause(text: str, h) -> str:
    """The mention's own clause: the words before it back to a clause break, and after it
    up to the next ``;`` or sentence end."""
    before = _rx("own-clause-before").split(text[max(0, h.start - 120):h.start])[-1]
    after = _rx("own-clause-after").split(text[h.end:h.end + 120], maxsplit=1)[0]
    return before + " " + after


@lru_cache(maxsize=1)
def _ureg():
    """A pint registry with the assay units of tumour markers (U, IU: arbitrary activity units,
    one dimension of their own so that kU/L = U/mL but never = ng/mL). Built on first use."""
    import pint

    reg = pint.UnitRegistry()
    reg.define("assay_unit = [assay_activity] = U = IU")
    return reg


@lru_cache(maxsize=256)
def normalise_unit(unit: str) -> Tuple[Optional[float], Optional[str]]:
    """(factor, canonical unit) for a written concentration unit: ``ug/L`` -> (1.0, ``ng/mL``),
    ``kU/L`` -> (1.0, ``U/mL``), ``pg/ml`` -> (0.001, ``ng/mL``); (None, None) when pint cannot read it."""
    text = unit.replace("µ", "u").replace("μ", "u")
    text = re.sub(r"\s*per\s*", "/", text)
    text = re.sub(r"(?i)(milli|deci)?lit(?:er|re)$", lambda m: {"milli": "mL", "deci": "dL"}.get((m.group(1) or "").lower(), "L"),
                  text).replace(" ", "")
    text = re.sub(r"(?<=/)([mdu]?)[lL]$", lambda m: m.group(1) + "L", text)
    text = re.sub(r"^K(?=I?U)", "k", text)  # ``KU/L``: K would be kelvin
    try:
        reg = _ureg()
        q = reg.Quantity(1.0, text)
        if q.check("[mass] / [length] ** 3"):
            return float(q.to("ng/mL").magnitude), "ng/mL"
        if q.check("[assay_activity] / [length] ** 3"):
            return float(q.to("U/mL").magnitude), "U/mL"
        if q.check("[substance] / [length] ** 3"):
            return float(q.to("nmol/L").magnitude), "nmol/L"
    except Exception:  # pint raises many error types for unknown units
        return None, None
    return None, None


# --- finding ---------------------------------------------------------------

class Hit(NamedTuple):
    start: int
    end: int
    marker: str
    kind: str
    ambiguous: bool
    variant: Optional[str] = None   # a protein change tied to the mention
    list_only: bool = False         # counts only inside a list of other markers (``SCC``)


def _marker_hits(text: str) -> List[Hit]:
    buckets, entries, trigger = _lexicon()
    hits = []
    pos = 0
    while True:
        t = trigger.search(text, pos)
        if not t:
            return hits
        start = t.start()
        best, end = -1, start
        quick, rows = buckets[text[start]]
        if not quick.match(text, start):
            pos = start + 1
            continue
        for one, row in rows:
            m = one.match(text, start)
            if m and m.end() > end:
                best, end = row, m.end()
        if best < 0:
            pos = start + 1
            continue
        e = entries[best]
        marker = e.marker
        if marker == "CD":  # a CD antigen without its own row: ``CD 7`` -> CD7
            marker = "CD" + re.sub(r"^CD\s?", "", text[start:end])
        hits.append(Hit(start, end, marker, e.kind, e.ambiguous, None, e.list_only))
        pos = end


# a hotspot change read by OCR with letters for digits (``Gi2D``, ``V6O0E``)
_OCR_CHANGE = re.compile(_B + r"(?P<r1>[" + _AA1 + r"])(?P<n1>(?=[0-9Iil|O]*[0-9])(?=[0-9Iil|O]*[Iil|O])[0-9Iil|O]{2,4})"
                         r"(?P<a1>[" + _AA1 + r"])" + _E)
_OCR_DIGITS = str.maketrans("Iil|O", "1111" + "0")


def _variant_hits(text: str) -> List[Tuple[int, int, str, "re.Match[str]"]]:
    out = []
    for m in VARIANT_RX.finditer(text):
        change = normalise_variant(m)
        out.append((m.start(), m.end(), change, m))
    for m in _OCR_CHANGE.finditer(text):
        change = f"p.{m.group('r1')}{m.group('n1').translate(_OCR_DIGITS)}{m.group('a1')}"
        if hotspot_gene(change):  # only known hotspots: an OCR guess needs a strong prior
            out.append((m.start(), m.end(), change, VARIANT_RX.fullmatch(change[2:]) or m))
    return sorted(out, key=lambda v: v[0])


def _tie_variants(text: str, hits: List[Hit]) -> List[Hit]:
    """Join protein changes to their genes; bare hotspot changes become mentions of their gene."""
    genes = [h for h in hits if h.kind == "gene" or h.marker in ("ERBB2", "TP53")]
    variants = [v for v in _variant_hits(text)
                if not any(h.start <= v[0] < h.end for h in hits)]
    by_start = {h.start: i for i, h in enumerate(hits)}
    memory: Dict[str, str] = {}
    out = list(hits)
    for vs, ve, change, m in variants:
        bare_ok = bool(m.group("pp") or m.group("p3") or m.group("c") or hotspot_gene(change))
        # GENE G12D / GENE (p.G12D) / GENE revealed the L858R
        prev = [g for g in genes if g.end <= vs and vs - g.end <= 40]
        tied = False
        if prev:
            g = prev[-1]
            gap = text[g.end:vs]
            i = by_start[g.start]
            cur = out[i]
            if cur.variant and cur.variant.startswith("c.") and change.startswith("p.") \
                    and _rx("dna-then-protein").match(text[cur.end:vs]):
                out[i] = cur._replace(variant=change)  # ``KRAS c.35G>A (p.G12D)``: the protein change is the result
                memory[change] = g.marker
                continue
            if cur.variant is None:
                if _rx("adjacent-gap").match(gap) and "\n\n" not in gap:
                    out[i] = cur._replace(end=ve, variant=change)
                    tied = True
                elif _rx("paren-gap").match(gap) or (_rx("near-gap").match(gap) and hotspot_gene(change) in (None, g.marker)):
                    out[i] = cur._replace(variant=change)
                    tied = True
                if tied:
                    memory[change] = g.marker
                    continue
        # G12D locus of the KRAS gene
        nxt = [g for g in genes if g.start >= ve and g.start - ve <= 40]
        if nxt and _rx("of-gene-gap").match(text[ve:nxt[0].start]):
            g = nxt[0]
            i = by_start[g.start]
            if out[i].variant is None:
                out[i] = out[i]._replace(variant=change)
                memory[change] = g.marker
                continue
        if not bare_ok:
            continue
        gene = memory.get(change) or hotspot_gene(change)
        if gene is None:
            before = [g for g in genes if g.end <= vs and _same_sentence(text, g.end, vs)]
            gene = before[-1].marker if before else None
        if gene:
            out.append(Hit(vs, ve, gene, "gene", False, change))
    return sorted(out)


#: a gene symbol written against its protein change without a space (``JAK2V617F``, ``BRAFV600E``)
_FUSED = re.compile(_B + r"(?P<gene>[A-Z][A-Z0-9]{1,6}?)(?P<change>[" + _AA1 + r"]\d{2,4}[" + _AA1 + r"])" + _E)


def _fused_hits(text: str, hits: List[Hit]) -> List[Hit]:
    """``JAK2V617F``: one mention of the gene with its change, when the letters before the change
    are a gene of the lexicon and the change is not known as another gene's hotspot."""
    out = []
    for m in _FUSED.finditer(text):
        if any(h.start < m.end() and m.start() < h.end for h in hits):
            continue
        gene = [h for h in _marker_hits(m.group("gene")) if h.start == 0 and h.end == len(m.group("gene"))]
        if not gene or gene[0].kind != "gene":
            continue
        change = "p." + m.group("change")
        if hotspot_gene(change) not in (None, gene[0].marker):
            continue
        out.append(Hit(m.start(), m.end(), gene[0].marker, "gene", False, change))
    return out


def _same_sentence(text: str, a: int, b: int) -> bool:
    return not _rx("sentence-break").search(text[a:b])


def _drop_overlaps(hits: List[Hit]) -> List[Hit]:
    out: List[Hit] = []
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out


def _groups(text: str, hits: List[Hit], own_end: List[int]) -> List[List[int]]:
    """Runs of markers written as one list (``A, B and C``), as index lists."""
    groups: List[List[int]] = []
    for i, h in enumerate(hits):
        if groups:
            j = groups[-1][-1]
            gap = text[own_end[j]:h.start]
            if len(gap) <= 40 and (_rx("group-gap").match(gap) or _rx("semicolon-gap").match(gap)):
                groups[-1].append(i)
                continue
        groups.append([i])
    return groups


def _clause_end(text: str, pos: int, limit: int) -> int:
    m = _rx("clause-end").search(text, pos, min(len(text), limit))
    return m.start() if m else min(len(text), limit)


def _clause_start(text: str, pos: int, floor: int) -> int:
    start = max(floor, pos - 120)
    last = start
    for m in _rx("clause-start").finditer(text, start, pos):
        last = m.end()
    return last


def _after_cue(text: str, start: int, stop: int, kind: str):
    """The earliest result cue for ``kind`` in ``text[start:stop]``: (cue, match) or None."""
    a_rx, a_cues = _cues("after", kind)
    window = text[start:stop]
    for m in a_rx.finditer(window):
        cue = a_cues[int(m.lastgroup[1:])]
        if cue.result == "VALUE" and _rx("value-reference").search(window[:m.start()]):
            continue
        if cue.id in ("positive", "negative", "elevated", "normal") and _rx("next-marker-cue").fullmatch(window, m.end()):
            continue  # ``negative for cerbB2``: the cue of the next marker
        if cue.result == "MUTATED" and _rx("names-test").match(window[m.end():]):
            continue  # ``KRAS mutation status was wild-type``: the word names the test
        if cue.result == "PERCENT" and _rx("other-subject").search(window[:m.start()]):
            continue  # ``synaptophysin (Fig.2), and the proliferation index was 2%``: another subject
        if cue.result == "VALUE" and m.group("cmp") and not _rx("value-lead").match(window[:m.start()]):
            continue  # ``(normal, <5 ng/mL)``: a reference limit, not the patient's value
        if cue.result == "VALUE" and _rx("value-of-next").match(window[m.end():]):
            continue  # ``82.1 kU/L for CA199``: the value of the next marker
        if kind == "serum" and cue.result in ("elevated", "normal"):
            for m2 in a_rx.finditer(window, m.end()):  # ``raised ... being 1404 pg/ml``: the value wins
                if a_cues[int(m2.lastgroup[1:])].result == "VALUE" and (
                        not m2.group("cmp") or (cue.result == "elevated" and _rx("open-paren-end").search(window[:m2.start()]))) \
                        and not _rx("limit-before").search(window[:m2.start()]):
                    return a_cues[int(m2.lastgroup[1:])], m2
        if cue.result in ("positive", "MUTATED") and _rx("negated-before").search(window[:m.start()]):
            return Cue("negated", "negative", cue.kinds), m  # ``revealed no alterations``
        if cue.result in ("positive", "MUTATED", "METHYLATED") and _rx("then-negated").match(window, m.end()):
            return Cue("negated", "negative", cue.kinds), m  # ``amplification was not detected``
        if kind == "ihc" and cue.id.startswith(("sign", "positive", "elevated", "normal")):
            later = _rx("percent-soon").match(window, m.end()) or _rx("percent-score").search(window, m.end())
            if later:  # ``Ki-67 (+, 60%)``: the percentage says more
                return Cue("percent", "PERCENT", ("ihc",)), later
        return cue, m
    return None


def _before_cue(text: str, start: int, end: int, kind: str):
    b_rx, b_cues = _cues("before", kind)
    best = None
    for m in b_rx.finditer(text[start:end]):
        best = (b_cues[int(m.lastgroup[1:])], m)
    return best


def _render(cue: Cue, m: "re.Match[str]") -> Dict:
    """Turn a cue match into result attributes."""
    res = cue.result
    g = m.groupdict()
    if res == "PERCENT":
        if g.get("hi"):
            return {"result": f"{g['lo']}-{g['hi']}%", "value": float(g["lo"]), "unit": "%"}
        pct = g.get("pct") or g["lo"]
        return {"result": f"{pct}%", "value": float(pct), "unit": "%"}
    if res == "VALUE":
        unit = g["unit"]
        unit = re.sub(r"\s+", " ", unit) if " per " in unit else re.sub(r"\s", "", unit)
        unit = re.sub(r"^K(?=I?U)", "k", unit)  # ``KU/L`` (OCR/typing) is kU/L
        written = g["num"]
        num = re.sub(r"[ ,](?=\d{3}(?!\d))", "", written).replace(",", ".")
        out = {"result": f"{(g.get('cmp') or '').strip()}{written} {unit}"}
        factor, canon = normalise_unit(unit)
        if factor is not None:
            out.update(value=round(float(num) * factor, 6), unit=canon)
        return out
    if res == "SCORE":
        score = int(g.get("score") or g["score2"])
        written = f"{score}+" if "+" in m.group(0) else str(score)
        return {"result": "positive" if score == 3 else ("negative" if score < 2 else "2+"), "score": written}
    if res == "ALLRED":  # Allred score: 0-2 negative, 3-8 positive
        score = int(g["allred"])
        return {"result": "positive" if score >= 3 else "negative", "score": f"{score}/8"}
    if res == "CPS":
        return {"result": "CPS " + re.sub(r"\s", "", g["cps"])}
    if res == "METHYLATED":
        return {"result": "methylated"}
    if res == "MUTATED":
        return {"result": "mutated"}
    return {"result": res}


def _own_window_end(text: str, hits: List[Hit], i: int) -> int:
    h = hits[i]
    nxt = hits[i + 1].start if i + 1 < len(hits) else len(text)
    return min(_clause_end(text, h.end, h.end + 70), nxt)


def find_biomarkers(text: str) -> List[Tuple[int, int, Dict]]:
    """Every BIOMARKER mention of ``text`` as (start, end, attrs): names, variants tied
    to their genes, then each one's result from its own cue, its list's cue, or its alias's."""
    hits = _drop_overlaps(_marker_hits(text))
    hits = _drop_overlaps(_tie_variants(text, hits) + _fused_hits(text, hits))
    hits = [h for h in hits if not _is_target(text, h)]
    if not hits:
        return []
    own, own_end = _own_results(text, hits)
    results, context = _list_results(text, hits, own, own_end)
    _share_with_aliases(text, hits, results, context)
    return _emit(text, hits, results, context)


def _own_results(text: str, hits: List[Hit]) -> Tuple[List[Optional[Dict]], List[int]]:
    """Each marker's own result (the cue right after it, or a value/percentage just before),
    and where the marker with its attached sign ends (``CK (+)``)."""
    own: List[Optional[Dict]] = [None] * len(hits)
    own_end = [h.end for h in hits]
    for i, h in enumerate(hits):
        found = _after_cue(text, h.end, _own_window_end(text, hits, i), h.kind)
        if found:
            cue, m = found
            own[i] = dict(_render(cue, m), _cue=cue.id, _at=m.start(), _end=h.end + m.end())
            if m.start() <= 3 or cue.id.startswith("sign") or cue.id == "score":
                own_end[i] = h.end + m.end()
            continue
        pre = text[max(0, h.start - 40):h.start]
        if h.kind == "serum":
            pm = _rx("pre-value").search(pre)
            if pm:  # ``85.2 ug/L for CEA``
                own[i] = dict(_render(Cue("value", "VALUE", ("serum",)), pm), _cue="pre-value")
        elif h.kind == "ihc":
            pm = _rx("pre-percent").search(pre)
            if pm and not re.search(r"\d", pre[:pm.start()][-3:]):  # ``approximately 30% P53``
                own[i] = dict(_render(Cue("percent", "PERCENT", ("ihc",)), pm), _cue="pre-percent")
    return own, own_end


def _list_results(text: str, hits: List[Hit], own: List[Optional[Dict]], own_end: List[int]):
    """Results and context of markers written as a list: a member without its own cue takes
    the next member's sign, else the cue after the list, and the cue before the list
    (``positive for A, B and C``, ``negative for``) applies to all (negation wins)."""
    n = len(hits)
    results: List[Optional[Dict]] = [None] * n
    context = [False] * n
    prev_end = 0
    for grp in _groups(text, hits, own_end):
        first, last = grp[0], grp[-1]
        gstart = hits[first].start
        cstart = _clause_start(text, gstart, prev_end)
        any_plain = any(not hits[k].ambiguous for k in grp)
        for pos, k in enumerate(grp):
            h = hits[k]
            res = own[k]
            if res is None:
                for k2 in grp[pos + 1:]:  # ``ER/PR +``, ``CK7, CK20 (+)``
                    if own[k2] is not None and own[k2].get("_cue", "").startswith(("sign", "positive", "negative")):
                        res = dict(own[k2])
                        break
                else:  # the cue after the list, read for this member's kind
                    found = _after_cue(text, hits[last].end, _own_window_end(text, hits, last), h.kind) \
                        if k != last else None
                    if found and found[0].result not in ("PERCENT", "VALUE"):
                        res = dict(_render(*found), _cue=found[0].id)
            pre_k = _before_cue(text, cstart, gstart, h.kind)
            if h.marker == "MSI" and k != first:
                pre_k = None  # ``loss of PMS2, microsatellite instability``: the negation is PMS2's
            res = _combine(res, pre_k, h, text[h.end:h.end + 120])
            results[k] = res
            if h.list_only:
                context[k] = any_plain and len(grp) > 1
            else:
                context[k] = (not h.ambiguous and h.kind != "gene") or any_plain and len(grp) > 1 \
                    or h.variant is not None or pre_k is not None or _has_context(text, h) \
                    or (res is not None and (not h.ambiguous or _near(res)))
        if len(grp) > 1:
            _respectively(text, hits, grp, results)
            if any(context[k] and results[k] is not None for k in grp):  # ``ER and PR were positive``
                for k in grp:
                    context[k] = context[k] or not hits[k].list_only
        # the next list's 'before' cue starts after this list's own cues (``A were negative, and B``)
        prev_end = max([own_end[last]] + [own[k]["_end"] for k in grp if own[k] and "_end" in own[k]])
    return results, context


def _respectively(text: str, hits: List[Hit], grp: List[int], results: List[Optional[Dict]]) -> None:
    """``CEA and CA19-9 were 25.3 ng/mL and 89 U/mL, respectively``: values in list order (in place)."""
    last = hits[grp[-1]]
    span = _rx("respectively").match(text, last.end)
    if not span:
        return
    rx, cues = _cues("after", last.kind)
    found = [(cues[int(m.lastgroup[1:])], m) for m in rx.finditer(text, last.end, span.end())]
    found = [(c, m) for c, m in found if c.result in ("VALUE", "PERCENT")]
    if len(found) != len(grp):
        return
    for k, (cue, m) in zip(grp, found):
        results[k] = dict(_render(cue, m), _cue=cue.id)


def _share_with_aliases(text: str, hits: List[Hit], results: List[Optional[Dict]], context: List[bool]) -> None:
    """``carcinoembryonic antigen (CEA, 335.2 ng/mL)``: a name and its abbreviation in
    parentheses share the more specific result, the variant and the context (in place)."""
    for i in range(len(hits) - 1):
        a, b = hits[i], hits[i + 1]
        if a.marker != b.marker or not _rx("alias-gap").match(text[a.end:b.start]):
            continue
        ra, rb = results[i], results[i + 1]
        if ra is None or (rb is not None and _strength(rb) > _strength(ra)):
            results[i] = rb
        elif rb is None or _strength(ra) > _strength(rb):
            results[i + 1] = ra
        variant = a.variant or b.variant
        if variant:
            hits[i], hits[i + 1] = a._replace(variant=a.variant or variant), b._replace(variant=b.variant or variant)
        context[i] = context[i + 1] = context[i] or context[i + 1]


def _emit(text: str, hits: List[Hit], results: List[Optional[Dict]], context: List[bool]):
    """The mentions that stay (with context, not a secreted product, an abbreviation of
    something else or a citation title) with their final result."""
    out = []
    sentences = _sentence_index(text)
    for i, h in enumerate(hits):
        if not context[i]:
            continue
        if results[i] is None and h.kind in ("ihc", "serum") and _rx("secreted").search(
                text[_clause_start(text, h.start, 0):h.start]):
            continue  # ``secretion of peptides, including chromogranin A, CEA``: products, not test results
        if h.ambiguous and text[h.start - 1:h.start] == "(" and text[h.end:h.end + 1] == ")" and not (
                i > 0 and hits[i - 1].marker == h.marker and _rx("alias-gap").match(text[hits[i - 1].end:h.start])):
            continue  # ``partial response (PR)``: an abbreviation of something else
        if _rx("citation").match(text, h.end):
            continue  # a title in a reference list: ``... basal calcitonin level. J Clin Endocrinol Metab 2005;90``
        res = results[i]
        intrinsic = _intrinsic(text[h.start:h.end]) if h.kind == "msi" else None
        if intrinsic:
            res = {"result": intrinsic, "_cue": "mss"}
        if h.variant and (res is None or res.get("result") != "negative"
                          or not _rx("own-negation").search(_own_clause(text, h))):
            res = {"result": h.variant, "_cue": "variant"}  # a list's negation does not cross its clause
        if res is None and h.marker == "MSI" and _rx("msi-name").match(text[h.start:h.end]) \
                and _rx("finding").search(_sentence(text, sentences, h.start)):
            res = {"result": "MSI-H", "_cue": "msih"}  # ``sequencing identified microsatellite instability``
        if res is None and h.kind in ("ihc", "gene") and _rx("expressed").match(text, h.end) \
                and _rx("finding").search(text[_clause_start(text, h.start, 0):h.start]):
            res = {"result": "positive", "_cue": "expression"}  # ``demonstrated ALK protein expression``
        if res is not None:
            res = _gate(text, sentences, h, res)
        attrs: Dict = {"marker": h.marker, "kind": h.kind}
        if res is not None:
            attrs.update({k: v for k, v in res.items() if not k.startswith("_")})
        out.append((h.start, h.end, attrs))
    return out


@lru_cache(maxsize=1)
def _intrinsic_rules() -> Tuple[Tuple[re.Pattern, str], ...]:
    """(regex, result) of the microsatellite names that carry their own result, in file order."""
    return tuple((r.rx, r.row["result"]) for r in context_rules("biomarkers_context.jsonl").values()
                 if r.id.startswith("intrinsic-"))


def _intrinsic(name: str) -> Optional[str]:
    """The result a microsatellite name carries itself (``MSS``, ``MSI-H``, ``dMMR``)."""
    for rx, res in _intrinsic_rules():
        if rx.match(name):
            return res
    return None


_STRONG = ("value", "pre-value", "percent", "percent-range", "pre-percent", "variant", "score", "cps", "allred")


def _strength(res: Dict) -> int:
    """How specific a result is: a measured value beats a sign, a sign beats a word."""
    cue = res.get("_cue", "")
    return 2 if cue in _STRONG else (1 if cue.startswith("sign") else 0)


def _combine(res: Optional[Dict], pre, h: Hit, late: str = "") -> Optional[Dict]:
    """Merge the marker's own/group result with the cue before its list (negation wins)."""
    if pre is not None:
        cue, m = pre
        pre_res = _render(cue, m)
        pre_res["_cue"] = "pre-" + cue.id
        if cue.result == "negative":
            if res is None or res.get("_cue") in ("mutated", "positive", "sign-pos", "pre-mutated", "elevated"):
                res = pre_res
            elif res.get("result") == "methylated":
                res = {"result": "unmethylated", "_cue": "pre-negative"}
        elif res is None:
            res = pre_res
    if h.kind == "gene" and (res is None or res.get("result") == "mutated") and _rx("late-negative").match(late):
        res = {"result": "negative", "_cue": "late-negative"}
    if res is None:
        return None
    if h.marker == "MSI" and h.kind == "msi":
        r = res.get("result")
        if r == "positive":
            res = dict(res, result="MSI-H")
        elif r == "negative":
            res = dict(res, result="MSS")
    return res


def _near(res: Dict) -> bool:
    """A cue right after the name (``ER+``, ``PR 90%``): enough to read an ambiguous name as a marker."""
    return res.get("_at", 99) <= 12 and res.get("_cue") not in ("value", "elevated", "normal")


def _has_context(text: str, h: Hit) -> bool:
    after = text[h.end:h.end + 60]
    before = text[max(0, h.start - 40):h.start]
    return bool(_rx("context-after-sign").match(after) or _rx("context-after").match(after)
                or _rx("context-before").search(before) or (h.kind == "serum" and _rx("serum-after").match(after)))


def _is_target(text: str, h: Hit) -> bool:
    """``EGFR TKI``, ``anti-PD-L1``, ``inhibitors that bind directly to KRAS``: not a biomarker;
    nor a lymphocyte count (``CD4 count``, ``CD8+ T cells``)."""
    if h.variant:
        return False
    if h.marker.startswith("CD") and _rx("cell-count").match(text, h.end):
        return True
    after = text[h.end:h.end + 40]
    if _rx("target-not").match(after):
        return False
    if _rx("target-after").match(after):
        return True
    before = text[max(0, h.start - 30):h.start]
    if not _rx("target-before").search(before):
        return False
    # ``positivity for anti-CK7``: the staining antibody names the marker
    return not (_rx("anti").search(before) and _rx("staining-before").search(text[max(0, h.start - 80):h.start]))


def _sentence_index(text: str) -> List[int]:
    starts = [0]
    for m in _rx("sentence-start").finditer(text):
        starts.append(m.end())
    return starts


def _sentence(text: str, starts: List[int], pos: int) -> str:
    import bisect

    i = bisect.bisect_right(starts, pos) - 1
    end = starts[i + 1] if i + 1 < len(starts) else len(text)
    return text[starts[i]:end]


def _gate(text: str, starts: List[int], h: Hit, res: Dict) -> Optional[Dict]:
    """Keep a result only when the sentence reports a finding: values, percentages, signs and
    protein changes always; ``mutated`` only about the patient; words when the sentence reports."""
    cue = res.get("_cue", "")
    if cue in ("variant", "value", "pre-value", "percent", "percent-range", "pre-percent", "sign-pos",
               "sign-neg", "score", "cps", "allred", "mss", "msih"):
        return res
    if res.get("result") != "mutated" and h.kind != "serum":
        return res
    sent = _sentence(text, starts, h.start)
    if res.get("result") == "mutated":
        generic = _rx("generic-patients").search(text[max(0, h.start - 40):h.start])
        return res if _rx("patient").search(sent) and not generic else None
    return res if _rx("reporting").search(sent) else None
