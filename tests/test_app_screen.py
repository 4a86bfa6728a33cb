"""The main screen: pane and reader together, library, help, find, links, position, safe drawing."""

from __future__ import annotations

from app_support import SAMPLE, SIZE, add_text, make_app, screen_segments, screen_text, settle
from help_support import help_text

from postil.store import highlights as store_highlights
from postil.store import links as store_links
from postil.store import settings as store_settings
from postil.store import sources as store_sources
from postil.tui.launch import seed_welcome
from postil.tui.screens.help import HelpScreen
from postil.tui.widgets.library import LibraryList

OTHER = "# Other source\n\nA caveat lives here. Another sentence follows it.\n"


async def test_the_pane_follows_the_cursor(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    text = store_sources.source_text(app_db, source_id)
    start = text.index("Effects")
    h = store_highlights.create_highlight(app_db, source_id, start, start + 7, tags=["caveat"], note="check")
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.pane.selected_id is None
        screen.reader.move_to(start + 3)
        await pilot.pause()
        assert screen.pane.selected_id == h.id
        assert screen.pane.option_list.highlighted == 0
        detail = str(screen.pane.query_one("#pane-detail-text").render())
        assert "Effects" in detail and "check" in detail
        screen.reader.move_to(0)
        await pilot.pause()
        assert screen.pane.selected_id is None


async def test_choosing_in_the_pane_moves_the_reader(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    text = store_sources.source_text(app_db, source_id)
    starts = [text.index("Smith"), text.index("A third")]
    made = [store_highlights.create_highlight(app_db, source_id, s, s + 5, tags=["outcome"]) for s in starts]
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("tab")
        assert screen.pane.option_list.has_focus
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert screen.reader.cursor == starts[1]
        assert screen.current_id == made[1].id
        await pilot.press("shift+tab")
        assert screen.reader.has_focus


async def test_ctrl_b_toggles_the_library_and_remembers_it(app_settings, app_db):
    add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        library = app.screen.query_one(LibraryList)
        assert library.display
        await pilot.press("ctrl+b")
        assert not library.display
        assert store_settings.get_setting(app_db, "library_visible") == "0"
        await pilot.press("ctrl+b")
        assert library.display


async def test_choosing_a_source_in_the_library_opens_it(app_settings, app_db):
    add_text(app_db, SAMPLE)
    second = add_text(app_db, OTHER, "other.md")
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        library = app.screen.query_one(LibraryList)
        library.focus()
        library.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.source.id == second
        assert app.screen.reader.has_focus


async def test_question_mark_shows_every_key(app_settings, app_db):
    add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = help_text(app.screen.query_one("#help-text").content, 86)
        for key in ("ctrl+b", "ctrl+p", "ctrl+r", "ctrl+o", "mechanism", "anecdote", "tag picker", "follow", "[ ]", "G"):
            assert key in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_footer_names_the_digit_keys(app_settings, app_db):
    add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        def footer() -> str:
            return screen_text(app).splitlines()[-1]

        assert await settle(pilot, lambda: "1 mechanism" in footer() and "4 anecdote" in footer()), footer()


async def test_the_reading_position_is_remembered(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.reader.move_to(120)
        await pilot.press("q")
    assert store_sources.get_source_info(app_db, source_id).read_offset == 120
    again = make_app(app_settings, app_db)
    async with again.run_test(size=SIZE) as pilot:
        assert again.screen.reader.cursor == 120
    at_top = make_app(app_settings, app_db, source_id, at_top=True)
    async with at_top.run_test(size=SIZE) as pilot:
        assert at_top.screen.reader.cursor == 0


async def test_switching_sources_saves_the_position_and_opens_the_last_read(app_settings, app_db):
    first = add_text(app_db, SAMPLE)
    second = add_text(app_db, OTHER, "other.md")
    app = make_app(app_settings, app_db, first)
    async with app.run_test(size=SIZE) as pilot:
        # The whole source opens a refresh after the first frame (tui.first_screen); under
        # load one pause is not always enough, and the preview has no source to save into.
        assert await settle(pilot, lambda: app.screen.source is not None)
        app.screen.reader.move_to(50)
        app.screen.open_source(second)
        await pilot.pause()
    assert store_sources.get_source_info(app_db, first).read_offset == 50
    assert store_sources.last_read_source(app_db) == second


async def test_find_is_incremental_and_n_repeats(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    text = store_sources.source_text(app_db, source_id)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        await pilot.press("slash", *"PARAG")
        await pilot.pause()
        assert reader.cursor == text.index("parag")
        await pilot.press("enter")
        assert reader.has_focus
        await pilot.press("n")
        assert reader.cursor == text.index("paragraph", text.index("parag") + 1)
        await pilot.press("N")
        assert reader.cursor == text.index("parag")
        # Escape goes back to where the search started.
        await pilot.press("slash", *"third", "escape")
        await pilot.pause()
        assert reader.cursor == text.index("parag")


async def test_enter_follows_a_link_and_ctrl_o_comes_back(app_settings, app_db):
    first = add_text(app_db, SAMPLE)
    second = add_text(app_db, OTHER, "other.md")
    a = store_highlights.create_highlight(app_db, first, 2, 10, tags=["outcome"])
    other_text = store_sources.source_text(app_db, second)
    b_start = other_text.index("A caveat")
    b = store_highlights.create_highlight(app_db, second, b_start, b_start + 8, tags=["caveat"])
    store_links.create_link(app_db, a.id, b.id, relation="qualifies")
    app = make_app(app_settings, app_db, first, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.reader.move_to(4)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.source.id == second
        assert screen.reader.cursor == b_start
        assert screen.current_id == b.id
        # The backlink shows on the target.
        assert screen.pane.query_one("#pane-links").option_count == 1
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.source.id == first
        assert screen.reader.cursor == 4


async def test_header_shows_title_position_and_counts(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    store_highlights.create_highlight(app_db, source_id, 2, 10, tags=["outcome", "caveat"])
    store_highlights.create_highlight(app_db, source_id, 20, 30, tags=["outcome"])
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        header = screen_text(app).splitlines()[0]
        assert "Sample study" in header
        assert "¶ 1 of 4" in header
        assert "outcome 2" in header and "caveat 1" in header and "mechanism" not in header


async def test_markup_like_text_shows_literally_and_no_escape_code_is_drawn(app_settings, app_db):
    hostile = "# [bold]Title[/] [@click=app.quit]x\x1b[31m\n\n[T]his has [/] and \x1b[2J and [red]red[/red] in it.\n"
    source_id = add_text(app_db, hostile, "hostile.md")
    text = store_sources.source_text(app_db, source_id)
    start = text.index("[T]his")
    store_highlights.create_highlight(
        app_db, source_id, start, start + 12, tags=["mechanism"], note="[b]note[/b] \x1b]8;;x\x07"
    )
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.reader.move_to(start + 1)
        await pilot.pause()
        shown = screen_text(app)
        assert "[bold]Title[/]" in shown
        assert "[@click=app.quit]" in shown
        assert "[T]his has [/]" in shown
        assert "[b]note[/b]" in shown
        assert not any("\x1b" in segment.text for segment in screen_segments(app))
        await pilot.press("c")
        await pilot.pause()
        assert "[T]his has [/]" in screen_text(app)
        assert not any("\x1b" in segment.text for segment in screen_segments(app))


async def test_command_palette_offers_every_main_action(app_settings, app_db):
    from postil.tui.keymap import MAIN_KEYS
    from postil.tui.palette import PostilCommands

    add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        provider = PostilCommands(app.screen)
        texts = [text for text, _, _ in provider.commands()]
        for entry in MAIN_KEYS:
            assert entry.long[:1].upper() + entry.long[1:] in texts
        assert "Tag: mechanism" in texts and "Open: Sample study" in texts
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"hide the library", "enter")
        await pilot.pause()
        assert not app.screen.query_one(LibraryList).display


async def test_theme_choice_is_remembered(app_settings, app_db):
    add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert store_settings.get_setting(app_db, "theme") == "nord"
    again = make_app(app_settings, app_db)
    async with again.run_test(size=SIZE) as pilot:
        assert again.theme == "nord"


def test_the_welcome_guide_is_seeded_once(app_db):
    first = seed_welcome(app_db)
    assert first is not None
    assert [s.id for s in store_sources.list_sources(app_db)] == [first]
    store_sources.delete_source(app_db, first)
    assert seed_welcome(app_db) is None  # deleted on purpose: not brought back
    assert store_sources.list_sources(app_db) == []


async def test_an_empty_library_shows_a_usable_screen(app_settings, app_db):
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "c", "x", "u", "enter", "n")
        await pilot.pause()
        assert app.screen.source is None


async def test_the_position_is_saved_when_quitting_with_ctrl_q(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.reader.move_to(77)
        await pilot.press("ctrl+q")
    assert store_sources.get_source_info(app_db, source_id).read_offset == 77


async def test_the_focused_region_shows_it(app_settings, app_db):
    """`tab` to the pane changes its title and edge at once (before any `down`); the
    reader, focused, is tinted like the library."""
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen

        def looks():
            title = screen.pane.query_one("#pane-title")
            return (title.styles.background, title.styles.text_style), screen.pane.styles.border_left, \
                screen.reader.styles.background_tint

        await pilot.press("tab")
        await pilot.pause()
        assert screen.pane.option_list.has_focus
        pane_focused = looks()
        await pilot.press("shift+tab")
        await pilot.pause()
        assert screen.reader.has_focus
        reader_focused = looks()
        for part in range(3):
            assert pane_focused[part] != reader_focused[part]


async def test_tab_into_the_links_has_a_row_selected(app_settings, app_db):
    first = add_text(app_db, SAMPLE)
    second = add_text(app_db, OTHER, "other.md")
    a = store_highlights.create_highlight(app_db, first, 2, 10, tags=["outcome"])
    b = store_highlights.create_highlight(app_db, second, 2, 10, tags=["caveat"])
    store_links.create_link(app_db, a.id, b.id, relation="qualifies")
    app = make_app(app_settings, app_db, first, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.reader.move_to(4)
        await pilot.pause()
        assert await settle(pilot, lambda: screen.pane.query("#pane-links"))
        links = screen.pane.query_one("#pane-links")
        while not links.has_focus:
            await pilot.press("tab")
            assert not screen.reader.has_focus, "tab went round without reaching the links"
        assert links.highlighted == 0


async def test_find_counts_the_matches_and_offers_the_last_query(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    text = store_sources.source_text(app_db, source_id)
    assert text.lower().count("paragraph") == 2
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        reader = screen.reader
        await pilot.press("slash", *"paragraph")
        await pilot.pause()
        bar = screen.query_one("#find")
        assert str(bar.border_title) == "1 of 2"
        assert "1 of 2" in screen_text(app)
        await pilot.press("enter", "n")
        await pilot.press("slash")
        await pilot.pause()
        # The last query is offered again, selected: enter takes it, typing replaces it.
        assert bar.value == "paragraph"
        assert str(bar.border_title) == "2 of 2"
        await pilot.press(*"zzz")
        await pilot.pause()
        assert bar.value == "zzz"
        assert str(bar.border_title) == "no match"
        await pilot.press("escape")
        await pilot.pause()
        assert reader.cursor == text.index("paragraph", text.index("paragraph") + 1)


async def test_the_header_position_follows_an_undo_in_another_source(app_settings, app_db):
    first = add_text(app_db, SAMPLE)
    second = add_text(app_db, OTHER, "other.md")
    text = store_sources.source_text(app_db, first)
    app = make_app(app_settings, app_db, first, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.reader.move_to(text.index("A third"))
        await pilot.press("v", "w", "1")
        await pilot.pause()
        screen.open_source(second)
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert screen.source.id == first
        block, blocks, percent = screen.reader.position_info()
        assert percent > 50
        header = screen_text(app).splitlines()[0]
        assert f"¶ {block} of {blocks} · {percent}%" in header, header
