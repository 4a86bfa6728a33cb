"""The grid (the tags screen's table) makes and draws only the cells in view (issue 15).

A DataTable rendered every cell of a row to draw any line of it: the tags screen, a column
per source, drew 8 x 205 cells for its first paint (~280 ms at 200 sources). The work is
counted here in cells asked for, not timed.
"""

from __future__ import annotations

import pytest
from rich.text import Text
from screen_host import Host, add_text, drawn
from textual.app import App, ComposeResult

from postil.store import highlights
from postil.store.db import open_db
from postil.tui.screens.tags import TagsScreen
from postil.tui.undo import UndoStack
from postil.tui.widgets.grid import Grid


class GridApp(App):
    def __init__(self, columns: int) -> None:
        super().__init__()
        self.columns = columns
        self.asked: set[tuple[int, int]] = set()

    def compose(self) -> ComposeResult:
        yield Grid(fixed_columns=2)

    def on_mount(self) -> None:
        def cell(row: int, column: int) -> Text:
            self.asked.add((row, column))
            return Text(f"r{row}c{column}")

        headers = [Text(f"col {c}") for c in range(self.columns)]
        widths = [max(len(f"col {c}"), len(f"r9c{c}")) for c in range(self.columns)]
        self.query_one(Grid).set_table(headers, widths, 10, cell)


async def cells_asked(columns: int, keys: tuple[str, ...] = ()) -> tuple[set[tuple[int, int]], str]:
    app = GridApp(columns)
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        app.query_one(Grid).focus()
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.3)  # scrolling sideways animates
        return app.asked, drawn(app)


async def test_the_cells_made_for_a_paint_do_not_grow_with_the_columns_off_screen():
    few, _ = await cells_asked(12)
    many, shown = await cells_asked(2000)
    assert few == many
    # 80 columns show 11 columns of 7 cells and the start of the 12th, on the 10 rows.
    assert many == {(row, column) for row in range(10) for column in range(12)}
    assert "r0c0" in shown and "r9c10" in shown and "r0c11" not in shown


async def test_scrolling_sideways_keeps_the_fixed_columns_and_brings_the_next_in():
    asked, shown = await cells_asked(2000, ("right",) * 12)
    assert "r0c0" in shown and "r0c1" in shown and "r0c9" in shown
    assert max(column for _, column in asked) < 20


async def test_end_shows_the_last_column_and_down_moves_the_cursor():
    app = GridApp(300)
    moved: list[int] = []
    async with app.run_test(size=(80, 12), message_hook=lambda m: isinstance(m, Grid.RowHighlighted) and moved.append(m.cursor_row)) as pilot:
        await pilot.pause()
        app.query_one(Grid).focus()
        await pilot.press("end", "down", "down")
        await pilot.pause()
        assert "r2c299" in drawn(app) and "r2c0" in drawn(app)
        assert app.query_one(Grid).cursor_row == 2 and moved[-1] == 2


@pytest.mark.parametrize("sources", [20, 60])
async def test_the_tags_screen_makes_the_same_cells_for_10_or_60_sources(tmp_path, sources):
    db = open_db(tmp_path / "tags.db")
    for n in range(sources):
        source = add_text(db, f"Study {n}", f"Finding {n} was small.")
        highlights.create_highlight(db, source, 0, 7, tags=["caveat"])
    asked: list[tuple[int, int]] = []
    screen = TagsScreen(db, UndoStack(db))
    make = screen._cell

    def counted(row: int, column: int) -> Text:
        asked.append((row, column))
        return make(row, column)

    screen._cell = counted  # the screen's own method, counted: it is what the grid asks for cells
    app = Host(screen)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "Study 0" in drawn(app)
    # 4 tags x (4 fixed + the 11 sources that fit in 120 columns), whatever is off screen.
    assert set(asked) == {(row, column) for row in range(4) for column in range(4 + 11)}
