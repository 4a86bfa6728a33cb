"""The library column: one tidy two-line entry per source at any width, focused or not."""

from __future__ import annotations

import pytest
from app_support import add_text, make_app, settle, widget_text

from postil.store.db import open_db
from postil.tui.screens.main import MainScreen
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
        assert detail in ("no highlights · markdown", "no highlights", "none yet", "3 highlights · markdown", "3 highlights", "3 marked")


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
        assert await settle(pilot, lambda: entries(library)[0][1] == "3 marked")
        check_entries(library)


async def test_a_source_added_by_another_program_appears_in_the_library(app_settings, app_db, monkeypatch):
    """`postil add` in another terminal while the app runs: the library lists it soon after."""
    monkeypatch.setattr(MainScreen, "DATA_POLL_SECONDS", 0.05)
    add_text(app_db, "# First\n\nSome text.\n", "first.md")
    app = make_app(app_settings, app_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        library = app.screen.query_one(LibraryList)
        assert await settle(pilot, lambda: "First" in widget_text(library))
        assert "Second" not in widget_text(library)
        other = open_db(app_settings.db_path)  # another connection: another process's writes
        add_text(other, "# Second\n\nMore text.\n", "second.md")
        other.close()
        assert await settle(pilot, lambda: "Second" in widget_text(library))
        assert app.screen.source.title == "First"  # still reading what was open


async def test_add_a_file_from_inside_the_app(app_settings, app_db, tmp_path):
    add_text(app_db, "# First\n\nSome text.\n", "first.md")
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "trial-report.md").write_text("# Trial report\n\nRelapse was rare.\n")
    app = make_app(app_settings, app_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        field = app.screen.query_one("#path")
        field.value = ""
        await pilot.press(*f"{tmp_path}/pap")
        await pilot.pause(0.2)
        await pilot.press("right")  # takes the completion
        assert field.value == f"{tmp_path}/papers/"
        await pilot.press(*"tri")
        await pilot.pause(0.2)
        await pilot.press("right")
        assert field.value == f"{tmp_path}/papers/trial-report.md"
        await pilot.press("enter")
        main = app.screen
        assert await settle(pilot, lambda: main.source is not None and main.source.title == "Trial report")
        assert "Trial re" in widget_text(main.query_one(LibraryList))  # cut to the narrow library (80 columns)
        await pilot.press("A")
        await pilot.pause()
        app.screen.query_one("#path").value = str(tmp_path / "nothing.md")
        await pilot.press("enter")
        await pilot.pause()
        assert "no such file" in str(app.screen.query_one("#add-status").content)
