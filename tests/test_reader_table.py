"""Table rows lined up into columns by the reader, with every offset still exact."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from postil.sources.blocks import Block
from postil.sources.markdown import CELL_GAP
from postil.tui.widgets.reader import Reader
from postil.tui.widgets.reader_layout import Layout
from tests.reader_app import ReaderApp, cursor_cells, screen_lines, sync

ROWS = [
    ["Feature", "Traditional Antidepressants", "Psilocybin-Assisted Therapy"],
    ["Frequency", "Daily consistent dose", "Occasional guided session"],
    ["Primary Goal", "Symptom suppression", "Neural network resetting"],
]


def table_doc(rows: list[list[str]], before: str = "A table follows.") -> tuple[str, list[Block]]:
    """A paragraph, then one table_row block per row joined by single newlines (as loaders do)."""
    text = before
    blocks = [Block("paragraph", 0, len(before))]
    text += "\n\n"
    for n, cells in enumerate(rows):
        if n:
            text += "\n"
        row = CELL_GAP.join(cells).strip()
        meta = {"table": 1, "header": True} if n == 0 else {"table": 1}
        blocks.append(Block("table_row", len(text), len(text) + len(row), 0, meta))
        text += row
    return text, blocks


def drawn_rows(layout: Layout, text: str) -> list[str]:
    """Each line as drawn (prefix, then each character at its column)."""
    out = []
    for u in range(len(layout.units)):
        for li in range(len(layout.lines(u))):
            a, b = layout.line_span(u, li)
            cols = layout.columns(u, li)
            line = list(layout.line_prefix(u, li).ljust(cols[-1]))
            for j in range(b - a):
                line[cols[j]] = text[a + j]
            out.append("".join(line).rstrip())
    return out


def test_rows_of_a_table_that_fits_line_up_their_bars():
    text, blocks = table_doc(ROWS)
    rows = drawn_rows(Layout(text, blocks, 100), text)[1:]
    assert rows[0] == "Feature       |  Traditional Antidepressants  |  Psilocybin-Assisted Therapy"
    assert rows[2] == "Primary Goal  |  Symptom suppression          |  Neural network resetting"
    assert len({row.index("|") for row in rows}) == 1
    assert len({row.rindex("|") for row in rows}) == 1


def test_a_narrower_table_wraps_its_last_column_under_itself_and_a_too_narrow_one_row_by_row():
    text, blocks = table_doc(ROWS)
    rows = drawn_rows(Layout(text, blocks, 66), text)[1:]
    assert rows[0] == "Feature       |  Traditional Antidepressants  |  Psilocybin-"
    assert rows[1] == "              |                               |  Assisted Therapy"
    rows = drawn_rows(Layout(text, blocks, 50), text)[1:]
    assert rows[0].startswith("Feature  |  Traditional")  # the text as stored, wrapped
    assert rows[1] == "    Psilocybin-Assisted Therapy"  # hanging under its row


def test_empty_cells_and_rows_with_fewer_cells_still_line_up():
    text, blocks = table_doc([["", "b", "c"], ["long cell", "", "x"], ["only"]])
    rows = drawn_rows(Layout(text, blocks, 80), text)[1:]
    assert rows[0].index("|") == rows[1].index("|")
    assert rows[0].rindex("|") == rows[1].rindex("|")
    assert rows[2] == "only"


CELLS = st.text(alphabet=st.sampled_from(list("ab 中😀é.") + ["\u0301"]), max_size=12).map(str.strip)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=1, max_size=5), st.integers(8, 70))
def test_every_character_of_a_table_round_trips_at_any_width(rows, width):
    text, blocks = table_doc(rows)
    layout = Layout(text, blocks, width)
    seen = []
    for u in range(len(layout.units)):
        for li in range(len(layout.lines(u))):
            a, b = layout.line_span(u, li)
            seen.extend(range(a, b))
            cols = layout.columns(u, li)
            assert cols == sorted(cols)  # padding never moves a character left
    assert seen == [i for unit in layout.units for i in range(unit.start, unit.end)]
    for offset in seen:
        if layout.is_stop(offset):
            y, x = layout.point_of(offset)
            assert layout.offset_at(y, x) == offset


@sync
async def test_cursor_and_click_on_a_padded_row_land_on_the_right_character():
    text, blocks = table_doc(ROWS)
    app = ReaderApp(text, blocks)
    async with app.run_test(size=(110, 12)) as pilot:
        reader = app.query_one(Reader)
        lines = screen_lines(reader)
        row = next(y for y, line in enumerate(lines) if "Primary Goal" in line)
        col = lines[row].index("Neural")
        assert lines[row].index("|") == lines[row - 1].index("|")  # aligned on screen too
        await pilot.click(Reader, offset=(col, row))
        assert reader.cursor == text.index("Neural")
        assert cursor_cells(reader) == [(row, "N")]
        # A click in the padding after "Symptom suppression" rests on its last character.
        await pilot.click(Reader, offset=(lines[row].index("suppression") + 14, row))
        assert reader.cursor == text.index("suppression") + len("suppression") - 1
        # j keeps the column through aligned rows: up from "Neural" is "Occasional".
        await pilot.click(Reader, offset=(col, row))
        await pilot.press("k")
        assert text[reader.cursor :].startswith("Occasional")
        assert reader.position_info()[0] == 3


@sync
async def test_a_selection_across_cells_paints_the_padding_between_them():
    text, blocks = table_doc(ROWS)
    app = ReaderApp(text, blocks)
    async with app.run_test(size=(110, 12)):
        reader = app.query_one(Reader)
        start = text.index("Frequency")
        reader.select(start, text.index("Occasional"))
        row = next(y for y, line in enumerate(screen_lines(reader)) if "Frequency" in line)
        backgrounds = {seg.style.bgcolor for seg in reader.render_line(row) if seg.text.strip() == ""}
        selected = next(seg.style.bgcolor for seg in reader.render_line(row) if "Frequency" in seg.text)
        assert selected in backgrounds  # the padding after "Frequency" is selected too
        header = next(seg for seg in reader.render_line(row - 1) if "Feature" in seg.text)
        assert header.style.bold
