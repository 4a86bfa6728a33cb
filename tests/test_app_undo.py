"""Undo (u) and redo (ctrl+r) of every kind of annotation change, many steps deep, across sources."""

from __future__ import annotations

from app_support import SAMPLE, SIZE, add_text, make_app, select_text

from postil.store import highlights as store_highlights
from postil.store import links as store_links
from postil.store import tags as store_tags
from postil.tui.undo_changes import CreateLink, RenameTag

OTHER = "# Other source\n\nA caveat lives here. Another sentence follows it.\n"


def state(db, source_id):
    """What a user would check: each highlight's quote, tags and note, in document order."""
    return [(h.quote, h.tags, h.note) for h in store_highlights.highlights_for_source(db, source_id)]


async def test_undo_and_redo_create_toggle_note_and_delete_many_steps_deep(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        start, _ = select_text(screen, "Effects lasted five weeks.")
        snapshots = [state(app_db, source_id)]
        await pilot.press("1")  # create
        snapshots.append(state(app_db, source_id))
        screen.reader.move_to(start + 1)
        await pilot.press("2")  # tag on
        snapshots.append(state(app_db, source_id))
        await pilot.press("c", *"a note", "ctrl+s")  # note
        await pilot.pause()
        snapshots.append(state(app_db, source_id))
        await pilot.press("x")  # delete
        await pilot.pause()
        snapshots.append(state(app_db, source_id))
        assert snapshots[-1] == []
        for expected in reversed(snapshots[:-1]):
            await pilot.press("u")
            await pilot.pause()
            assert state(app_db, source_id) == expected
        for expected in snapshots[1:]:
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert state(app_db, source_id) == expected
        # The reader and pane follow the store after each step.
        await pilot.press("u")
        await pilot.pause()
        assert [h.quote for h in screen.pane.highlights] == ["Effects lasted five weeks."]
        assert screen.reader.spans_at(start + 1)


async def test_undoing_a_delete_restores_the_same_highlight_with_its_links(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    text = app_db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()[0]
    a = store_highlights.create_highlight(app_db, source_id, 0, 6, tags=["outcome"], note="n")
    b_start = text.index("A third")
    b = store_highlights.create_highlight(app_db, source_id, b_start, b_start + 7, tags=["caveat"])
    store_links.create_link(app_db, b.id, a.id, relation="qualifies")
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.reader.move_to(2)
        await pilot.press("x")
        await pilot.pause()
        assert store_links.list_links(app_db) == []
        await pilot.press("u")
        await pilot.pause()
        back = store_highlights.get_highlight(app_db, a.id)
        assert (back.id, back.tags, back.note) == (a.id, ["outcome"], "n")
        assert [(l.from_id, l.to_id, l.relation) for l in store_links.list_links(app_db)] == [(b.id, a.id, "qualifies")]
        assert screen.current_id == a.id


async def test_undo_switches_to_the_source_the_change_was_made_in(app_settings, app_db):
    first = add_text(app_db, SAMPLE)
    second = add_text(app_db, OTHER, "other.md")
    app = make_app(app_settings, app_db, first, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        start, _ = select_text(screen, "Effects lasted five weeks.")
        await pilot.press("1")
        screen.open_source(second)
        await pilot.pause()
        assert screen.source.id == second
        await pilot.press("u")
        await pilot.pause()
        assert screen.source.id == first
        assert state(app_db, first) == []
        await pilot.press("ctrl+r")
        await pilot.pause()
        [h] = store_highlights.highlights_for_source(app_db, first)
        assert screen.reader.cursor == h.start
        assert screen.current_id == h.id


async def test_undo_and_redo_of_links_and_tag_renames(app_settings, app_db):
    first = add_text(app_db, SAMPLE)
    second = add_text(app_db, OTHER, "other.md")
    a = store_highlights.create_highlight(app_db, first, 0, 6, tags=["outcome"])
    b = store_highlights.create_highlight(app_db, second, 2, 9, tags=["caveat"])
    app = make_app(app_settings, app_db, first, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.do_change(CreateLink(a.id, b.id, "qualifies", "", author="tester"))
        assert screen.do_change(RenameTag("caveat", "limitation"), tags_changed=True)
        await pilot.pause()
        assert store_tags.find_tag(app_db, "limitation") is not None
        await pilot.press("u")
        await pilot.pause()
        assert store_tags.find_tag(app_db, "caveat") is not None
        await pilot.press("u")
        await pilot.pause()
        assert store_links.list_links(app_db) == []
        await pilot.press("ctrl+r", "ctrl+r")
        await pilot.pause()
        assert [l.relation for l in store_links.list_links(app_db)] == ["qualifies"]
        assert store_highlights.get_highlight(app_db, b.id).tags == ["limitation"]
        # Nothing more to redo: the key says so and changes nothing.
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert store_highlights.get_highlight(app_db, b.id).tags == ["limitation"]
