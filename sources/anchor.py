"""Anchoring highlights in a text, and finding them again after the text changed.

A highlight is stored as character offsets plus a text-quote selector: the quote itself and
up to `CONTEXT_CHARS` characters either side (the W3C / Hypothesis model). When a source's
text changes, `reanchor` looks for the quote in the new text in this order:

1. the old offsets still hold the quote                    -> "anchored" (same offsets)
2. the exact quote elsewhere (best by context and nearness) -> "moved"
   (also when only whitespace differs: CRLF->LF, re-wrapped lines, doubled spaces)
3. an approximate match, edit distance <= half the quote    -> "fuzzy" (flagged for review)
   and plausible: its context mostly intact, or the quote itself at least 75% the same
   (without that, short quotes "match" common words anywhere in a big text)
4. nothing                                                  -> "orphaned"

Candidates are ranked as Hypothesis' client ranks them: quote similarity weighs most, then
prefix and suffix similarity, and nearness to the old position breaks ties. Pure functions:
no SQL, no Textual. The fuzzy search itself is rapidfuzz (`partial_ratio_alignment` to find
a region, `Levenshtein.distance` to settle the ends and to check the edit-distance limit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from postil.sources.anchor_index import TextIndex
from postil.sources.anchor_regions import (
    REFINE_SLACK,
    nearest,
    occurrences,
    piece_span,
    pieces,
    refine,
    region_candidates,
    window,
)

CONTEXT_CHARS = 32
"""How many characters of context are kept before and after a quote."""

FUZZY_MIN_CHARS = 4
"""Quotes shorter than this are never fuzzy-matched: two edits would match almost anything."""

CONTEXT_SUPPORT = 0.6
"""Prefix/suffix similarity (0..1) that makes an approximate match plausible by itself.

Measured on the corpus: the best approximate span for a deleted 16-30 character quote is
within half its length in edits nearly every time, by chance, with context similarity
0.2-0.55. Such spans are not offered as fuzzy matches unless the quote itself is close.
"""

LONE_SIMILARITY = 0.75
"""Quote similarity (1 - edits/length) that makes a match plausible without its context..."""
LONE_MIN_CHARS = 32
"""...for quotes at least this long; shorter ones always need their context."""

# Weights from Hypothesis' match-quote: the quote matters most, context next, position least.
_QUOTE_W, _PREFIX_W, _SUFFIX_W, _POS_W = 50.0, 20.0, 20.0, 2.0
_TOTAL_W = _QUOTE_W + _PREFIX_W + _SUFFIX_W + _POS_W

_MAX_SCORED_HITS = 20_000
"""Exact hits scored by context; beyond this only the nearest are considered (speed)."""

_IN_PLACE_MARGIN = 0.1
"""How much better another occurrence's context must be to beat one still in place."""

WHITESPACE = re.compile(r"\s+")
"""A run of whitespace: quotes differing only in these runs are the same words."""


@dataclass
class AnchorResult:
    """Where a quote was found in a new text.

    `start`/`end` are None only when `status` is "orphaned". `score` is in 0..1: 1.0 for an
    anchor that did not move, else the weighted quote/context/position similarity of the
    chosen span (0.0 for an orphan).
    """

    status: str
    start: int | None
    end: int | None
    score: float


def capture_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix (up to CONTEXT_CHARS before `start`) and suffix (up to CONTEXT_CHARS after `end`)."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def quote_matches(text: str, start: int, end: int, quote: str) -> bool:
    """True when `text[start:end]` is a valid span holding exactly `quote`."""
    return 0 <= start <= end <= len(text) and text[start:end] == quote


