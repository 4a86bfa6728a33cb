"""The tags screen: rename, recolour, describe, merge, delete and create, all undoable."""

import pytest
from screen_host import Host, add_text, drawn

from postil.store import highlights, tags
from postil.store.db import open_db
from postil.tui.screens.tags import TagsScreen
from postil.tui.undo import UndoStack

TEXT = "Remission was high.\n\nThe sample was small.\n\nOne patient felt reborn."


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "tags.db")
    source = add_text(database, "Trial", TEXT)
    highlights.create_highlight(database, source, 0, 19, tags=["outcome"])
    highlights.create_highlight(database, source, 21, 42, tags=["caveat", "outcome"])
    return database


async def test_rename_by_keys_then_undo_restores(db):
    stack = UndoStack(db)
    app = Host(TagsScreen(db, stack))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "mechanism" in drawn(app) and "outcome" in drawn(app)
        await pilot.press("down", "r")  # row 2: outcome
        await pilot.press(*["backspace"] * 10)
        await pilot.press(*"result", "enter")
        await pilot.pause()
        names = [t.name for t in tags.list_tags(db)]
        assert names[:2] == ["mechanism", "result"]
        assert highlights.list_highlights(db)[0].tags == ["result"]
        assert "result" in drawn(app)
        stack.undo()
        assert [t.name for t in tags.list_tags(db)][1] == "outcome"
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_merge_delete_new_recolour_describe(db):
    stack = UndoStack(db)
    app = Host(TagsScreen(db, stack))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        # merge caveat (row 3) into outcome (first choice after removing caveat: mechanism, outcome)
        await pilot.press("down", "down", "m", "down", "enter")
        await pilot.pause()
        assert tags.find_tag(db, "caveat") is None
        assert sorted(h.tags[0] for h in highlights.list_highlights(db)) == ["outcome", "outcome"]
        # new tag
        await pilot.press("n", *"durability", "enter")
        await pilot.pause()
        assert tags.get_tag(db, "durability").count == 0
        # recolour and describe the selected (new) tag
        await pilot.press("c", *["backspace"] * 7, *"red", "enter")
        await pilot.press("d", *"how long it lasts", "enter")
        await pilot.pause()
        durability = tags.get_tag(db, "durability")
        assert (durability.color, durability.description) == ("#ff0000", "how long it lasts")
        # delete outcome, which is in use: asks first; n keeps it, y deletes it
        await pilot.press("up", "up", "x")  # rows: mechanism, outcome, anecdote, durability
        await pilot.pause()
        assert "Delete it" in drawn(app)
        await pilot.press("n")
        assert tags.find_tag(db, "outcome") is not None
        await pilot.press("x", "y")
        await pilot.pause()
        assert tags.find_tag(db, "outcome") is None
    for _ in range(5):
        stack.undo()
    names = [t.name for t in tags.list_tags(db)]
    assert names == ["mechanism", "outcome", "caveat", "anecdote"]
    assert sorted(tuple(h.tags) for h in highlights.list_highlights(db)) == [("outcome",), ("outcome", "caveat")]


async def test_a_clash_is_one_line_not_a_crash(db):
    stack = UndoStack(db)
    app = Host(TagsScreen(db, stack))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("r", *["backspace"] * 10, *"caveat", "enter")
        await pilot.pause()
        assert "exists already" in drawn(app)
        assert tags.find_tag(db, "mechanism") is not None
        assert not stack.can_undo


async def test_markup_in_a_tag_name_is_shown_literally(db):
    tags.create_tag(db, "[bold]x[/bold]", description="[@click=app.quit]")
    app = Host(TagsScreen(db, UndoStack(db)))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "[bold]x[/bold]" in drawn(app)


@pytest.mark.parametrize("size", [(80, 24), (60, 24)])
async def test_every_source_has_a_column_and_the_tag_stays_in_view_while_scrolling(db, size):
    """Issue 17: the tags screen showed the first 6 sources only."""
    for n in range(2, 10):
        source = add_text(db, f"Study {n}", f"Finding {n} was small.")
        highlights.create_highlight(db, source, 0, 9, tags=["caveat"])
    app = Host(TagsScreen(db, UndoStack(db)))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert "Study 2" in drawn(app) or "Trial" in drawn(app)
        for _ in range(120):  # scroll right (a cell a key) until the last source is in view
            if "Study 9" in drawn(app):
                break
            await pilot.press("right")
            await pilot.pause(0.05)  # scrolling sideways animates
        shown = drawn(app)
        assert "Study 9" in shown and "caveat" in shown and "mechanism" in shown, shown
