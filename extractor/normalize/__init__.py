"""Pure per-family matchers and normalisers: text in, values out, no spaCy."""
from __future__ import annotations

from typing import List, Sequence, Tuple, TypeVar

T = TypeVar("T", bound=Tuple)


def keep_longest(found: Sequence[T]) -> List[T]:
    """Flatten (start, end, ...) matches: of overlapping ones keep the longest
    (the earlier on ties), in text order."""
    ordered = sorted(found, key=lambda f: (f[0], -(f[1] - f[0])))
    out: List[T] = []
    for item in ordered:
        if out and item[0] < out[-1][1]:
            if item[1] - item[0] > out[-1][1] - out[-1][0]:
                out[-1] = item
            continue
        out.append(item)
    return out
