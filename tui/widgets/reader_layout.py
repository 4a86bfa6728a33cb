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

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from typing import Sequence

from rich.cells import get_character_cell_size

from postil.sources.document import Block, block_columns
from postil.sources.sanitise import for_display
from postil.tui.widgets.reader_table import MAX_ROWS, TableShape, align_rows

TAB = 4
CHUNK = 2048
"""Blocks longer than this many characters are wrapped in chunks of about this size."""
_LIST_MARK = re.compile(r"\s*(?:[-*+\u2022\u2023\u25e6\u2043]|\d{1,3}[.)]|[a-zA-Z][.)])\s+")
_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")
"""Blank lines: how a text without blocks is cut into paragraphs."""


def char_cells(ch: str, col: int) -> int:
    """Cells taken by display character `ch` starting at text column `col`."""
    if " " <= ch < "\x7f":
        return 1
    if ch == "\t":
        return TAB - col % TAB
    if ch == "\n":
        return 1  # drawn as a space so the cursor can rest on it (empty lines in code)
    return get_character_cell_size(ch)


@dataclass(slots=True)
class Unit:
    """A wrapped-at-once stretch of the reading text: a block or a chunk of one."""

    start: int
    end: int
    kind: str
    level: int
    block: int
    """Index into the blocks list (-1 for text outside any block)."""
    first: bool
    """First chunk of its block (draws the bullet / gets the space before a heading)."""
    before: int = 0
    """Blank rows above the text."""
    after: int = 0
    """Blank rows below the text."""
    prefix: str = ""
    """Drawn before the first line (bullet, quote bar, indent); not part of the text."""
    hang: str = ""
    """Drawn before every further line (hanging indent)."""


def _chunk_ends(text: str, start: int, end: int) -> list[int]:
    """Cut points splitting text[start:end] into chunks near CHUNK characters."""
    cuts = []
    pos = start
    while end - pos > CHUNK:
        lo, hi = pos + CHUNK // 2, pos + CHUNK
        cut = text.rfind("\n", lo, hi)
        if cut < 0:
            cut = text.rfind(" ", lo, hi)
        cut = hi - 1 if cut < 0 else cut
        cut += 1
        # Never cut before a zero-width mark: it belongs to the character before it.
        while cut < end and get_character_cell_size(text[cut]) == 0 and text[cut] not in "\t\n":
            cut += 1
        if cut >= end:
            break
        cuts.append(cut)
        pos = cut
    cuts.append(end)
    return cuts


def _prefixes(text: str, block: Block | None, kind: str, level: int) -> tuple[str, str]:
    """First-line prefix and hanging indent for a block kind."""
    if kind == "list_item":
        indent = "  " * max(0, level - 1 if level else 0)
        match = _LIST_MARK.match(text, block.start, min(block.end, block.start + 12)) if block else None
        if match:  # the text carries its own bullet: hang under the text after it
            return indent, indent + " " * (match.end() - match.start())
        mark = str((block.meta or {}).get("ordinal") or "\u2022") if block else "\u2022"
        mark = for_display(mark)[:6] + " "
        return indent + mark, indent + " " * len(mark)
    if kind == "quote":
        bar = "\u2502 " * max(1, level)
        return bar, bar
    if kind == "code":
        return "  ", "  "
    if kind == "table_row":  # a row too wide to line up: its wrapped lines hang under it
        return "", "    "
    return "", ""