def find_occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every occurrence of `quote`, overlapping ones included ("aa" in "aaa": 0, 1).

    Overlaps count because any of them may be the one a reviewer marked. An empty quote has none.
    """
    return occurrences(text, quote, 0, len(text))


def nth_occurrence(text: str, quote: str, n: int) -> int | None:
    """The start of the n-th (1-based) occurrence of `quote`, counted as `find_occurrences` does."""
    if n < 1 or not quote:
        return None
    pos = -1
    for _ in range(n):
        pos = text.find(quote, pos + 1)
        if pos == -1:
            return None
    return pos


def reanchor(
    new_text: str,
    quote: str,
    prefix: str,
    suffix: str,
    old_start: int,
    old_end: int,
    index: TextIndex | None = None,
) -> AnchorResult:
    """Find a highlight's quote in a changed text (see the module docstring for the order).

    Args:
        new_text: the source's new reading text.
        quote, prefix, suffix: the stored text-quote selector.
        old_start, old_end: the stored offsets (into the old text; used as a position hint).
        index: a `TextIndex(new_text)` shared by every quote re-anchored in this text; the
            whitespace and whole-text fuzzy searches then look only where the quote's words
            are. None scans the whole text each time (the reference the tests compare with).

    Returns:
        An AnchorResult whose span, when there is one, lies inside `new_text`.
    """
    n = len(new_text)
    hint = max(0, min(old_start, n))
    if not quote:
        # Nothing to look for: keep the (clamped) position.
        status = "anchored" if old_start == old_end == hint else "moved"
        return AnchorResult(status, hint, hint, 1.0)
    ctx = _Scorer(new_text, quote, prefix, suffix, hint)

    found = _exact(new_text, quote, ctx, old_start, old_end, index)
    if found is not None:
        return found
    if WHITESPACE.search(quote):
        found = _whitespace_variant(new_text, quote, ctx, index)
        if found is not None:
            return found
    if len(quote) >= FUZZY_MIN_CHARS:
        found = _fuzzy(new_text, quote, ctx, index)
        if found is not None:
            return found
    return AnchorResult("orphaned", None, None, 0.0)


class _Scorer:
    """Scores candidate spans in one new text against one stored selector."""

    def __init__(self, text: str, quote: str, prefix: str, suffix: str, hint: int) -> None:
        self.text, self.quote, self.prefix, self.suffix, self.hint = text, quote, prefix, suffix, hint

    def context(self, start: int, end: int) -> float:
        """Prefix and suffix similarity together, 0..1."""
        return (self._prefix(start) + self._suffix(end)) / 2

    def exact_context(self, start: int, end: int) -> bool:
        """True when the stored prefix and suffix both sit unchanged around the span."""
        text, prefix, suffix = self.text, self.prefix, self.suffix
        # Plain comparisons: this runs for every occurrence near the old position.
        before_ok = text[max(0, start - len(prefix)) : start] == prefix if prefix else start == 0
        return before_ok and (text[end : end + len(suffix)] == suffix if suffix else end == len(text))

    def total(self, start: int, end: int, quote_similarity: float = 1.0) -> float:
        """The weighted score used to rank candidates, 0..1."""
        n = max(len(self.text), 1)
        position = 1.0 - abs(start - self.hint) / n
        return (
            _QUOTE_W * quote_similarity
            + _PREFIX_W * self._prefix(start)
            + _SUFFIX_W * self._suffix(end)
            + _POS_W * position
        ) / _TOTAL_W

    def _prefix(self, start: int) -> float:
        if not self.prefix:
            # The quote began the old text: only a span that begins the new one fits exactly.
            return 1.0 if start == 0 else 0.5
        before = self.text[max(0, start - len(self.prefix)) : start]
        return 1.0 if before == self.prefix else fuzz.ratio(self.prefix, before) / 100

    def _suffix(self, end: int) -> float:
        if not self.suffix:
            return 1.0 if end == len(self.text) else 0.5
        after = self.text[end : end + len(self.suffix)]
        return 1.0 if after == self.suffix else fuzz.ratio(self.suffix, after) / 100


def _exact(
    text: str, quote: str, ctx: _Scorer, old_start: int, old_end: int, index: TextIndex | None
) -> AnchorResult | None:
    """Steps 1 and 2: the quote in place, or the best of its exact occurrences elsewhere."""
    m = len(quote)
    in_place = quote_matches(text, old_start, old_end, quote)
    if in_place and ctx.exact_context(old_start, old_end):
        return AnchorResult("anchored", old_start, old_end, 1.0)
    # Fast path: an occurrence near the old position with its context intact is the one
    # (an insertion or deletion elsewhere in the file shifted it); no whole-text scan needed.
    lo, hi = window(len(text), m, ctx.hint)
    near = [h for h in occurrences(text, quote, lo, hi) if ctx.exact_context(h, h + m)]
    if near:
        best = min(near, key=lambda h: abs(h - ctx.hint))
        return _placed(best, best + m, old_start, old_end, ctx.total(best, best + m))
    hits = _everywhere(text, quote, index)
    if not hits:
        return None
    if len(hits) > _MAX_SCORED_HITS:
        hits = sorted(hits, key=lambda h: abs(h - ctx.hint))[:_MAX_SCORED_HITS]
    best = max(hits, key=lambda h: (ctx.total(h, h + m), -abs(h - ctx.hint)))
    if in_place and best != old_start:
        # Keep a quote that is still in place unless another occurrence clearly carries the
        # original context (the text around this one changed and the old one moved here).
        if ctx.context(best, best + m) - ctx.context(old_start, old_end) <= _IN_PLACE_MARGIN:
            best = old_start
    return _placed(best, best + m, old_start, old_end, ctx.total(best, best + m))


def _placed(start: int, end: int, old_start: int, old_end: int, score: float) -> AnchorResult:
    if (start, end) == (old_start, old_end):
        return AnchorResult("anchored", start, end, 1.0)
    return AnchorResult("moved", start, end, score)


def _whitespace_variant(text: str, quote: str, ctx: _Scorer, index: TextIndex | None) -> AnchorResult | None:
    """The quote with only whitespace changed (line endings, re-wrapping, doubled spaces).

    Such a match counts as "moved": the words are the reviewer's words, so asking them to
    review it would be noise. The caller takes the new span's text as the quote.
    """
    words = [re.escape(word) for word in quote.split()]
    if not words:
        pattern = r"\s+"
    else:
        pattern = r"\s+".join(words)
        pattern = (r"\s+" if quote[0].isspace() else "") + pattern + (r"\s+" if quote[-1].isspace() else "")
    spans = None if index is None else index.whitespace_spans(pattern, quote.split(), _MAX_SCORED_HITS)
    if spans is None:
        if index is not None:
            index.searched += len(text)
        spans = []
        for found in re.finditer(pattern, text):
            spans.append(found.span())
            if len(spans) >= _MAX_SCORED_HITS:
                break
    if not spans:
        return None
    start, end = max(spans, key=lambda s: (ctx.total(*s), -abs(s[0] - ctx.hint)))
    return AnchorResult("moved", start, end, ctx.total(start, end))


def _fuzzy(text: str, quote: str, ctx: _Scorer, index: TextIndex | None) -> AnchorResult | None:
    """Step 3: the best plausible approximate span, within half the quote's length in edits.

    Cheap places first: spans framed by the stored context, and a window around the old
    position (it finds one-word typos, which share no word with the text); the whole text
    only when neither gives a plausible match, and with an index only where its words are.
    """
    limit = len(quote) // 2
    best = _best_fuzzy(_context_candidates(text, quote, ctx, index), ctx, limit)
    lo, hi = window(len(text), len(quote), ctx.hint)
    if best is None:
        if index is not None:
            index.searched += hi - lo
        best = _best_fuzzy(region_candidates(text, quote, lo, hi), ctx, limit)
    if best is None and (lo, hi) != (0, len(text)):
        if index is None:
            candidates = region_candidates(text, quote, 0, len(text))
        else:
            candidates = _indexed_candidates(index, quote, ctx)
        best = _best_fuzzy(candidates, ctx, limit)
    if best is None:
        return None
    similarity, start, end = best
    return AnchorResult("fuzzy", start, end, ctx.total(start, end, similarity))


def _indexed_candidates(index: TextIndex, quote: str, ctx: _Scorer) -> list[tuple[int, int] | None]:
    """`region_candidates` over the whole text, each piece aligned only where its words (and
    the words the stored selector has around it) are."""
    parts = pieces(quote)
    spans: list[tuple[int, int] | None] = []
    for offset, needle in parts:
        found = index.alignment(needle, ctx.prefix + quote[:offset], quote[offset + len(needle):] + ctx.suffix)
        if found is not None:
            spans.append(piece_span(index.text, quote, offset, len(parts), *found))
    return spans


def _best_fuzzy(
    candidates: list[tuple[int, int] | None], ctx: _Scorer, limit: int
) -> tuple[float, int, int] | None:
    """(quote similarity, start, end) of the best plausible candidate, or None."""
    m = len(ctx.quote)
    best, best_score = None, -1.0
    for span in set(c for c in candidates if c is not None):
        start, end = span
        if end <= start:
            continue
        distance = Levenshtein.distance(ctx.quote, ctx.text[start:end], score_cutoff=limit)
        if distance > limit:
            continue
        similarity = 1.0 - distance / m
        lone = m >= LONE_MIN_CHARS and similarity >= LONE_SIMILARITY
        if not lone and ctx.context(start, end) < CONTEXT_SUPPORT:
            continue  # near enough by chance: common words in a big text
        score = ctx.total(start, end, similarity)
        if score > best_score:
            best, best_score = (similarity, start, end), score
    return best


def _everywhere(text: str, needle: str, index: TextIndex | None) -> list[int]:
    """`find_occurrences`, from the index's word positions when it can tell."""
    found = None if index is None else index.occurrences(needle)
    if found is None:
        if index is not None:
            index.searched += len(text)
        found = find_occurrences(text, needle)
    return found


def _context_candidates(
    text: str, quote: str, ctx: _Scorer, index: TextIndex | None
) -> list[tuple[int, int] | None]:
    """Spans framed by exact occurrences of the stored prefix or suffix.

    A 32-character context is usually unique, so this finds an edited quote anywhere in a
    large text with a plain substring search instead of a fuzzy scan.
    """
    m, n = len(quote), len(text)
    slack = min(m // 2, REFINE_SLACK)
    spans: list[tuple[int, int] | None] = []
    if len(ctx.prefix) >= 8:
        for p in nearest(_everywhere(text, ctx.prefix, index), ctx.hint):
            start = p + len(ctx.prefix)
            end = min(n, start + m)
            if len(ctx.suffix) >= 8:
                found = text.find(ctx.suffix, max(start, start + m - slack), min(n, start + m + slack + len(ctx.suffix)))
                if found != -1:
                    end = found
            spans.append(refine(text, quote, start, end))
    if len(ctx.suffix) >= 8:
        for end in nearest(_everywhere(text, ctx.suffix, index), ctx.hint + m):
            spans.append(refine(text, quote, max(0, end - m), end))
    return spans
