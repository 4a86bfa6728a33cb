"""The library column: one tidy two-line entry per source at any width, focused or not."""

from __future__ import annotations

import pytest
from app_support import add_text, make_app, settle, widget_text

from postil.tui.widgets.library import LibraryList

TITLES = [
    "Psychedelic research mechanisms in the amygdala",
    "Magic Mushrooms and Mental Health: Can Psilocybin Heal the Depressed Brain?",
    "Short",
    "[b]Bold[/b] [@click=app.quit]x",  # markup-like: shown literally
]


def add_sources(db) -> None:
    for number, title in enumerate(TITLES):
        add_text(db, f"# {title}\n\nSome text about source {number}.\n", f"s{number}.md")


def entries(library: LibraryList) -> list[tuple[str, str]]:
    """(title line, detail line) per source, as drawn, without the marker column."""
    lines = [line.rstrip() for line in widget_text(library).splitlines()]
    lines = [line for line in lines if line.strip()]
    assert len(lines) == 2 * len(TITLES), lines  # exactly two lines a source: nothing wrapped
    return [(lines[i][2:], lines[i + 1].strip()) for i in range(0, len(lines), 2)]


def check_entries(library: LibraryList) -> None:
    room = library.scrollable_content_region.width - 2
    for (title_line, detail), title in zip(entries(library), TITLES):
        if len(title) <= room:
            assert title_line == title
        else:  # cut to the column with an ellipsis, never wrapped onto the next line
            assert title_line.endswith("…")
            assert len(title_line) == room
            assert title.startswith(title_line[:-1])
        assert detail in ("no highlights · markdown", "no highlights", "none yet", "3 highlights · markdown", "3 highlights", "3 hl")


@pytest.mark.parametrize("size", [(160, 48), (100, 30), (80, 24)])
async def test_titles_stay_on_one_line_cut_with_an_ellipsis(app_settings, app_db, size):
    add_sources(app_db)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        library = app.screen.query_one(LibraryList)
        check_entries(library)
        library.focus()  # the focus border narrows the column
        await pilot.pause()
        check_entries(library)
        await pilot.press("ctrl+b")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert library.display
        check_entries(library)


async def test_the_detail_line_counts_highlights_and_fits_a_narrow_column(app_settings, app_db):
    add_sources(app_db)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        library = app.screen.query_one(LibraryList)
        first = library._sources[0].id
        library.set_count(first, 3)
        await pilot.pause()
        assert entries(library)[0][1] == "3 highlights · markdown"
        await pilot.resize_terminal(80, 24)
        assert await settle(pilot, lambda: entries(library)[0][1] == "3 hl")
        check_entries(library)
