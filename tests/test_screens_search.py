"""The search screen: results as you type, errors as a message, history, saved queries."""

import asyncio
import sqlite3

from screen_host import NOT_DISMISSED, Host, add_text, drawn
from search_fixture import build
from textual.app import App
from textual.widgets import OptionList

import postil.tui.screens.search_runner as search_runner
from postil.store import search as store_search
from postil.store import search_saved
from postil.store.search_terms import LEAD, around_first
from postil.tui.palette import SavedQueriesProvider
from postil.tui.screens.search import SearchScreen


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
    assert search_saved.history(fx.db) == ["tag:caveat"]


async def test_malformed_query_shows_the_message(tmp_path):
    fx = build(tmp_path / "search.db")
    app = Host(SearchScreen(fx.db, "relapse"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert fx.names(h.highlight for h in app.screen.hits) == ["f2", "t2"]
        await pilot.press("end", *" (tag:")
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


async def test_a_malformed_query_shows_no_results_under_its_message(tmp_path):
    """Typed over the unfiltered list, `tag:nosuch` and `tag:(` must not leave it showing."""
    fx = build(tmp_path / "search.db")
    app = Host(SearchScreen(fx.db))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert len(app.screen.hits) == 10
        for query in ("tag:nosuch", "tag:("):
            await pilot.press(*["backspace"] * 12, *query)
            await settle(app, pilot)
            text = drawn(app)
            assert app.screen.error and app.screen.hits == []
            assert app.screen.query_one("#results", OptionList).option_count == 0
            assert "no results until the query is fixed" in text
            assert "Relapses were common" not in text
            await pilot.press("enter")  # nothing to open
            await pilot.pause()
            assert app.result is NOT_DISMISSED
        await pilot.press(*["backspace"] * 12, *"tag:caveat")
        await settle(app, pilot)
        assert fx.names(h.highlight for h in app.screen.hits) == ["a2", "t2"]


async def test_free_words_are_emphasised_and_notes_shown(tmp_path):
    fx = build(tmp_path / "search.db")
    app = Host(SearchScreen(fx.db, "durability"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert fx.names(h.highlight for h in app.screen.hits) == ["t1"]
        assert "durability unclear" in drawn(app)


async def test_the_last_query_comes_back_selected_so_typing_replaces_it(tmp_path):
    """Pressing f again after a search and typing a new word searches that word, not the two
    run together ('relapsesmall'); `end` keeps the query to refine it."""
    fx = build(tmp_path / "search.db")
    app = Host(SearchScreen(fx.db, "relapse"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"small")
        await settle(app, pilot)
        assert app.screen.query_text == "small"
        assert fx.names(h.highlight for h in app.screen.hits) == ["a2"]
    app = Host(SearchScreen(fx.db, "tag:caveat"))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("end", *" small")
        await settle(app, pilot)
        assert app.screen.query_text == "tag:caveat small"


async def test_up_and_down_walk_recent_queries(tmp_path):
    fx = build(tmp_path / "search.db")
    search_saved.record_history(fx.db, "tag:mechanism")
    search_saved.record_history(fx.db, "has:note")
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
        assert search_saved.saved_queries(fx.db) == [("therapy caveats", "tag:caveat -source:amygdala")]
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


async def test_a_keystroke_interrupts_the_stale_search(tmp_path, monkeypatch):
    """`tag:cave` is still searching (here: forever) when `at` is typed; its SQL is
    interrupted, its results dropped, and `tag:caveat`'s results shown."""
    fx = build(tmp_path / "search.db")
    real = store_search.search_hits
    stuck: list[str] = []
    interrupted: list[str] = []

    def search_hits(db, query, **kwargs):
        if query == "tag:cave":
            stuck.append(query)
            # Counting to ten million takes seconds: an interrupt of the connection ends it.
            try:
                db.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000) "
                    "SELECT count(*) FROM n"
                ).fetchone()
            except sqlite3.OperationalError as error:
                interrupted.append(str(error))
                raise
        return real(db, query, **kwargs)

    monkeypatch.setattr(store_search, "search_hits", search_hits)
    app = Host(SearchScreen(fx.db, "tag:cave"))
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(100):
            if stuck:
                break
            await pilot.pause(0.02)
        assert stuck
        await pilot.press("end", "a", "t")
        await asyncio.wait_for(settle(app, pilot), timeout=60)
        assert interrupted == ["interrupted"]
        screen = app.screen
        assert screen.shown_query == "tag:caveat"
        assert screen.error == ""
        assert fx.names(h.highlight for h in screen.hits) == ["a2", "t2"]
        assert "2 highlights in 2 sources" in drawn(app)


async def test_results_come_in_pages_with_the_total_and_group_counts(tmp_path, monkeypatch):
    """A first small page is drawn, then the rest up to the limit; headers count whole groups."""
    monkeypatch.setattr(search_runner, "FIRST_PAGE", 2)  # inside the first group (3 rows)
    monkeypatch.setattr(search_runner, "LIMIT", 7)
    fx = build(tmp_path / "search.db")
    app = Host(SearchScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert len(screen.hits) == 7
        assert [h.highlight.id for h in screen.hits] == [h.id for h in store_search.search(fx.db, "", limit=7)]
        text = drawn(app)
        assert "10 highlights; the first 7 shown, in 3 sources" in text
        # Each group header counts the rows listed under it, across the first page's end.
        results = screen.query_one("#results", OptionList)
        groups: list[tuple[str, int]] = []
        for index in range(results.option_count):
            option = results.get_option_at_index(index)
            if option.disabled:
                groups.append((str(option.prompt), 0))
            else:
                groups[-1] = (groups[-1][0], groups[-1][1] + 1)
        assert sum(rows for _, rows in groups) == 7
        assert groups[0] == ("Amygdala and emotional response  (3)", 3)
        for header, rows in groups:
            assert header.endswith(f"({rows})")


async def test_450_open_parentheses_show_a_message_and_the_app_stays(tmp_path):
    # Typing them used to end the app with a RecursionError from the query parser.
    fx = build(tmp_path / "search.db")
    app = Host(SearchScreen(fx.db))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        app.screen.query_one("Input").insert_text_at_cursor("(" * 449)
        await pilot.press("(")
        await settle(app, pilot)
        assert "nested deeper than 50 groups" in app.screen.error
        assert "nested deeper than 50 groups" in drawn(app)
        field = app.screen.query_one("Input")
        field.value = ""
        field.insert_text_at_cursor("😀")
        await settle(app, pilot)
        assert app.screen.query_text == "😀", app.screen.query_text
        assert "nothing to search for" in app.screen.error
        assert app.screen.shown_query != "😀"  # the rows shown are the last good query's


async def test_passages_of_the_sources_text_follow_the_highlights_and_enter_opens_one(tmp_path):
    fx = build(tmp_path / "search.db")
    sleep = add_text(fx.db, "Sleep notes", "Sleep notes\n\nRelapses of insomnia were rare.")
    app = Host(SearchScreen(fx.db, "relapse"))
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert fx.names(h.highlight for h in screen.hits) == ["f2", "t2"]
        # The forum's highlight of it is orphaned, so its text is offered again; therapy's
        # relapse paragraph is highlighted and left to the highlight.
        assert [p.snippet for p in screen.passages] == ["Nobody in my group relapsed.", "Relapses of insomnia were rare."]
        text = drawn(app)
        assert "In the sources' text, not highlighted" in text
        assert "Relapses of insomnia were rare." in text
        assert "2 highlights in 2 sources · 2 passages in the sources' text" in text
        results = screen.query_one("#results", OptionList)
        assert results.get_option_at_index(results.option_count - 1).id == "p1"  # after the highlights
        results.highlighted = results.get_option_index("p1")
        await pilot.press("enter")
        await pilot.pause()
    passage = app.result
    assert (passage.source_id, passage.match_start) == (sleep, len("Sleep notes\n\n"))


async def test_only_passages_when_no_highlight_matches(tmp_path):
    fx = build(tmp_path / "search.db")
    add_text(fx.db, "Sleep notes", "Sleep notes\n\nInsomnia was rare.")
    app = Host(SearchScreen(fx.db, "insomnia"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "no highlights match · 1 passage in the sources' text" in drawn(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.result.snippet == "Insomnia was rare."


LONG = ("Across the many secondary outcomes measured in the trial, including anxiety, quality of "
        "life and general functioning, one stood out: serotonin levels rose in every arm.")


async def test_a_passage_row_at_80_columns_shows_its_match(tmp_path):
    """The row kept 60 characters before the match, so beside a title at 80 columns the
    word searched for was cut off the screen; the excerpt now starts a few words before it."""
    fx = build(tmp_path / "search.db")
    add_text(fx.db, "A long article title for the row", "Title\n\n" + LONG)
    app = Host(SearchScreen(fx.db, "serotonin"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        row = next(line for line in drawn(app).splitlines() if "A long article" in line)
        assert "serotonin" in row
        assert "…" in row  # it says the passage goes on before what is shown


def test_an_excerpt_keeps_a_few_words_before_the_first_match():
    start = LONG.index("serotonin")
    text, spans = around_first(LONG, [(start, start + 9)])
    assert text.startswith("…") and text.endswith(LONG[-20:])
    assert text[spans[0][0]:spans[0][1]] == "serotonin"
    assert spans[0][0] <= LEAD + 12 + 1  # back to the word boundary, at most 12 more
    assert around_first("serotonin first", [(0, 9)]) == ("serotonin first", [(0, 9)])
    assert around_first("mid passage", [(0, 3)], cut_before=True) == ("…mid passage", [(1, 4)])
