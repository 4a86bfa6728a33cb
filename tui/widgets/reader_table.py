"""Lining up the rows of one table into columns, at display time only (no Textual import).

A loader writes a table row as one block whose cells are joined by "  |  "
(`sources.document.CELL_GAP`; sources read before issue 16 hold "  │  ", also understood). The
reader draws consecutive rows of one table with every bar at the same column by inserting blank cells after a cell's text. That padding is
drawn, never stored: like a wrap indent it maps to no character, so every offset stays exact.

The layout falls back to wrapping row by row when a table does not fit the width, holds tabs
or line breaks, or has more than `MAX_ROWS` rows (aligning it would mean scanning every row
before drawing one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

SEPARATOR = re.compile(r" *\u2502 *|(?:  |^)\|(?:  |$)")
"""A cell gap as it appears in the reading text: the old bar "│" with whatever spaces surround
it, or the loaders' "  |  " (its spaces gone at the row's ends when an end cell is empty); a
"|" inside a cell's text, without the two spaces, is text."""
GAP_BEFORE = 2
"""Cells between a padded cell's text and the bar (the loaders write "  |  ")."""
GAP_AFTER = 2
MAX_ROWS = 1000


@dataclass(slots=True)
class TableShape:
    """How to draw the rows of one table aligned."""

    pads: list[list[tuple[int, int]]]
    """Per row: (offset in the row's text, blank cells drawn before that character)."""
    width: int
    """Cells taken by the widest row once aligned."""
    bars: list[int]
    """Column of each bar once aligned."""
    last: list[tuple[int, int]]
    """Per row: (offset in the row's text, column once aligned) where its last cell starts."""

    def hang(self, row: int) -> str:
        """What is drawn before the wrapped lines of a row's last cell: its bars, as lines."""
        offset, col = self.last[row]
        cells = [" "] * col
        for bar in self.bars:
            if bar < col:
                cells[bar] = "|"  # as the rows' own bars are drawn
        return "".join(cells)


def align_rows(rows: Sequence[str], columns: Callable[[str], list[int]]) -> TableShape | None:
    """Padding that puts each row's n-th bar in one column, or None when rows can't align.

    Args:
        rows: the display text of each row (one line each, as drawn).
        columns: the cell column of every character of a row plus its end column.
    """
    if any("\t" in row or "\n" in row for row in rows):
        return None  # tab stops and line breaks would move with the padding
    parsed: list[tuple[list[int], list[tuple[int, int]]]] = []
    widths: list[int] = []
    for row in rows:
        cols = columns(row)
        bars: list[tuple[int, int]] = []  # (where the padding goes, offset of the bar)
        cell_start = 0
        for k, match in enumerate(SEPARATOR.finditer(row)):
            content = cols[match.start()] - cols[cell_start]
            if k == len(widths):
                widths.append(content)
            else:
                widths[k] = max(widths[k], content)
            gap = match.group()
            bars.append((match.start(), match.start() + len(gap) - len(gap.lstrip(" "))))
            cell_start = match.end()
        parsed.append((cols, bars))
    if not widths:
        return None  # no row has a second cell: nothing to line up
    targets, col = [], 0
    for cell in widths:
        col += cell + GAP_BEFORE
        targets.append(col)
        col += 1 + GAP_AFTER
    pads: list[list[tuple[int, int]]] = []
    last: list[tuple[int, int]] = []
    widest = 0
    for row, (cols, bars) in zip(rows, parsed):
        row_pads, shift = [], 0
        for k, (at, bar) in enumerate(bars):
            pad = targets[k] - (cols[bar] + shift)
            if pad < 0:
                return None  # odd spacing inside a row: better wrapped than misaligned
            if pad:
                row_pads.append((at, pad))
                shift += pad
        pads.append(row_pads)
        widest = max(widest, cols[-1] + shift)
        start = SEPARATOR.match(row, bars[-1][0]).end() if bars else 0
        last.append((start, cols[start] + shift))
    return TableShape(pads, widest, targets, last)
