"""The record form (B) and the memo editor (M): reachable by key, from the library and the palette."""

from __future__ import annotations

from app_support import SAMPLE, add_text, make_app, screen_text, settle

from postil.store.memos import get_memo
from postil.store.records import MANUAL, get_record, update_record
from postil.store.sources import get_source_info
from postil.tui.palette import PostilCommands
from postil.tui.screens.memo_editor import MemoEditorScreen
from postil.tui.screens.record_editor import RecordEditorScreen
from postil.tui.widgets.library import LibraryList

SMALL = (80, 24)


async def test_b_opens_the_record_form_and_ctrl_s_saves_the_fields_typed(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    update_record(app_db, source_id, {"title": "Sample study", "DOI": "10.1234/abcd"}, "source")
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, RecordEditorScreen)
        assert await settle(pilot, lambda: "Source record" in screen_text(app))
        shown = screen_text(app)
        assert "Source record" in shown and "10.1234/abcd" in shown and "from the file" in shown
        assert "ctrl+s save" in shown  # the whole form fits at 80x24
        await pilot.press("tab")  # title -> authors
        await pilot.press(*"Smith, Ann; Jones, Bo")
        await pilot.press("tab", *"2019")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordEditorScreen)
    record = get_record(app_db, source_id)
    assert record.csl["author"] == [{"family": "Smith", "given": "Ann"}, {"family": "Jones", "given": "Bo"}]
    assert record.csl["issued"] == {"date-parts": [[2019]]}
    assert record.provenance["author"] == MANUAL and record.provenance["DOI"] == "source"
    assert record.citation_key == "smith2019"


async def test_down_and_up_move_between_the_record_fields(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("B")
        assert await settle(pilot, lambda: isinstance(app.screen, RecordEditorScreen))
        await pilot.press("down", *"Smith, Ann", "down", *"2019", "up", "up", *"A title")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordEditorScreen)
    record = get_record(app_db, source_id)
    assert record.csl["author"] == [{"family": "Smith", "given": "Ann"}]
    assert record.csl["issued"] == {"date-parts": [[2019]]}
    assert record.csl["title"] == "A title"


async def test_a_taken_key_is_shown_in_the_form_and_nothing_typed_is_lost(app_settings, app_db):
    first = add_text(app_db, SAMPLE, "a.md")
    second = add_text(app_db, SAMPLE + "\nMore.\n", "b.md")
    update_record(app_db, first, {}, MANUAL, key="taken")
    app = make_app(app_settings, app_db, second, at_top=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("B")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-key").value = "TAKEN"
        form.query_one("#field-library-title").value = "Renamed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert await settle(pilot, lambda: "already source" in screen_text(app))
        assert form.query_one("#field-library-title").value == "Renamed"
    # Nothing half-saved: the rename and the key are one transaction, refused together.
    assert get_record(app_db, second) is None or get_record(app_db, second).citation_key != "TAKEN"
    assert get_source_info(app_db, second).title != "Renamed"


async def test_renaming_in_the_form_updates_the_library(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("B")
        await pilot.pause()
        app.screen.query_one("#field-library-title").value = "A better title"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert get_source_info(app_db, source_id).title == "A better title"
        assert await settle(pilot, lambda: "A better title" in screen_text(app))


async def test_m_in_the_library_edits_the_memo_of_the_source_under_its_cursor(app_settings, app_db):
    first = add_text(app_db, SAMPLE, "a.md")
    second = add_text(app_db, SAMPLE + "\nMore.\n", "b.md")
    app = make_app(app_settings, app_db, first, at_top=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        library = app.screen.query_one(LibraryList)
        library.focus()
        library.select_id(second)
        await pilot.pause()
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditorScreen)
        await pilot.press(*"RCT, n = 59")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, MemoEditorScreen)
    assert get_memo(app_db, second).memo == "RCT, n = 59"
    assert get_memo(app_db, second).author == "tester"
    assert get_memo(app_db, first) is None


async def test_record_and_memo_are_in_the_command_palette(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        provider = PostilCommands(app.screen)
        texts = [text for text, _, _ in provider.commands()]
        assert any(t.startswith("Source record") for t in texts)
        assert any(t.startswith("Source memo") for t in texts)


async def test_the_export_dialog_cites_in_apa_and_prints_memos(tmp_path):
    from screen_host import Host, drawn
    from search_fixture import build

    from postil.store.memos import save_memo
    from postil.tui.screens.export import ExportScreen

    fx = build(tmp_path / "export.db")
    update_record(fx.db, 2, {"author": ["Roseman, Leor"], "issued": "2017", "title": "Amygdala study"}, MANUAL)
    save_memo(fx.db, 2, "fMRI, n = 19.", "ann")
    app = Host(ExportScreen(fx.db, 2, None, folder=tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.screen.query_one("#cite-apa").value = True
        await pilot.pause()
        assert app.screen.style == "apa"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "wrote" in drawn(app)
    text = next(tmp_path.glob("evidence-brief-*.md")).read_text()
    assert "— (Roseman, 2017)" in text
    assert "## References" in text and "Roseman, L. (2017). Amygdala study." in text
    assert "fMRI, n = 19." in text


def test_no_two_main_screen_keys_share_a_key():
    from postil.tui import keymap

    keys = [k for entry in keymap.MAIN_KEYS for k in entry.keys.split(",")]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


async def test_escape_in_the_memo_and_record_editors_asks_before_dropping_changes(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("M", *"draft memo", "escape")
        assert await settle(pilot, lambda: "Drop the changes to this memo?" in screen_text(app))
        await pilot.press("n")  # keep editing: the typed memo is still there
        await pilot.pause()
        assert isinstance(app.screen, MemoEditorScreen) and app.screen.text_area.text == "draft memo"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert not isinstance(app.screen, MemoEditorScreen)
        assert get_memo(app_db, source_id) is None
        await pilot.press("B")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-library-title").value = "Dropped title"
        await pilot.press("escape")
        assert await settle(pilot, lambda: "Drop the changes to this record?" in screen_text(app))
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, RecordEditorScreen)
    assert get_source_info(app_db, source_id).title != "Dropped title"


async def test_at_60x24_both_editors_show_their_whole_help_line(app_settings, app_db):
    """Found in the 60x24 tryout: the help lines were one row high and lost their ends
    ('authors: Family, Given; Family, Given', 'design, sample size')."""
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        for key, editor, help_end in (("B", RecordEditorScreen, "Family, Given; Family, Given"),
                                      ("M", MemoEditorScreen, "design, sample size")):
            await pilot.press(key)
            assert await settle(pilot, lambda editor=editor: isinstance(app.screen, editor))
            await pilot.pause()
            assert help_end in " ".join(screen_text(app).replace("█", " ").split()), key
            await pilot.press("escape")
            await pilot.pause()
