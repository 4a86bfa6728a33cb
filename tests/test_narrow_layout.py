"""Issue 17: at 60-80 columns the library took the reader's width (16 and 14 columns of 80
and 60); below 100 columns it is a narrow strip, and the reader keeps the width."""

from __future__ import annotations

import pytest
from app_support import SAMPLE, add_text, make_app, settle

from postil.tui.widgets.library import LibraryList


@pytest.mark.parametrize("size, library, reader", [((160, 48), 30, 80), ((80, 24), 12, 40), ((60, 24), 12, 24)])
async def test_the_library_narrows_on_a_narrow_terminal(app_settings, app_db, size, library, reader):
    add_text(app_db, SAMPLE, "a-long-title-for-a-study.md")
    app = make_app(app_settings, app_db)
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert await settle(pilot, lambda: screen.query_one(LibraryList).outer_size.width == library), (
            screen.query_one(LibraryList).outer_size
        )
        assert screen.reader.outer_size.width >= reader
        await pilot.resize_terminal(160, 48)
        assert await settle(pilot, lambda: screen.query_one(LibraryList).outer_size.width == 30)
