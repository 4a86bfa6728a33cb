"""Blocks: the structural units of a reading text (headings, paragraphs, list items ...).

Apart from sources/document.py (what a loader produces) because the reader needs only these:
opening a stored source never imports the loaders' types (tui/startup.py, 'Dialogs').
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

BLOCK_KINDS = ("heading", "paragraph", "list_item", "quote", "table_row", "code")


@dataclass(frozen=True, slots=True)
class Block:
    """A structural unit of the reading text.

    `start` and `end` are character offsets into `Document.text` (end exclusive).
    Blocks are in document order and never overlap.
    """

    kind: str
    start: int
    end: int
    level: int = 0
    """Heading level (1-6), list nesting depth, or quote depth; 0 when it means nothing."""
    meta: dict = field(default_factory=dict, compare=False, hash=False)
    """Extra facts about the block, e.g. {"links": ["https://..."]} or {"ordinal": "1."}."""


class _NoMeta(dict):
    """An empty `meta` that refuses changes, so that one instance can stand for all of them."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("this block's meta is shared and read-only")

    __setitem__ = __delitem__ = __ior__ = _refuse
    update = setdefault = pop = popitem = clear = _refuse


NO_META: dict = _NoMeta()
"""The `meta` of every block read from the store without extra facts (nearly all of them):
a 10 MB source has 20,000 blocks, and an empty dict each cost 1.3 MB."""


class BlockTable(Sequence):
    """Blocks kept column by column; a `Block` is made only when one is asked for.

    An open 10 MB source has ~20,000 blocks. As objects, each with its offsets as int objects
    of their own, they held 2.9 MB for as long as the source was open; as columns (offsets in
    machine-word arrays, kind names shared, `meta` only where a block has one) ~0.5 MB. The
    reader reads the columns directly (`starts`, `ends`, `kinds`) for its own indexes.
    """

    __slots__ = ("kinds", "starts", "ends", "levels", "metas")

    def __init__(self, kinds: list[str], starts: array, ends: array, levels: array,
                 metas: dict[int, dict]) -> None:
        self.kinds = kinds
        self.starts = starts
        self.ends = ends
        self.levels = levels
        self.metas = metas
        """Block number -> its meta, for the blocks that have one."""

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, int, int, int, dict]]) -> BlockTable:
        """From (kind, level, start, end, meta) rows in text order; an empty meta is not kept."""
        kinds: list[str] = []
        starts, ends, levels = array("q"), array("q"), array("l")
        metas: dict[int, dict] = {}
        add_kind, add_start, add_end, add_level = kinds.append, starts.append, ends.append, levels.append
        for i, (kind, level, start, end, meta) in enumerate(rows):
            add_kind(kind)
            add_start(start)
            add_end(end)
            add_level(level)
            if meta:
                metas[i] = meta
        return cls(kinds, starts, ends, levels, metas)

    @classmethod
    def from_blocks(cls, blocks: Iterable[Block]) -> BlockTable:
        return cls.from_rows((b.kind, b.level, b.start, b.end, b.meta) for b in blocks)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self.starts)
        return Block(self.kinds[i], self.starts[i], self.ends[i], self.levels[i], self.metas.get(i, NO_META))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"BlockTable({len(self)} blocks)"


def block_columns(blocks: Sequence[Block]) -> tuple[Sequence[int], Sequence[int], Sequence[str]]:
    """Starts, ends and kinds of `blocks`: a BlockTable's own columns, else made as lists."""
    if isinstance(blocks, BlockTable):
        return blocks.starts, blocks.ends, blocks.kinds
    return [b.start for b in blocks], [b.end for b in blocks], [b.kind for b in blocks]
