"""The search screen: results as you type, errors as a message, history, saved queries."""

from textual.app import App

from screen_host import Host, drawn
from search_fixture import build
from store import search as store_search
from tui.screens.search import SavedQueriesProvider, SearchScreen


async def settle(app, pilot):
    """Wait for the debounce timer and the search worker, then for the repaint."""
    await pilot.pause(SearchScreen.DEBOUNCE + 0.05)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_typing_a_tag_shows_its_rows_and_enter_opens(tmp_path):
    fx = build(tmp_path / "search.db")
    app = Host(SearchScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert len(app.screen.hits) == 10
        await pilot.press(*"tag:caveat")
        await settle(app, pilot)
        screen = app.screen
        assert fx.names(h.highlight for h in screen.hits) == ["a2", "t2"]
        text = drawn(app)
        assert "The sample was small (n = 19) and unblinded." in text
        assert "Relapses were common after three months." in text
        assert "2 highlights in 2 sources" in text
        assert screen.query_text == "tag:caveat"
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == fx.ids["a2"]
    assert store_search.history(fx.db) == ["tag:caveat"]


async def test_malformed_query_shows_the_message(tmp_path):
    fx = build(tmp_path / "search.db")
    app = Host(SearchScreen(fx.db, "relapse"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert fx.names(h.highlight for h in app.screen.hits) == ["f2", "t2"]
        await pilot.press(*" (tag:")
        await settle(app, pilot)
        assert app.screen.error
        assert "column" in drawn(app)
        await pilot.press(*["backspace"] * 6, *" tag:nosuch")
        await settle(app, pilot)
        assert "unknown tag 'nosuch'" in drawn(app)
        await pilot.press(*["backspace"] * 11)
        await settle(app, pilot)
        assert app.screen.error == ""
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_free_words_are_emphasised_and_notes_shown(tmp_path):
    fx = build(tmp_path / "search.db")
    app = Host(SearchScreen(fx.db, "durability"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert fx.names(h.highlight for h in app.screen.hits) == ["t1"]
        assert "durability unclear" in drawn(app)


async def test_up_and_down_walk_recent_queries(tmp_path):
    fx = build(tmp_path / "search.db")
    store_search.record_history(fx.db, "tag:mechanism")
    store_search.record_history(fx.db, "has:note")
    app = Host(SearchScreen(fx.db, "draft"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("up")
        assert app.screen.query_text == "has:note"
        await pilot.press("up")
        assert app.screen.query_text == "tag:mechanism"
        await pilot.press("up")
        assert app.screen.query_text == "tag:mechanism"
        await settle(app, pilot)
        assert fx.names(h.highlight for h in app.screen.hits) == ["a1", "f3", "t4"]
        await pilot.press("down", "down")
        assert app.screen.query_text == "draft"


class PaletteHost(Host):
    COMMANDS = App.COMMANDS | {SavedQueriesProvider}


async def test_save_a_query_and_run_it_from_the_palette(tmp_path):
    fx = build(tmp_path / "search.db")
    app = PaletteHost(SearchScreen(fx.db, "tag:caveat -source:amygdala"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+s", *"therapy caveats", "enter")
        await pilot.pause()
        assert store_search.saved_queries(fx.db) == [("therapy caveats", "tag:caveat -source:amygdala")]
        await pilot.press(*["backspace"] * 40, *"has:link")
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"therapy cav")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_text == "tag:caveat -source:amygdala"
        assert fx.names(h.highlight for h in app.screen.hits) == ["t2"]
