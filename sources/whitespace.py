"""Whitespace-insensitive matching: collapse whitespace runs and map offsets back.

Used by re-anchoring to recognise a quote whose only change is its whitespace (CRLF to LF,
re-wrapped lines, doubled spaces), without touching the stored text itself.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from functools import lru_cache

WHITESPACE = re.compile(r"\s+")
"""A run of whitespace; each becomes one space in the collapsed form."""


@lru_cache(maxsize=1)
def collapse_whitespace(text: str) -> tuple[str, tuple[array, array, array]]:
    """`text` with each whitespace run replaced by one space, and where the runs were.

    Cached because re-anchoring a source asks this of the same new text for every highlight
    (str hashes are cached, so the lookup is cheap even for megabytes). Arrays, not lists:
    a megabyte of prose has some 200,000 whitespace runs.
    """
    at, orig_start, orig_end = array("q"), array("q"), array("q")
    parts, last, out_len = [], 0, 0
    for match in WHITESPACE.finditer(text):
        a, b = match.span()
        parts.append(text[last:a])
        out_len += a - last
        at.append(out_len)
        orig_start.append(a)
        orig_end.append(b)
        parts.append(" ")
        out_len += 1
        last = b
    parts.append(text[last:])
    return "".join(parts), (at, orig_start, orig_end)


def original_span(runs: tuple[array, array, array], start: int, end: int) -> tuple[int, int]:
    """Map a span of the collapsed text back to offsets in the original."""
    at, orig_start, orig_end = runs

    def start_of(k: int) -> int:
        i = bisect_right(at, k) - 1
        if i < 0:
            return k
        return orig_start[i] if at[i] == k else orig_end[i] + (k - at[i] - 1)

    def end_after(k: int) -> int:  # original offset just past collapsed character k
        i = bisect_right(at, k) - 1
        if i >= 0 and at[i] == k:
            return orig_end[i]
        return start_of(k) + 1

    return start_of(start), end_after(end - 1)
