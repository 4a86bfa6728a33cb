"""Lines placed on PDF pages -> lines in reading order, with running headers and footers gone.

Works on plain `Line` records (no PDF library here), so the layout rules are tested on their
own. A page is read top to bottom; where its lines sit in two columns (left of and right of
the page's middle, with a gutter between), each band of columns is read column by column,
and lines spanning the middle (a title, an abstract, a wide figure caption) end the band.
Header and footer lines are those near the top or bottom edge whose text, digits aside,
repeats on many pages; a line near the edge holding only a page number goes too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

EDGE = 0.09
"""Share of the page height at the top and at the bottom where headers and footers live."""

REPEAT_SHARE = 0.4
"""A header or footer repeats on at least this share of pages (40%: odd/even headers alternate)."""

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


@dataclass
class Line:
    """A run of text on one baseline of one page, in top-down page coordinates (points)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float = 0.0
    """Font size of the line's first character."""
    bold: bool = False
    prose: bool = False
    """One of many lines in the same size (pdf_text: never a heading)."""

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def merge_runs(lines: list[Line]) -> list[Line]:
    """Join runs PDFium reports apart that sit on one baseline and close together (a word
    in italics, a citation mark), so that each line of a column is one Line."""
    out: list[Line] = []
    for line in sorted(lines, key=lambda l: (round(l.middle), l.x0)):
        last = out[-1] if out else None
        if (
            last is not None
            and abs(last.middle - line.middle) < max(2.0, 0.5 * min(last.height, line.height))
            and -1.0 <= line.x0 - last.x1 < 0.8 * max(last.size, line.size, 4.0)
        ):
            gap = "" if last.text.endswith(" ") or line.text.startswith(" ") or line.x0 - last.x1 < 0.15 * (line.size or 10) else " "
            out[-1] = Line(last.page, last.x0, min(last.top, line.top), line.x1, max(last.bottom, line.bottom),
                           last.text + gap + line.text, last.size, last.bold)
        else:
            out.append(line)
    return out


def reading_order(lines: list[Line], page_width: float) -> list[list[Line]]:
    """The lines of one page as columns in reading order (each column top to bottom).

    Returns:
        A list of columns; a one-column page gives one column. A new column starts at each
        column break, so paragraphs are only joined across a break when their text says so.
    """
    lines = sorted(merge_runs(lines), key=lambda l: (l.top, l.x0))
    if not lines:
        return []
    left_edge = min(l.x0 for l in lines)
    right_edge = max(l.x1 for l in lines)
    middle = (left_edge + right_edge) / 2
    slack = 0.02 * page_width

    def side(line: Line) -> str:
        if line.x1 <= middle + slack:
            return "left"
        if line.x0 >= middle - slack:
            return "right"
        return "full"

    sides = [side(l) for l in lines]
    if sides.count("right") < 3 or sides.count("left") < 3:
        return [lines]
    columns: list[list[Line]] = []
    full: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for line, where in zip(lines, sides):
        if where == "full":
            columns.extend(c for c in (left, right) if c)
            left, right = [], []
            full.append(line)
        else:
            if full:
                columns.append(full)
                full = []
            (left if where == "left" else right).append(line)
    columns.extend(c for c in (full, left, right) if c)
    return columns


def drop_running_lines(pages: list[list[Line]], heights: list[float]) -> tuple[list[list[Line]], int]:
    """Remove running headers, footers and page numbers from every page.

    Args:
        pages: each page's lines.
        heights: each page's height in points.

    Returns:
        (the pages without those lines, how many lines were dropped)
    """
    def at_edge(line: Line, height: float) -> bool:
        return line.bottom <= EDGE * height or line.top >= (1 - EDGE) * height

    def key(line: Line) -> str:
        return _DIGITS.sub("#", " ".join(line.text.split())).casefold()

    counts: Counter[str] = Counter()
    for lines, height in zip(pages, heights):
        counts.update({key(l) for l in lines if at_edge(l, height)})
    with_text = sum(1 for lines in pages if lines)
    enough = max(2, REPEAT_SHARE * with_text)
    dropped = 0
    out: list[list[Line]] = []
    for lines, height in zip(pages, heights):
        kept = []
        for line in lines:
            if at_edge(line, height) and (
                _PAGE_NUMBER.match(line.text.strip()) or (with_text >= 3 and counts[key(line)] >= enough)
            ):
                dropped += 1
                continue
            kept.append(line)
        out.append(kept)
    return out, dropped
