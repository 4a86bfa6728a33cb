"""Assemble a Document from blocks one at a time, keeping offsets exact.

Every loader ends here, so the block rules hold for all formats: text is cleaned
(`normalise.clean`) before it is placed, each block's span has no surrounding whitespace (a code block keeps its first line's
indentation),
empty blocks are dropped, and blocks are separated by a blank line (rows of one table by a
single newline).
"""

from __future__ import annotations

import re

from postil.sources.blocks import Block
from postil.sources.document import Document
from postil.sources.normalise import clean

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


class DocumentBuilder:
    """Collects block texts and their spans into one reading text."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []
        """Blocks added so far, in order."""

    def add(
        self,
        kind: str,
        text: str,
        level: int = 0,
        meta: dict | None = None,
        *,
        tight: bool = False,
        cleaned: bool = False,
    ) -> Block | None:
        """Append a block; returns it, or None when nothing readable was left.

        Args:
            kind: one of `blocks.BLOCK_KINDS`.
            text: the block's reading text (cleaned here unless `cleaned`).
            level: heading level, list depth or quote depth.
            meta: extra facts (links, list marker).
            tight: join to the previous block with one newline instead of a blank line
                (table rows of one table).
            cleaned: `text` already went through `normalise.clean`.
        """
        if not cleaned:
            text = clean(text)
        # Code keeps its first line's indentation: "    x = 1" is not "x = 1".
        text = _LEADING_BLANK_LINES.sub("", text).rstrip() if kind == "code" else text.strip()
        if not text or (kind == "list_item" and meta and text == meta.get("marker")):
            return None  # nothing readable, or a list marker with no item text after it
        if self._parts:
            separator = "\n" if tight else "\n\n"
            self._parts.append(separator)
            self._length += len(separator)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        block = Block(kind, start, self._length, level, dict(meta or {}))
        self.blocks.append(block)
        return block

    @property
    def last_kind(self) -> str | None:
        """Kind of the most recent block, or None."""
        return self.blocks[-1].kind if self.blocks else None

    def text(self) -> str:
        """The reading text so far."""
        return "".join(self._parts)

    def build(self, title: str, format: str, warnings: list[str] | None = None) -> Document:
        """Return the finished Document."""
        return Document(
            title=title, text=self.text(), blocks=list(self.blocks), format=format,
            warnings=list(warnings or []),
        )
