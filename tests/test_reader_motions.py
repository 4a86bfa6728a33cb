"""Motions over random texts and widths: the cursor visits every character, drawn where it is."""

from __future__ import annotations

import asyncio
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from postil.tui.widgets.reader import Reader
from postil.tui.widgets.reader_paint import ORPHAN_MARK
from tests.reader_app import ReaderApp, cursor_cells

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
            # One cursor cell is drawn, on the character at the cursor (tab/newline as spaces;
            # a combining mark is a stop only where it starts a line, drawn on a "◌").
            assert len(cells) == 1
            ch = text[reader.cursor]
            shown = " " if ch in "\t\n" else ORPHAN_MARK + ch if unicodedata.combining(ch) else ch
            assert cells[0][1].startswith(shown)
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
@example("a\n\n\u0301", 8)  # a combining mark that starts a paragraph (found by hypothesis)
@example("a\n\u0301n", 8)  # ... and one that starts a line after a hard break
def test_right_and_left_visit_every_character_in_order(text, width):
    asyncio.run(_walk(text, width))
