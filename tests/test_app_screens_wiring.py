"""The main screen's keys that open other screens (T l L f o e O), and what comes back from them."""

from __future__ import annotations

import pytest
from app_support import SAMPLE, SIZE, add_text, make_app

from postil.store import highlights as store_highlights
from postil.store import links as store_links
from postil.store import sources as store_sources

OTHER = "# Other source\n\nA caveat lives here. Another sentence follows it.\n"

SCREENS = [
    ("T", "postil.tui.screens.tags", "TagsScreen"),
    ("L", "postil.tui.screens.claims", "ClaimsScreen"),
    ("f", "postil.tui.screens.search", "SearchScreen"),
    ("o", "postil.tui.screens.overview", "OverviewScreen"),
    ("e", "postil.tui.screens.export", "ExportScreen"),
    ("O", "postil.tui.screens.orphans", "OrphansScreen"),
    ("l", "postil.tui.screens.link_picker", "LinkPickerScreen"),
]


@pytest.mark.parametrize("key, module, name", SCREENS)
async def test_each_key_opens_its_screen_and_escape_comes_back(app_settings, app_db, key, module, name):
    cls = getattr(pytest.importorskip(module), name)
    source_id = add_text(app_db, SAMPLE)
    store_highlights.create_highlight(app_db, source_id, 2, 10, tags=["outcome"])
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        main.reader.move_to(4)
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, cls)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        assert main.reader.has_focus


async def test_link_picker_creates_a_link_that_undo_removes(app_settings, app_db):
    first = add_text(app_db, SAMPLE)
    second = add_text(app_db, OTHER, "other.md")
    a = store_highlights.create_highlight(app_db, first, 2, 10, tags=["caveat"])
    other_text = store_sources.source_text(app_db, second)
    b_start = other_text.index("A caveat")
    b = store_highlights.create_highlight(app_db, second, b_start, b_start + 8, tags=["outcome"])
    app = make_app(app_settings, app_db, first, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        main.reader.move_to(4)
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        picker = app.screen
        await pilot.press(*"a caveat", "enter")  # choose the target
        await pilot.pause()
        assert picker.target.highlight.id == b.id
        await pilot.press("up", "up", "up", "enter")  # see-also -> qualifies
        await pilot.press(*"only in adults", "enter")  # note; creates the link
        await pilot.pause()
        assert app.screen is main
        [link] = store_links.list_links(app_db)
        assert (link.from_id, link.to_id, link.relation, link.note) == (a.id, b.id, "qualifies", "only in adults")
        assert main.by_id[a.id].link_count == 1
        await pilot.press("u")
        await pilot.pause()
        assert store_links.list_links(app_db) == []


async def test_a_search_result_opens_in_the_reader(app_settings, app_db):
    add_text(app_db, SAMPLE)
    second = add_text(app_db, OTHER, "other.md")
    other_text = store_sources.source_text(app_db, second)
    b_start = other_text.index("A caveat")
    b = store_highlights.create_highlight(app_db, second, b_start, b_start + 8, tags=["caveat"])
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        main.after_other_screen(b.id)
        await pilot.pause()
        assert main.source.id == second
        assert main.reader.cursor == b_start
        assert main.current_id == b.id


async def test_a_passage_of_a_source_opens_there_ready_to_mark(app_settings, app_db):
    add_text(app_db, SAMPLE)
    second = add_text(app_db, OTHER, "other.md")
    app = make_app(app_settings, app_db, 1, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        await pilot.press("f", *"another sentence")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is main and main.source.id == second
        assert main.reader.cursor == store_sources.source_text(app_db, second).index("Another sentence")
        await pilot.press("v", "w", "1")
        await pilot.pause()
    [marked] = store_highlights.highlights_for_source(app_db, second)
    assert marked.quote.startswith("Another")
