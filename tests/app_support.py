"""Helpers for the app's Pilot tests: a database in tmp_path with sources, and screen text."""

from __future__ import annotations

from pathlib import Path

from postil.sources.load import load_bytes
from postil.store.source_add import add_source
from postil.tui.app import PostilApp
from postil.tui.settings import Settings

SIZE = (160, 48)

SAMPLE = """# Sample study

The drug raised amygdala activity in most patients. Smith et al. found the same in 2019. Effects lasted five weeks.

A second paragraph talks about caveats. The sample was small, only 20 people.

A third paragraph closes the text.
"""


def add_text(db, text: str, name: str = "sample.md") -> int:
    """Import `text` as a source named `name`; its id."""
    return add_source(db, load_bytes(text.encode(), name, origin=f"/nowhere/{name}")).source.id


def make_settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "postil.db", "tester", False)


def make_app(settings: Settings, db, source_id: int | None = None, at_top: bool = False) -> PostilApp:
    return PostilApp(settings, db=db, source_id=source_id, at_top=at_top)


def select_text(screen, needle: str) -> tuple[int, int]:
    """Select the first occurrence of `needle` in the open source; (start, end)."""
    start = screen.reader.text.index(needle)
    end = start + len(needle)
    screen.reader.select(start, end)
    return start, end


def widget_text(widget) -> str:
    """What a widget shows, line by line (rendered strips joined)."""
    height = widget.size.height
    return "\n".join(widget.render_line(y).text for y in range(height))


def screen_text(app) -> str:
    """Everything on screen (the top screen and the ones under it) as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def screen_segments(app) -> list:
    """Every rendered segment on screen (to check that no escape code gets through)."""
    return [segment for strip in app.screen._compositor.render_strips() for segment in strip]


async def settle(pilot, condition, tries: int = 100) -> bool:
    """Pause until `condition()` holds (widgets that recompose, like the footer, take a few
    refreshes, more on a loaded machine); the condition's last value."""
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.02)
    return bool(condition())
