"""The reader's units: one per block of the reading text, huge blocks cut into chunks so
that wrapping one never stalls a keystroke (no Textual import).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from rich.cells import get_character_cell_size

from postil.sources.blocks import Block, block_columns
from postil.sources.sanitise import for_display

CHUNK = 2048
"""Blocks longer than this many characters are wrapped in chunks of about this size."""
_LIST_MARK = re.compile(r"\s*(?:[-*+\u2022\u2023\u25e6\u2043]|\d{1,3}[.)]|[a-zA-Z][.)])\s+")
_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")
"""Blank lines: how a text without blocks is cut into paragraphs."""


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

