"""An index of one new text, built once per re-anchoring, so each quote searches only where
its words are instead of the whole text (issue 15: 1,000 orphans in a 1 MB text took a minute).

`sources.anchor.reanchor(..., index=TextIndex(text))` uses it in two places:
- the whitespace variant (step 2): a match of `w0\\s+w1\\s+...\\s+wk` holds w1..wk-1 as whole
  `\\S+` tokens in sequence, so only the places where that token sequence occurs are scanned
  (`str.split` and re's `\\s` use the same whitespace set, so the tokens agree with the regex);
- the whole-text fuzzy pass (step 3): each word of a piece of the quote votes for where the piece
  would start; rapidfuzz aligns the piece only in the few windows with the most distinct words.
  A quote none of whose words occur in the text gets no window: no whole-text scan at all.
Both tables are built on first use: a text where every quote is still in place pays nothing.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from operator import itemgetter

from rapidfuzz import fuzz

WORD = re.compile(r"\w+")
"""What votes in the fuzzy pass: a word, compared in lower case."""
TOKEN = re.compile(r"\S+")
"""What the whitespace variant's pattern matches between its runs of whitespace."""

VOTE_BUDGET = 1_000
"""Positions read per piece, rarest words first: common words ("the") add little but cost much."""
OCCURRENCE_CHECKS = 2_000
"""Beyond this many positions of a needle's rarest word, `str.find` over the text is cheaper."""
WINDOWS = 8
"""Windows aligned per piece: the buckets where its words weigh most (a rare word more)."""


