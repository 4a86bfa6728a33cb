"""A tiny host app for screen tests: pushes one screen on mount and keeps its dismiss value."""

from __future__ import annotations

import hashlib
import time

from textual.app import App

from postil.sources.blocks import Block
from postil.sources.document import Document, LoadedSource
from postil.store.source_add import add_source

NOT_DISMISSED = object()


class Host(App):
    """Pushes `screen` when mounted; `result` holds what it was dismissed with."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.screen_under_test = screen
        self.result = NOT_DISMISSED

    def on_mount(self) -> None:
        self.push_screen(self.screen_under_test, self._done)

    def _done(self, value) -> None:
        self.result = value


def add_text(db, title: str, text: str, origin: str | None = None) -> int:
    """Store a plain-text source (one paragraph per blank-line block) and return its id."""
    blocks, start = [], 0
    for part in text.split("\n\n"):
        blocks.append(Block("paragraph", start, start + len(part)))
        start += len(part) + 2
    doc = Document(title, text, blocks, "text")
    digest = hashlib.sha256(text.encode()).hexdigest()
    return add_source(db, LoadedSource(doc, origin or f"/{title}.txt", digest, len(text))).source.id


def drawn(app) -> str:
    """All the text currently painted on the app's active screen, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def until(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (a worker's result shown), or fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the app never got there"
        await pilot.pause(0.01)
