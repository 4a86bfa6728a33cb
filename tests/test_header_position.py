"""Issue 17: the header's percentage says 100% only at the end, and the scrollbar is at the
bottom there ("the scrollbar thumb not at the bottom at 100%": the header rounded 99.5% up)."""

from __future__ import annotations

from postil.tui.widgets.reader import Reader
from tests.reader_app import ReaderApp, make_doc, sync


@sync
async def test_a_hundred_percent_is_the_end_and_the_scrollbar_is_at_the_bottom_there():
    text, blocks = make_doc(*[f"Paragraph {i} " + "word " * 30 for i in range(60)])
    app = ReaderApp(text, blocks)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(Reader)
        reader.move_to(len(text) - 40)  # 99.6% of the way: not the end
        await pilot.pause()
        assert reader.position_info()[2] == 99
        reader.move_to(1)
        await pilot.pause()
        assert reader.position_info()[2] == 0
        reader.move_to(len(text) // 2)
        assert reader.position_info()[2] == 50
        await pilot.press("G")
        await pilot.pause()
        assert reader.position_info()[2] == 100
        bar = reader.vertical_scrollbar
        assert reader.scroll_y == reader.max_scroll_y
        assert bar.position + bar.window_size == bar.window_virtual_size  # the thumb's end is the bar's end
