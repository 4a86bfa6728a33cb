"""Notes written in Markdown are drawn rendered (never as raw `**` or as markup) in the pane's
list and detail, the search screen's rows and the claims view."""

from __future__ import annotations

from app_support import SAMPLE, SIZE, add_text, make_app, screen_segments, settle, widget_text
from screen_host import Host, drawn

from postil.store import highlights as store_highlights
from postil.store.sources import source_text
from postil.tui.screens.claims import ClaimsScreen
from postil.tui.screens.search import SearchScreen

NOTE = "**Key** point, see [the trial](https://ex.org/t)\n\n- small *n*\n- [red]unblinded[/] \x1b[31m"


def marked(db) -> tuple[int, str]:
    source_id = add_text(db, SAMPLE)
    text = source_text(db, source_id)
    start = text.index("Smith")
    h = store_highlights.create_highlight(db, source_id, start, start + 20, tags=["outcome"], note=NOTE)
    return source_id, h.id


async def test_the_pane_renders_the_note_in_the_list_and_with_its_blocks_in_the_detail(app_settings, app_db):
    source_id, hid = marked(app_db)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.pause()
        screen.reader.move_to(screen.reader.text.index("Smith") + 2)
        assert await settle(pilot, lambda: "Key point" in widget_text(screen.query_one("#pane-detail-text")))
        detail = widget_text(screen.query_one("#pane-detail-text"))
        lines = [line.strip() for line in detail.splitlines()]
        assert "Key point, see the trial (https://ex.org/t)" in lines
        assert "• small n" in lines and "• [red]unblinded[/] ␛[31m" in lines
        listing = widget_text(screen.query_one("#pane-list"))
        assert "Key point, see the trial" in listing and "**" not in listing
        assert "**" not in detail
        assert not any("\x1b" in segment.text for segment in screen_segments(app))


async def test_search_rows_render_the_note_inline(tmp_path, app_db):
    marked(app_db)
    app = Host(SearchScreen(app_db, "smith"))
    async with app.run_test(size=(140, 40)) as pilot:
        assert await settle(pilot, lambda: "Key point" in drawn(app))
        row = next(line for line in drawn(app).splitlines() if "Key point" in line)
        assert "Key point, see the trial (https://ex.org/t)  • small n  • [red]unblinded[/]" in row
        assert "**" not in row


async def test_the_claims_view_shows_the_claims_note_rendered(tmp_path, app_db):
    marked(app_db)
    app = Host(ClaimsScreen(app_db))
    async with app.run_test(size=(140, 40)) as pilot:
        assert await settle(pilot, lambda: "Key point" in drawn(app))
        row = next(line for line in drawn(app).splitlines() if "Key point" in line)
        assert "Key point, see the trial (https://ex.org/t)" in row and "**" not in row
