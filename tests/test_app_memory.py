"""A long session does not keep what it closed: dismissed screens are freed."""

from __future__ import annotations

import gc
import weakref

from app_support import add_text, make_app, settle
from textual.widgets import Input

from postil.store.highlights import create_highlight
from postil.store.sources import source_text
from postil.tui.screens.main import MainScreen
from postil.tui.screens.search import SearchScreen


def mark(db, source_id: int, quote: str, tag: str) -> None:
    start = source_text(db, source_id).index(quote)
    create_highlight(db, source_id, start, start + len(quote), tags=[tag], author="tester")


async def test_search_and_jump_twenty_times_keeps_at_most_one_search_screen(app_settings, app_db):
    home_text = "# Home\n\nThe trial found a durable effect at six months.\n"
    away_text = "# Away\n\nAnother paper reports relapse within weeks.\n"
    home = add_text(app_db, home_text, "home.md")
    away = add_text(app_db, away_text, "away.md")
    mark(app_db, home, "durable effect", "outcome")
    mark(app_db, away, "relapse within weeks", "caveat")
    app = make_app(app_settings, app_db, source_id=home)
    screens: list[weakref.ref] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.source is not None)
        for round_ in range(20):
            tag, title = ("caveat", "Away") if round_ % 2 == 0 else ("outcome", "Home")
            await pilot.press("f")
            assert await settle(pilot, lambda: isinstance(app.screen, SearchScreen))
            screens.append(weakref.ref(app.screen))
            app.screen.query_one(Input).value = f"tag:{tag}"  # as typed (this test is about memory)
            assert await settle(pilot, lambda title=title: [h.source_title for h in app.screen.hits] == [title])
            await pilot.press("enter")
            assert await settle(pilot, lambda title=title: isinstance(app.screen, MainScreen)
                                and app.screen.source is not None and app.screen.source.title == title), round_
        gc.collect()
        alive = [ref for ref in screens if ref() is not None]
        assert len(screens) == 20
        assert len(alive) <= 1
