"""A tiny app that mounts just the Reader, and a helper to build texts with blocks."""

from __future__ import annotations

import asyncio
import functools

from textual.app import App, ComposeResult

from postil.sources.blocks import Block
from postil.tui.widgets.reader import Reader, Span


def sync(test):
    """Run an async test function with asyncio.run (the suite has no async pytest plugin)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def make_doc(*parts: tuple[str, str] | str) -> tuple[str, list[Block]]:
    """Join parts with blank lines; each part is text or (kind, text); returns text and blocks."""
    text, blocks = "", []
    for part in parts:
        kind, body = ("paragraph", part) if isinstance(part, str) else part
        if text:
            text += "\n\n"
        blocks.append(Block(kind, len(text), len(text) + len(body), 1 if kind in ("heading", "list_item") else 0))
        text += body
    return text, blocks


class ReaderApp(App):
    """Mounts one Reader and loads the given text into it."""

    def __init__(self, text: str, blocks: list[Block] | None = None, spans: list[Span] | None = None, cursor: int = 0):
        super().__init__()
        self.doc = (text, blocks or [], spans or [], cursor)
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield Reader()

    def on_mount(self) -> None:
        reader = self.query_one(Reader)
        reader.load(*self.doc)
        reader.focus()

    def on_reader_cursor_moved(self, message: Reader.CursorMoved) -> None:
        self.messages.append(("cursor", message.offset))

    def on_reader_selection_changed(self, message: Reader.SelectionChanged) -> None:
        self.messages.append(("selection", message.start, message.end))


def screen_lines(reader: Reader) -> list[str]:
    """What the reader draws, one string per visible row."""
    return [reader.render_line(y).text for y in range(reader.scrollable_content_region.height)]


def cursor_cells(reader: Reader) -> list[tuple[int, str]]:
    """(row, text) of every reverse-video segment drawn: where the cursor is."""
    found = []
    for y in range(reader.scrollable_content_region.height):
        for seg in reader.render_line(y):
            if seg.style and seg.style.reverse:
                found.append((y, seg.text))
    return found
