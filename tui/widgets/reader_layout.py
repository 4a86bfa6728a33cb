"""Soft-wrapping and offset mapping for the reader, with no Textual import.

The reading text is cut into *units*: one per block (huge blocks are split into chunks so
that wrapping one never stalls a keystroke). A unit is wrapped at word boundaries only when
it is first needed; until then its height is estimated from its length. A Fenwick tree over
unit heights turns a screen row into a unit (and back) in O(log n), so a 10 MB source opens
without wrapping anything off screen, while every mapping that touches a wrapped unit is exact.

Coordinates: `y` is a row of the whole document (virtual), `x` a cell counted from the left
edge of the text column, prefixes (bullets, quote bars, indents) included. Offsets are
character offsets into the reading text. Tabs advance to the next multiple of 4 cells but stay
one character; wide characters take 2 cells; zero-width marks take 0 and belong to the
character before them (one at the very start of a line is drawn as "◌", 1 cell).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from typing import Sequence

from postil.sources.blocks import Block
from postil.sources.sanitise import for_display
from postil.tui.widgets.reader_table import MAX_ROWS, TableShape, align_rows
from postil.tui.widgets.reader_units import CHUNK, build_units
from postil.tui.widgets.reader_wrap import char_cells, line_columns, wrap

__all__ = ["CHUNK", "HeightIndex", "Layout"]


class HeightIndex:
    """A Fenwick tree of unit heights: row of a unit and unit at a row in O(log n)."""

    def __init__(self, heights: list[int]) -> None:
        tree = list(heights)
        n = len(tree)
        for i in range(n):
            j = i | (i + 1)
            if j < n:
                tree[j] += tree[i]
        # Machine-word arrays: the tree's running sums are ints too big for Python's shared
        # small ints, so as lists the two held ~0.9 MB for a 10 MB text's 20,000 units.
        self.heights = array("q", heights)
        self._tree = array("q", tree)
        self.total = sum(heights)
        self._top_bit = 1 << max(0, n.bit_length())

    def set(self, i: int, height: int) -> None:
        delta = height - self.heights[i]
        if not delta:
            return
        self.heights[i] = height
        self.total += delta
        tree, n = self._tree, len(self._tree)
        while i < n:
            tree[i] += delta
            i |= i + 1

    def top(self, i: int) -> int:
        """Sum of the heights before unit i."""
        total = 0
        tree = self._tree
        while i > 0:
            total += tree[i - 1]
            i &= i - 1
        return total

    def find(self, y: int) -> int:
        """Index of the unit whose rows contain y (clamped to the last unit)."""
        pos, rest, tree, n = 0, y, self._tree, len(self._tree)
        step = self._top_bit
        while step:
            nxt = pos + step
            if nxt <= n and tree[nxt - 1] <= rest:
                pos = nxt
                rest -= tree[nxt - 1]
            step >>= 1
        return min(pos, n - 1)


class Layout:
    """The wrapped shape of one reading text at one width, computed lazily."""

    def __init__(self, text: str, blocks: Sequence[Block], width: int) -> None:
        self.text = text
        self.units = build_units(text, blocks)
        self._starts = self.units.starts
        self._tables: dict[int, tuple[TableShape | None, int]] = {}
        """Table row unit -> (its table's aligned shape or None, its row number); any width."""
        self.set_width(width)

    def set_width(self, width: int) -> None:
        """Forget every wrap and estimate all heights again for a new width."""
        self.width = max(2, width)
        self._lines: dict[int, list[int]] = {}
        self._disp: dict[int, str] = {}
        self._pads: dict[int, list[tuple[int, int]]] = {}
        """Aligned table row unit -> (offset, blank cells drawn before it) at this width."""
        self._hangs: dict[int, str] = {}
        """Aligned table row unit -> what is drawn before its last cell's wrapped lines."""
        units = self.units
        usable = max(2, self.width - 2) * 0.92  # word wrap leaves ragged line ends
        est = [
            int((e - s) / usable) + 1 + a + b
            for s, e, a, b in zip(units.starts, units.ends, units.after, units.before)
        ]
        text = self.text
        for u, kind in enumerate(units.kinds):
            if kind == "code":  # code keeps its line breaks: count them
                rows = text.count("\n", units.starts[u], units.ends[u]) + 1
                est[u] = max(est[u], rows + units.after[u] + units.before[u])
        self.heights = HeightIndex(est)

    @property
    def total_height(self) -> int:
        return self.heights.total

    def display(self, u: int) -> str:
        """The sanitised display text of unit u (same length as its reading text)."""
        disp = self._disp.get(u)
        if disp is None:
            unit = self.units[u]
            disp = self._disp[u] = for_display(self.text[unit.start : unit.end])
        return disp

    def lines(self, u: int) -> list[int]:
        """Absolute start offsets of unit u's wrapped lines (wrapping it now if needed)."""
        starts = self._lines.get(u)
        if starts is None:
            unit = self.units[u]
            aligned = self._align_row(u) if self.units.kinds[u] == "table_row" else None
            if aligned is not None:
                rel, self._pads[u], self._hangs[u] = aligned
            else:
                rel = wrap(self.display(u), self.width, len(unit.prefix), len(unit.hang))
            starts = self._lines[u] = [unit.start + s for s in rel]
            self.heights.set(u, unit.before + len(starts) + unit.after)
        return starts

    def line_span(self, u: int, li: int) -> tuple[int, int]:
        starts = self.lines(u)
        end = starts[li + 1] if li + 1 < len(starts) else self.units[u].end
        return starts[li], end

    def unit_at(self, offset: int) -> int:
        """The unit containing offset, or the one before it when the offset is in a gap."""
        return max(0, bisect_right(self._starts, offset) - 1)

    def locate(self, y: int) -> tuple[int, int | None]:
        """Unit and line index at document row y (line None on a blank spacing row)."""
        y = max(0, min(y, self.heights.total - 1))
        while True:
            u = self.heights.find(y)
            if u not in self._lines:
                self.lines(u)  # exact height now; the unit at y may have changed
                continue
            li = y - self.heights.top(u) - self.units[u].before
            starts = self._lines[u]
            return u, li if 0 <= li < len(starts) else None

    def line_prefix(self, u: int, li: int) -> str:
        if li and u in self._hangs:
            return self._hangs[u]
        unit = self.units[u]
        return unit.prefix if li == 0 else unit.hang

    def columns(self, u: int, li: int) -> list[int]:
        """Cells of each character on a line, offset by the line's prefix and table padding."""
        a, b = self.line_span(u, li)
        base = self.units[u].start
        pre = len(self.line_prefix(u, li))
        cols = line_columns(self.display(u), a - base, b - base)
        for offset, cells in self.pads(u, li):
            for j in range(offset - a, len(cols)):
                cols[j] += cells
        return [c + pre for c in cols] if pre else cols

    def pads(self, u: int, li: int) -> list[tuple[int, int]]:
        """(offset, blank cells drawn before it) on line li of an aligned table row."""
        pads = self._pads.get(u) if u in self._lines else None
        if not pads:
            return []
        a, b = self.line_span(u, li)
        return [(offset, cells) for offset, cells in pads if a <= offset < b]

    def _align_row(self, u: int) -> tuple[list[int], list[tuple[int, int]], str] | None:
        """Line starts, padding and hang of table row u lined up with its table, else None.

        The whole row on one line when its table fits the width; otherwise every column but
        the last lined up and the last cell wrapped under itself, when that leaves it room.
        """
        found = self._tables.get(u)
        if found is None:
            self._shape_table(u)
            found = self._tables[u]
        shape, row = found
        if shape is None:
            return None
        start = self.units.starts[u]
        pads = [(start + rel, cells) for rel, cells in shape.pads[row]]
        if shape.width <= self.width:
            return [0], pads, ""
        last, col = shape.last[row]
        if max(c for _, c in shape.last) > self.width - max(10, self.width // 5):
            return None  # too little room for the last column: wrap each row whole
        rel = wrap(self.display(u)[last:], self.width, col, col)
        return [0, *(last + r for r in rel[1:])], pads, shape.hang(row)

    def _shape_table(self, u: int) -> None:
        """Find the rows of the table holding unit u and line them up (once, for any width)."""
        units = self.units
        kinds, index, blocks = units.kinds, units.index, units.blocks

        def table_of(v: int) -> object:
            i = index[v]
            if kinds[v] != "table_row" or i < 0:
                return None
            block = blocks[i]
            if units.starts[v] != block.start or units.ends[v] != block.end:
                return None  # a row long enough to be chunked is never aligned
            return (block.meta or {}).get("table", "")

        table = table_of(u)
        lo = hi = u
        if table is not None:
            while lo > 0 and u - lo <= MAX_ROWS and table_of(lo - 1) == table:
                lo -= 1
            while hi + 1 < len(units) and hi - u <= MAX_ROWS and table_of(hi + 1) == table:
                hi += 1
        rows = range(lo, hi + 1)
        shape = None
        if table is not None and len(rows) <= MAX_ROWS:
            shape = align_rows([self.display(v) for v in rows], lambda d: line_columns(d, 0, len(d)))
        for n, v in enumerate(rows):
            self._tables[v] = (shape, n)

    def clamp(self, offset: int) -> int:
        """The nearest character that is drawn (inside a unit), preferring the one before."""
        u = self.unit_at(offset)
        unit = self.units[u]
        if offset < unit.start:
            return unit.start
        return min(offset, unit.end - 1) if unit.end > unit.start else unit.start

    def point_of(self, offset: int) -> tuple[int, int]:
        """Document row and cell of the character at offset (of its base, for a mark)."""
        offset = self.clamp(offset)
        u = self.unit_at(offset)
        starts = self.lines(u)
        while offset > starts[0] and not self.is_stop(offset):
            offset -= 1
        li = bisect_right(starts, offset) - 1
        cols = self.columns(u, li)
        y = self.heights.top(u) + self.units[u].before + li
        return y, cols[offset - starts[li]]

    def offset_at(self, y: int, x: int) -> int:
        """The character drawn at (or nearest to) row y, cell x."""
        u, li = self.locate(y)
        if li is None:
            unit = self.units[u]
            top = self.heights.top(u) + unit.before
            li = 0 if y < top else len(self.lines(u)) - 1
        a, b = self.line_span(u, li)
        cols = self.columns(u, li)
        best = a
        for j in range(b - a):
            if cols[j + 1] > cols[j] or j == 0:  # only characters with cells are targets
                if cols[j] <= x:
                    best = a + j
                else:
                    break
        return best

    def is_stop(self, offset: int) -> bool:
        """Can the cursor rest here? Not on a zero-width mark that belongs to its neighbour."""
        ch = self.text[offset]
        if ch in "\t\n" or char_cells(for_display(ch), 0) > 0:
            return True
        u = self.unit_at(offset)
        return offset in self.lines(u) or offset <= self.units[u].start
