"""Where a quote may sit in a text: exact occurrences in a window, approximate regions, and
settling a region's ends (the search side of sources/anchor.py; pure functions).
"""

from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

EDGE_CHARS = 64
"""Long quotes are located and settled by pieces of this many characters (speed)."""
REFINE_SLACK = 64
"""How far (characters) the ends of an approximate match may be moved while settling them."""


def nearest(hits: list[int], hint: int, keep: int = 8) -> list[int]:
    return sorted(hits, key=lambda h: abs(h - hint))[:keep]


def region_candidates(text: str, quote: str, lo: int, hi: int) -> list[tuple[int, int] | None]:
    """The best approximate span inside text[lo:hi] by rapidfuzz, with its ends settled.

    rapidfuzz's cost grows with the quote's length, so a long quote is located by three
    pieces of it (start, middle, end): with a quarter of it edited, one piece still stands.
    """
    m = len(quote)
    if hi - lo <= m:
        return [refine(text, quote, lo, hi)]
    parts = pieces(quote)
    region = text[lo:hi]
    spans: list[tuple[int, int] | None] = []
    for offset, needle in parts:
        # A span within half the quote in edits scores about 50 or more; skip clearly worse ones.
        found = fuzz.partial_ratio_alignment(needle, region, score_cutoff=40)
        if found is None or found.score == 0:
            continue
        spans.append(piece_span(text, quote, offset, len(parts), lo + found.dest_start, lo + found.dest_end))
    return spans


def pieces(quote: str) -> list[tuple[int, str]]:
    """(offset in the quote, piece) to locate a quote by: itself, or for a long one three pieces."""
    m, piece = len(quote), 2 * EDGE_CHARS
    if m <= 2 * piece:
        return [(0, quote)]
    middle = (m - piece) // 2
    return [(0, quote[:piece]), (middle, quote[middle : middle + piece]), (m - piece, quote[-piece:])]


def piece_span(text: str, quote: str, offset: int, count: int, start: int, end: int) -> tuple[int, int]:
    """The quote's settled span from where one of its `count` pieces aligned (start..end)."""
    start -= offset
    end = start + len(quote) if count > 1 else end
    return refine(text, quote, start, end)


def refine(text: str, quote: str, start: int, end: int) -> tuple[int, int]:
    """Move a rough span's ends to where the quote's edit distance to it is smallest.

    `partial_ratio_alignment` reports a window as long as the quote; the real match may be
    longer or shorter (inserted or deleted words), so each end is moved in turn, twice.
    """
    n, m = len(text), len(quote)
    slack = min(max(m // 2, 1), REFINE_SLACK)
    start = max(0, min(start, n))
    end = max(start, min(end, n))

    if m > 4 * EDGE_CHARS:
        return refine_edges(text, quote, start, end, slack)

    def key(s: int, e: int) -> tuple[int, int]:
        # A distance above the best so far loses whatever it is: the cutoff only saves work
        # (rapidfuzz then returns best + 1), the order of the keys is unchanged.
        return Levenshtein.distance(quote, text[s:e], score_cutoff=best[0]), abs((e - s) - m)

    best = (Levenshtein.distance(quote, text[start:end]), abs((end - start) - m))
    for _ in range(2):
        moved = False
        for s in range(max(0, start - slack), min(end, start + slack) + 1):
            k = key(s, end)
            if k < best:
                best, start, moved = k, s, True
        for e in range(max(start, end - slack), min(n, end + slack) + 1):
            k = key(start, e)
            if k < best:
                best, end, moved = k, e, True
        if not moved:
            break
    return start, end


def refine_edges(text: str, quote: str, start: int, end: int, slack: int) -> tuple[int, int]:
    """`refine` for long quotes: settle each end by the quote's first or last characters only.

    A full edit distance of a 5,000-character quote costs milliseconds; doing it for every
    candidate end would take seconds.
    """
    n, edge = len(text), EDGE_CHARS
    head, tail = quote[:edge], quote[-edge:]
    pivot = min(start + edge, end)
    start = min(
        range(max(0, start - slack), min(pivot, start + slack) + 1),
        key=lambda s: (Levenshtein.distance(head, text[s:pivot]), abs(pivot - s - edge)),
    )
    pivot = max(end - edge, start)
    end = min(
        range(max(pivot, end - slack), min(n, end + slack) + 1),
        key=lambda e: (Levenshtein.distance(tail, text[pivot:e]), abs(e - pivot - edge)),
    )
    return start, end


def window(n: int, m: int, hint: int) -> tuple[int, int]:
    """A region around the old position, wider for bigger texts (edits shift more there)."""
    reach = max(2048, 8 * m, n // 32)
    return max(0, hint - reach), min(n, hint + m + reach)


def occurrences(text: str, quote: str, lo: int, hi: int) -> list[int]:
    if not quote:
        return []
    hits = []
    pos = text.find(quote, lo, hi)
    while pos != -1:
        hits.append(pos)
        pos = text.find(quote, pos + 1, hi)
    return hits
