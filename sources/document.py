"""The normalised form every loader produces: one reading text and its blocks."""

from __future__ import annotations

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


@dataclass
class Document:
    """A source as postil reads it: the reading text plus its blocks and a title."""

    title: str
    text: str
    blocks: list[Block]
    format: str
    """One of "text", "markdown", "html"."""
    warnings: list[str] = field(default_factory=list)
    """Things the loader wants the user to know (replacement decoding, fallbacks)."""


@dataclass
class LoadedSource:
    """A document together with the facts about the bytes it came from."""

    document: Document
    origin: str
    sha256: str
    size: int
