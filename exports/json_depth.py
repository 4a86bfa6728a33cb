"""Reading JSON from others whatever its nesting: what nests too deep is cut out, and marked.

Python's json module recurses once per level and raises RecursionError past about 1,000, so
one annotation holding a value nested 100,000 deep made the whole file unreadable. `loads`
reads such a file by replacing every value nested deeper than `MAX_DEPTH` with the string
`TOO_DEEP`; `holds_too_deep` then tells which annotation held one, so only that annotation
is skipped. Files nested less deeply (all real ones) are read by json.loads alone.
"""

from __future__ import annotations

import json
import re

MAX_DEPTH = 100
"""Levels of arrays and objects kept; well beyond any annotation (about 6) and far from
Python's recursion limit, so everything that walks the result may recurse."""

TOO_DEEP = "\x00postil:nested-too-deep"
"""What stands in for a cut-out value (a NUL cannot come from a text a person typed)."""

_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)


def loads(text: str) -> tuple[object, int]:
    """Parse JSON text; returns the value and how many too-deep values were cut out.

    Raises:
        json.JSONDecodeError: the text is not JSON (also after cutting).
    """
    try:
        return json.loads(text), 0
    except RecursionError:
        pass  # nested too deep for the C parser: cut the deep values out below
    cut, count = _cut_deep(text)
    return json.loads(cut), count


def _cut_deep(text: str) -> tuple[str, int]:
    """`text` with each array or object opened deeper than MAX_DEPTH replaced by TOO_DEEP."""
    pieces: list[str] = []
    depth = 0
    kept_to = 0  # text before this offset is already in pieces (or cut)
    cut_from = None
    count = 0
    marker = json.dumps(TOO_DEEP)
    for token in _TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth == MAX_DEPTH + 1:
                pieces.append(text[kept_to : token.start()])
                cut_from = token.start()
        elif char in "]}":
            if depth == MAX_DEPTH + 1 and cut_from is not None:
                pieces.append(marker)
                kept_to = token.end()
                cut_from = None
                count += 1
            depth -= 1
    if cut_from is not None:
        raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels and never closed", text, cut_from)
    pieces.append(text[kept_to:])
    return "".join(pieces), count


def holds_too_deep(value, depth: int = 0) -> bool:
    """Whether a value read by `loads` had part of it cut out for nesting too deep."""
    if value == TOO_DEEP:
        return True
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, dict):
        return any(holds_too_deep(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(holds_too_deep(v, depth + 1) for v in value)
    return False
