"""Annotating from the keyboard: digits, the tag picker, notes, delete, overlaps."""

from __future__ import annotations

from app_support import SAMPLE, SIZE, add_text, make_app, select_text, settle, widget_text

from postil.store import highlights as store_highlights
from postil.store import tags as store_tags
from postil.store.sources import source_text
from postil.tui.screens.confirm import ConfirmScreen
from postil.tui.screens.note_editor import NoteEditorScreen
from postil.tui.screens.tag_picker import TagPickerScreen
from postil.tui.widgets.key_bar import KeyBar


async def test_selection_and_1_creates_a_mechanism_highlight_with_the_exact_quote(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        start, end = select_text(screen, "Smith et al. found the same in 2019.")
        await pilot.press("1")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        assert h.tags == ["mechanism"]
        assert (h.start, h.end) == (start, end)
        assert h.quote == source_text(app_db, source_id)[start:end]
        assert h.author == "tester"
        assert screen.reader.selection is None
        assert screen.current_id == h.id
        assert [s.id for s in screen.reader.spans_at(start)] == [h.id]


async def test_s_then_2_highlights_the_whole_sentence(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.reader.move_to(screen.reader.text.index("et al.") + 2)
        await pilot.press("s", "2")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        assert h.quote == "Smith et al. found the same in 2019."
        assert h.tags == ["outcome"]


async def test_digit_on_a_highlight_toggles_its_tag(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        start, _ = select_text(screen, "Effects lasted five weeks.")
        await pilot.press("1")
        screen.reader.move_to(start + 3)
        await pilot.press("3")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        assert h.tags == ["mechanism", "caveat"]
        await pilot.press("1")
        await pilot.pause()
        assert store_highlights.get_highlight(app_db, h.id).tags == ["caveat"]


async def test_digit_with_nothing_selected_and_no_highlight_changes_nothing(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "9")
        await pilot.pause()
        assert store_highlights.highlights_for_source(app_db, source_id) == []


async def test_tag_picker_creates_a_new_tag_which_gets_digit_5(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        select_text(screen, "The sample was small, only 20 people.")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagPickerScreen)
        await pilot.press(*"sample size", "enter")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        assert h.tags == ["sample size"]
        assert [t.name for t in store_tags.list_tags(app_db) if t.digit == 5] == ["sample size"]
        # The footer now names the new digit.
        assert await settle(pilot, lambda: "5 sample size" in widget_text(screen.query_one(KeyBar)))


async def test_tag_picker_fuzzy_matches_descriptions_and_toggles_on_the_current_highlight(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    store_tags.describe_tag(app_db, "anecdote", "a personal story, not data")
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        start, _ = select_text(screen, "A third paragraph closes the text.")
        await pilot.press("1")
        screen.reader.move_to(start)
        await pilot.press("t")
        await pilot.pause()
        picker = app.screen
        assert [t.name for t in picker.matches("personal story")][0] == "anecdote"
        await pilot.press(*"personal story", "enter")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        assert h.tags == ["mechanism", "anecdote"]


async def test_note_editor_saves_with_ctrl_s(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        select_text(screen, "Effects lasted five weeks.")
        await pilot.press("1", "c")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press(*"Only five", "enter", *"weeks?", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        assert h.note == "Only five\nweeks?"


async def test_c_on_a_selection_creates_an_untagged_highlight_first(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        select_text(app.screen, "A third paragraph")
        await pilot.press("c", *"why?", "ctrl+s")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        assert (h.quote, h.tags, h.note) == ("A third paragraph", [], "why?")


async def test_escape_in_the_note_editor_asks_before_dropping_changes(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1", "c", *"draft", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing: the text is still there
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.screen.text_area.text == "draft"
        await pilot.press("escape", "y")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        assert h.note == ""
        # Unchanged text closes without asking.
        await pilot.press("c", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmScreen, NoteEditorScreen))


async def test_a_note_conflict_keeps_the_typed_text(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        select_text(app.screen, "Effects lasted five weeks.")
        await pilot.press("1", "c", *"mine")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, source_id)
        store_highlights.set_note(app_db, h.id, "written elsewhere")  # another process, meanwhile
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert editor.text_area.text == "mine"
        assert "changed elsewhere" in str(editor.query_one("#note-error").render())
        assert store_highlights.get_highlight(app_db, h.id).note == "written elsewhere"


async def test_x_deletes_the_highlight_under_the_cursor(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        start, _ = select_text(screen, "Effects lasted five weeks.")
        await pilot.press("1")
        screen.reader.move_to(start + 1)
        await pilot.press("x")
        await pilot.pause()
        assert store_highlights.highlights_for_source(app_db, source_id) == []
        assert screen.reader.spans_at(start + 1) == []
        assert screen.pane.highlights == []


async def test_on_overlaps_the_keys_act_on_the_innermost_and_the_pane_picks_another(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    text = source_text(app_db, source_id)
    para = "The drug raised amygdala activity in most patients. Smith et al. found the same in 2019. Effects lasted five weeks."
    outer = store_highlights.create_highlight(app_db, source_id, text.index(para), text.index(para) + len(para), tags=["outcome"])
    inner_start = text.index("Smith et al.")
    inner = store_highlights.create_highlight(app_db, source_id, inner_start, inner_start + 12, tags=["anecdote"])
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.reader.move_to(inner_start + 2)
        await pilot.pause()
        assert screen.current_id == inner.id
        await pilot.press("3")
        await pilot.pause()
        assert store_highlights.get_highlight(app_db, inner.id).tags == ["caveat", "anecdote"]
        assert store_highlights.get_highlight(app_db, outer.id).tags == ["outcome"]
        # In the pane, the outer one can be picked; the keys then act on it.
        await pilot.press("tab")
        assert screen.pane.option_list.has_focus
        await pilot.press("up")
        await pilot.pause()
        assert screen.current_id == outer.id
        await pilot.press("3")
        await pilot.pause()
        assert store_highlights.get_highlight(app_db, outer.id).tags == ["outcome", "caveat"]
        assert store_highlights.get_highlight(app_db, inner.id).tags == ["caveat", "anecdote"]


async def test_cancelling_the_note_of_a_new_selection_leaves_no_highlight(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        select_text(app.screen, "A third paragraph")
        await pilot.press("c", "escape")
        await pilot.pause()
        assert store_highlights.highlights_for_source(app_db, source_id) == []
        assert app.screen.pane.highlights == []
