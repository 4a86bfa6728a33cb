"""Finding a query in the reading text, and the matches on one line for painting.

Kept apart from the widget so no frame ever scans the whole text: `matches_on` looks only
at a line's own characters (plus a query's length either side, for a match that runs across
the line's edge), so painting the matches costs the same in a 10 MB source as in a short one.
"""

from __future__ import annotations

import re

FIND_WINDOW = 1 << 16
"""Characters searched per step when finding backwards."""


def find_pattern(query: str) -> re.Pattern[str]:
    """The reader's find: the literal query, ignoring case."""
    return re.compile(re.escape(query), re.IGNORECASE)


def find_forward(text: str, pattern: re.Pattern[str], start: int) -> int | None:
    """First match at or after `start`, wrapping around to the top."""
    match = pattern.search(text, start) or pattern.search(text, 0)
    return match.start() if match else None


def find_backward(text: str, pattern: re.Pattern[str], before: int) -> int | None:
    """Last match starting before `before`, wrapping around to the end."""
    found = _last_before(text, pattern, before)
    return found if found is not None else _last_before(text, pattern, len(text))


def _last_before(text: str, pattern: re.Pattern[str], before: int) -> int | None:
    """Last match starting before `before`, searching backwards window by window."""
    hi = before
    while hi > 0:
        lo = max(0, hi - FIND_WINDOW)
        last = None
        for match in pattern.finditer(text, lo, min(len(text), hi + len(pattern.pattern) * 2)):
            if match.start() >= hi:
                break
            last = match.start()
        if last is not None:
            return last
        hi = lo
    return None


def matches_on(text: str, pattern: re.Pattern[str], reach: int, a: int, b: int) -> list[tuple[int, int]]:
    """The matches touching [a, b), each clipped to it.

    Args:
        reach: the longest a match can be (the query's length): the scan starts that far
            before `a` and ends that far after `b`, and nowhere else.
    """
    found = []
    for match in pattern.finditer(text, max(0, a - reach + 1), min(len(text), b + reach - 1)):
        start, end = match.span()
        if end > a and start < b and end > start:
            found.append((max(start, a), min(end, b)))
    return found
