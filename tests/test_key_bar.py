"""The main screen's footer: one line of the keys that work here, clickable like Textual's."""

from __future__ import annotations

from app_support import SAMPLE, SIZE, add_text, make_app, screen_text, settle

from postil.store import tags as store_tags
from postil.tui.screens.help import HelpScreen
from postil.tui.widgets.key_bar import KeyBar


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_clicking_a_key_in_the_footer_runs_it(app_settings, app_db):
    add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        assert await settle(pilot, lambda: "? help" in footer_line(app)), footer_line(app)
        column = footer_line(app).index("help")
        await pilot.click(KeyBar, offset=(column, 0))
        assert await settle(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_clicking_between_keys_does_nothing(app_settings, app_db):
    add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        line = footer_line(app)
        gap = line.index("anecdote") + len("anecdote ") + 2  # the blank run before the palette key
        assert line[gap] == " "
        screen = app.screen
        await pilot.click(KeyBar, offset=(gap, 0))
        await pilot.pause()
        assert app.screen is screen


async def test_a_narrow_footer_cuts_at_a_key_and_keeps_the_palette(app_settings, app_db):
    add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        assert line.rstrip().endswith("^p palette"), line
        assert "? help" in line
        # No key is cut in half: every description shown is whole.
        assert "mechanism" not in line and "mechan" not in line


async def test_a_tag_name_in_the_footer_is_never_markup(app_settings, app_db):
    store_tags.create_tag(app_db, "[bold]x[/]")
    add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=(200, 24)) as pilot:
        assert await settle(pilot, lambda: "[bold]x[/]" in footer_line(app)), footer_line(app)
