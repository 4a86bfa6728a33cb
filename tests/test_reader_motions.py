"""Motions over random texts and widths: the cursor visits every character, drawn where it is."""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reader_app import ReaderApp, cursor_cells
from tui.widgets.reader import Reader

ALPHABET = st.sampled_from(list("ab cd\tef. ") + ["中", "😀", "\u0301", "\n", "[", "]"])
TEXTS = st.lists(ALPHABET, min_size=1, max_size=80).map("".join).filter(lambda t: t.strip())


async def _walk(text: str, width: int) -> None:
    app = ReaderApp(text, [])
    async with app.run_test(size=(width, 12)):
        reader = app.query_one(Reader)
        layout = reader._layout
        stops = [i for u in layout.units for i in range(u.start, u.end) if layout.is_stop(i)]
        visited = [reader.cursor]
        for _ in range(len(stops) + 2):
            reader.action_cursor_right()
            if reader.cursor == visited[-1]:
                break
            visited.append(reader.cursor)
            cells = cursor_cells(reader)
            # One cursor cell is drawn, on the character at the cursor (tab/newline as spaces).
            assert len(cells) == 1
            ch = text[reader.cursor]
            assert cells[0][1].startswith(" " if ch in "\t\n" else ch)
        assert visited == stops
        for offset in reversed(stops[:-1]):
            reader.action_cursor_left()
            assert reader.cursor == offset
        # Down then up returns to the same row; every row visited holds the cursor.
        rows = [layout.point_of(reader.cursor)[0]]
        for _ in range(4):
            reader.action_cursor_down()
            rows.append(layout.point_of(reader.cursor)[0])
        assert rows == sorted(rows)


@settings(max_examples=12, deadline=None)
@given(TEXTS, st.integers(min_value=8, max_value=30))
def test_right_and_left_visit_every_character_in_order(text, width):
    asyncio.run(_walk(text, width))
