"""From postil's reading text back to the file's text: the runs where the two are the same.

The reading text is the file's text with markup removed, hard-wrapped lines joined, list
markers and footnote numbers written in, a Gutenberg header left out. An export that names
the file must give positions in the *file's* text (decoded: code points, BOM removed), so
each source keeps a map: runs of (reading start, file start, length) where the reading text
and the file's text hold exactly the same characters. A position inside a run maps; text
postil wrote itself ("• ", "[1]", a cell gap) lies outside every run and maps nowhere.

The runs are found greedily, in order: from the current place in both texts, a probe of the
reading text (its first word just ahead, else up to PROBE characters a little ahead, else
anywhere further on when long enough to be unambiguous) is looked for in the file; once found, the run is
extended as far as both texts agree (compared slice by slice, so a 10 MB book costs a run
per line, not a step per character). Stored as little-endian int64 triples
(table source_offsets, migration 0006).
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_right
from dataclasses import dataclass

PROBE = 24
"""Characters of reading text looked for in the file at once."""
NEAR_WORD = 64
"""How far ahead in the file the next word is looked for first."""
NEAR = 4096
"""How far ahead in the file a longer probe is looked for next."""
FAR_PROBE = 12
"""A probe at least this long may be looked for anywhere further on (past a front matter,
a Gutenberg header or a page's <head>); shorter ones would match by chance."""

FAR_SEARCHES = 256
"""At most this many searches to the end of the file per map: a reading text that shares
little with its file (an HTML page's entities) must not cost a scan of the file per word."""

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class OffsetMap:
    """Runs (reading start, file start, length) in reading order, as three columns."""

    file_chars: int
    """Length of the file's decoded text."""
    reading: array
    file: array
    length: array

    def file_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The file positions of reading text [start, end), or None when that text is not
        one unbroken stretch of the file (it crosses something postil wrote or joined)."""
        if end <= start:
            return None
        i = bisect_right(self.reading, start) - 1
        if i < 0 or end > self.reading[i] + self.length[i]:
            return None
        shift = self.file[i] - self.reading[i]
        return start + shift, end + shift

    def to_blob(self) -> bytes:
        """The runs as little-endian int64 triples."""
        flat = array("q")
        for triple in zip(self.reading, self.file, self.length):
            flat.extend(triple)
        if sys.byteorder != "little":
            flat.byteswap()
        return flat.tobytes()

    @classmethod
    def from_blob(cls, file_chars: int, blob: bytes) -> OffsetMap:
        flat = array("q")
        flat.frombytes(blob)
        if sys.byteorder != "little":
            flat.byteswap()
        return cls(file_chars, flat[0::3], flat[1::3], flat[2::3])


def build_offset_map(reading: str, file_text: str) -> OffsetMap:
    """Align `reading` with `file_text` (see module docstring)."""
    starts, files, lengths = array("q"), array("q"), array("q")
    r, f = 0, 0
    n = len(reading)
    far = [FAR_SEARCHES]
    while r < n:
        if reading[r].isspace():
            r += 1
            continue
        found, size = _locate(reading, r, file_text, f, far)
        if found < 0:
            r += size  # nothing of it in the file: text postil wrote, skipped
            continue
        length = _common_prefix(reading, r, file_text, found)
        if lengths and starts[-1] + lengths[-1] == r and files[-1] + lengths[-1] == found:
            lengths[-1] += length
        else:
            starts.append(r)
            files.append(found)
            lengths.append(length)
        r, f = r + length, found + length
    return OffsetMap(len(file_text), starts, files, lengths)


def _locate(reading: str, r: int, file_text: str, f: int, far: list[int]) -> tuple[int, int]:
    """Where the reading text at `r` appears in the file at or after `f` (-1 if nowhere), and
    how much reading text to skip when it does not.

    Its first word is looked for just ahead first (markup removed between two runs is a
    few characters); then a longer probe further ahead, then (a few times per map) anywhere
    further on, for a header or a page's <head> left out before it.
    """
    word = _WORD.match(reading, r)
    first = word.group() if word is not None else reading[r]
    found = file_text.find(first, f, f + NEAR_WORD + len(first))
    if found >= 0:
        return found, 0
    stop = reading.find("\n", r, r + PROBE)
    probe = reading[r : stop if stop >= 0 else r + PROBE].rstrip()
    found = file_text.find(probe, f, f + NEAR + len(probe))
    if found < 0 and len(probe) >= FAR_PROBE and far[0] > 0:
        far[0] -= 1
        found = file_text.find(probe, f)
    if found >= 0:
        return found, 0
    return -1, len(first)


def _common_prefix(a: str, i: int, b: str, j: int) -> int:
    """How many characters a[i:] and b[j:] share from the start.

    Compared a line of `b` at a time (slices compare in C); the usual end of a run is a
    line end that the reading text joined with a space, tried before a binary search.
    """
    limit = min(len(a) - i, len(b) - j)
    matched = 0
    while matched < limit:
        newline = b.find("\n", j + matched, j + limit)
        span = newline - j - matched + 1 if newline >= 0 else limit - matched
        if a[i + matched : i + matched + span] == b[j + matched : j + matched + span]:
            matched += span
            continue
        if a[i + matched : i + matched + span - 1] == b[j + matched : j + matched + span - 1]:
            return matched + span - 1
        low, high = 0, span - 1  # a[..low] agrees, a[..high] does not
        while high - low > 1:
            middle = (low + high) // 2
            if a[i + matched : i + matched + middle] == b[j + matched : j + matched + middle]:
                low = middle
            else:
                high = middle
        return matched + low
    return matched