class TextIndex:
    """Word and token positions of one text, and a count of the characters searched through it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.searched = 0
        """Characters handed to a scan (rapidfuzz alignments, regex scans): the cost, without a clock."""
        self._words: dict[str, list[int]] | None = None
        self._word_count = 0
        self._tokens: list[str] | None = None
        self._token_spans: list[int] | None = None
        self._token_at: dict[str, list[int]] | None = None

    # --- the whitespace variant ---------------------------------------------------------

    def whitespace_spans(self, pattern: str, words: list[str], limit: int) -> list[tuple[int, int]] | None:
        """The spans `re.finditer(pattern, text)` would give (at most `limit`), scanning only
        near occurrences of the quote's inner words; None when the quote has too few words to
        tell (the caller scans the whole text).
        """
        inner = words[1:-1]
        if not inner:
            return None
        tokens, spans, at = self._token_tables()
        rare = min(range(len(inner)), key=lambda j: len(at.get(inner[j], ())))
        regions = []
        for t in at.get(inner[rare], ()):
            i = t - rare  # token index of inner[0]
            if i < 1 or i + len(inner) >= len(tokens) or tokens[i : i + len(inner)] != inner:
                continue
            # w0 ends token i-1 (a leading run of whitespace starts after token i-2); wk begins
            # token i+len (a trailing run ends where the token after it starts).
            lo = spans[2 * (i - 2) + 1] if i >= 2 else 0
            after = i + len(inner) + 1
            hi = spans[2 * after] if after < len(tokens) else len(self.text)
            regions.append((lo, hi))
        found: list[tuple[int, int]] = []
        if not regions:
            return found
        compiled = re.compile(pattern)  # only now: a long quote's pattern takes milliseconds
        pos = 0
        for lo, hi in _merged(regions):
            self.searched += hi - lo
            p = max(pos, lo)
            while p < hi and len(found) < limit:
                match = compiled.search(self.text, p, hi)
                if match is None:
                    break
                found.append(match.span())
                pos = p = max(match.end(), match.start() + 1)
        return found

    def _token_tables(self) -> tuple[list[str], list[int], dict[str, list[int]]]:
        if self._tokens is None:
            tokens, spans, at = [], [], {}
            for number, match in enumerate(TOKEN.finditer(self.text)):
                word = match.group()
                tokens.append(word)
                spans.extend(match.span())
                at.setdefault(word, []).append(number)
            self._tokens, self._token_spans, self._token_at = tokens, spans, at
        assert self._token_spans is not None and self._token_at is not None
        return self._tokens, self._token_spans, self._token_at

    # --- exact occurrences --------------------------------------------------------------

    def occurrences(self, needle: str) -> list[int] | None:
        """Every start of `needle` in the text (overlapping ones too), as a `str.find` loop
        gives them, found from the positions of its rarest whole word; None when it has no
        word bounded inside it or that word is too common to help (the caller scans).

        A word with a non-word character either side of it inside the needle is a whole
        `\\w+` word wherever the needle occurs, so its positions hold every occurrence.
        """
        words = self._word_table()
        best: list[int] | None = None
        at = 0
        for w in WORD.finditer(needle):
            if w.start() == 0 or w.end() == len(needle):
                continue
            positions = words.get(w.group().lower(), [])
            if best is None or len(positions) < len(best):
                best, at = positions, w.start()
        if best is None or len(best) > OCCURRENCE_CHECKS:
            return None
        text = self.text
        return [p - at for p in best if p >= at and text.startswith(needle, p - at)]

    # --- the fuzzy pass -----------------------------------------------------------------

    def alignment(self, needle: str, before: str = "", after: str = "") -> tuple[int, int] | None:
        """(start, end) in the text of rapidfuzz's best alignment of `needle` (score >= 40),
        looked for only in the windows where most of its words would line up; None if none.

        `before` and `after` are what the stored selector says surrounds the needle (prefix,
        the rest of the quote, suffix): their words vote too, at their places beside it. A
        needle of common words alone lines up in many places; its context says which.
        """
        words = self._word_table()
        m = len(needle)
        bucket = max(m, 64)
        votes: dict[int, float] = {}
        total = self._word_count
        spent = 0
        found = {}
        before, after = before[-bucket:], after[:bucket]
        voters = [(w, w.start()) for w in WORD.finditer(needle)]
        voters += [(w, w.start() - len(before)) for w in WORD.finditer(before)]
        voters += [(w, m + w.start()) for w in WORD.finditer(after)]
        for w, offset in voters:
            positions = words.get(w.group().lower())
            if positions:
                found.setdefault((w.group().lower(), offset), positions)
        common = []
        for (_, offset), positions in sorted(found.items(), key=lambda f: len(f[1])):
            weight = math.log(total / len(positions)) + 1.0  # a rare word says more
            if spent and spent + len(positions) > VOTE_BUDGET:
                common.append((offset, positions, weight))
                continue
            spent += len(positions)
            last = None
            for p in positions:
                b = (p - offset) // bucket
                if b != last:  # one vote per word per bucket
                    votes[b] = votes.get(b, 0.0) + weight
                    last = b
        if not votes:
            return None
        # Common words too many to read whole: they only add to the leading buckets, each
        # checked by a bisect (the word within the bucket's starts, at its offset).
        for b, _ in heapq.nlargest(4 * WINDOWS, votes.items(), key=itemgetter(1)) if common else ():
            for offset, positions, weight in common:
                i = bisect_left(positions, b * bucket + offset)
                if i < len(positions) and positions[i] < (b + 1) * bucket + offset:
                    votes[b] += weight
        chosen = [b for b, _ in heapq.nlargest(WINDOWS, votes.items(), key=itemgetter(1))]
        n = len(self.text)
        # A bucket holds starts b*bucket..(b+1)*bucket; half a piece either side absorbs words
        # shifted by inserted or deleted ones.
        reach = m // 2
        windows = _merged([(max(0, b * bucket - reach), min(n, (b + 1) * bucket + m + reach)) for b in chosen])
        best: tuple[float, int, int] | None = None
        for lo, hi in windows:
            self.searched += hi - lo
            result = fuzz.partial_ratio_alignment(needle, self.text[lo:hi], score_cutoff=40)
            if result is None or result.score == 0:
                continue
            if best is None or result.score > best[0]:
                best = (result.score, lo + result.dest_start, lo + result.dest_end)
        return None if best is None else (best[1], best[2])

    def _word_table(self) -> dict[str, list[int]]:
        if self._words is None:
            words: dict[str, list[int]] = {}
            for match in WORD.finditer(self.text):
                words.setdefault(match.group().lower(), []).append(match.start())
            self._words = words
            self._word_count = sum(len(p) for p in words.values())
        return self._words


def _merged(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching (lo, hi) regions joined, in order."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(regions):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out