class Units:
    """The units of a text as parallel lists; a `Unit` object is made only when asked for.

    Building 20,000 objects up front costs more than the whole first screen may take, so
    load time stays at a few list comprehensions over the blocks.
    """

    def __init__(self, text: str, blocks: Sequence[Block]) -> None:
        self.text = text
        self.blocks = blocks
        starts: list[int] = []
        ends: list[int] = []
        index: list[int] | range = []
        firsts: list[bool] = []
        block_starts, block_ends, block_kinds = block_columns(blocks)
        if not blocks:
            pieces = []
            pos = 0
            for m in [*_BLANK_LINES.finditer(text), None]:
                end = m.start() if m else len(text)
                pieces.append((pos, end, -1))
                pos = m.end() if m else end
        elif all(e - s <= CHUNK for s, e in zip(block_starts, block_ends)) and not any(
            text[e:s].strip() for e, s in zip([0, *block_ends], [*block_starts, len(text)])
        ):  # the common case: one unit per block, read from the blocks' own columns
            starts, ends = block_starts, block_ends  # type: ignore[assignment]
            index = range(len(blocks))  # unit u is block u: no list of 20,000 ints (0.8 MB)
            firsts = [True] * len(blocks)
            pieces = []
        else:
            pieces = []
            pos = 0
            for i, block in enumerate(blocks):
                if block.start > pos:
                    pieces.append((pos, block.start, -1))
                pieces.append((block.start, block.end, i))
                pos = max(pos, block.end)
            pieces.append((pos, len(text), -1))
        for start, end, i in pieces:
            if i < 0:  # text outside blocks: shown only when it is not blank
                piece = text[start:end]
                if not piece.strip():
                    continue
                start, end = start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())
            elif end <= start:
                continue
            first = True
            for cut in _chunk_ends(text, start, end) if end - start > CHUNK else (end,):
                starts.append(start)
                ends.append(cut)
                index.append(i)
                firsts.append(first)
                first, start = False, cut
        if not starts:
            starts, ends, index, firsts = [0], [len(text)], [-1], [True]
        self.starts, self.ends, self.index, self.firsts = starts, ends, index, firsts
        kinds = [block_kinds[i] if i >= 0 else "paragraph" for i in index] if len(index) != len(blocks) or not blocks else block_kinds
        self.kinds = kinds
        tight = ("table_row", "list_item")
        nxt_kinds = kinds[1:] + [None]
        nxt_firsts = firsts[1:] + [False]
        # Blank rows: one between blocks (none inside a table or a list), one more above headings.
        # One byte a unit (0 or 1), not a list slot of 8.
        self.after = bytearray([int(nf and not (nk == k and k in tight)) for k, nk, nf in zip(kinds, nxt_kinds, nxt_firsts)])
        self.before = bytearray([int(k == "heading" and f) for k, f in zip(kinds, firsts)])
        if self.before:
            self.before[0] = 0
        self._made: dict[int, Unit] = {}

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, u: int) -> Unit:
        if u < 0:
            u += len(self.starts)
        unit = self._made.get(u)
        if unit is None:
            if not 0 <= u < len(self.starts):
                raise IndexError(u)
            i = self.index[u]
            block = self.blocks[i] if i >= 0 else None
            kind = self.kinds[u]
            prefix, hang = _prefixes(self.text, block, kind, block.level if block else 0)
            first = self.firsts[u]
            unit = self._made[u] = Unit(
                self.starts[u], self.ends[u], kind, block.level if block else 0, i, first,
                before=self.before[u], after=self.after[u], prefix=prefix if first else hang, hang=hang,
            )
        return unit

    def __iter__(self):
        return (self[u] for u in range(len(self.starts)))


def build_units(text: str, blocks: Sequence[Block]) -> Units:
    """Cut the reading text into units; text between blocks that is not blank gets its own."""
    return Units(text, blocks)


def wrap(disp: str, width: int, first_cells: int, hang_cells: int) -> list[int]:
    """Wrap display text at word boundaries; return the start index of each line.

    Args:
        disp: The unit's display text (same length as the reading text it shows).
        width: Cells available to the whole line, prefix included.
        first_cells: Prefix cells on the first line.
        hang_cells: Prefix cells on every further line.

    Every character lands on exactly one line. One trailing space may sit in the cell just
    past `width` (the widget keeps a one-cell margin for it), so words fill the full width.
    """
    n = len(disp)
    if n == 0:
        return [0]
    limit = max(2, width - first_cells)
    if disp.isascii() and disp.isprintable() and n <= limit:
        return [0]
    starts = [0]
    ls = 0
    col = 0
    last_break = -1
    i = 0
    while i < n:
        ch = disp[i]
        if ch == "\n" and col > limit and i > ls:
            starts.append(i)  # no cell left for the newline's cursor cell: it gets a line
            ls, col, last_break = i, 0, -1
            limit = max(2, width - hang_cells)
        if ch == "\n":
            if i + 1 < n:
                starts.append(i + 1)
            ls, col, last_break = i + 1, 0, -1
            limit = max(2, width - hang_cells)
            i += 1
            continue
        w = char_cells(ch, col)
        if w == 0 and i == ls:
            w = 1  # an orphan mark is drawn as ◌
        if ch == " " or ch == "\t":
            if col + w <= limit + 1 or i == ls:
                col += w
                last_break = i + 1
                i += 1
                continue
        elif w == 0 or col + w <= limit or i == ls:
            if w == 0 and last_break == i:
                last_break = i + 1  # keep a mark with the space it sits on
            elif ch == "-" and i > ls and disp[i - 1].isalpha() and i + 1 < n and disp[i + 1].isalpha():
                last_break = i + 1  # "treatment-" | "resistant", as browsers break
            col += w
            i += 1
            continue
        # The character does not fit: end the line at the last break, or here.
        cut = last_break if last_break > ls else i
        starts.append(cut)
        ls, last_break = cut, -1
        limit = max(2, width - hang_cells)
        col = 0
        for j in range(cut, i):  # re-measure the carried-over part of the word
            w = char_cells(disp[j], col)
            col += 1 if (w == 0 and j == ls) else w
    return starts


def line_columns(disp: str, a: int, b: int) -> list[int]:
    """Column of each character of disp[a:b] on its line, plus the end column (len = b-a+1)."""
    cols = []
    col = 0
    for j in range(a, b):
        cols.append(col)
        ch = disp[j]
        w = char_cells(ch, col)
        if w == 0 and j == a:
            w = 1
        col += w
    cols.append(col)
    return cols


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
