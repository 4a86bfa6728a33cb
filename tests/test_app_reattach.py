"""Fuzzy and orphaned highlights in the main screen: the pane shows old beside new as a word
diff, `a` accepts a fuzzy anchor and `r` re-attaches one to a selection, both undoable."""

from __future__ import annotations

from app_support import SAMPLE, SIZE, add_text, make_app, select_text, settle, widget_text

from postil.store import highlights as store_highlights
from postil.store.sources import source_text
from postil.tui.screens.orphans import OrphansScreen

FUZZY = "Smith et al. found the same in 2019."
GONE = "The sample was small, only 20 people."
CHANGED = SAMPLE.replace("found the same in 2019.", "found much the same in 2019.").replace(GONE, "")


def changed_source(db) -> tuple[int, str, str]:
    """The sample with two highlights, then changed on disk: one fuzzy, one orphaned."""
    source_id = add_text(db, SAMPLE)
    text = source_text(db, source_id)
    fuzzy = store_highlights.create_highlight(db, source_id, text.index(FUZZY), text.index(FUZZY) + len(FUZZY),
                                              tags=["outcome"]).id
    gone = store_highlights.create_highlight(db, source_id, text.index(GONE), text.index(GONE) + len(GONE),
                                             tags=["caveat"], note="small n").id
    add_text(db, CHANGED)  # same origin: the text is replaced and the highlights re-anchored
    assert store_highlights.get_highlight(db, fuzzy).anchor_status == "fuzzy"
    assert store_highlights.get_highlight(db, gone).anchor_status == "orphaned"
    return source_id, fuzzy, gone


def pane_detail(screen) -> str:
    return widget_text(screen.query_one("#pane-detail-text"))


async def test_the_pane_shows_a_fuzzy_anchor_as_a_word_diff_and_a_accepts_it_undoably(app_settings, app_db):
    source_id, fuzzy, _ = changed_source(app_db)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.reader.move_to(screen.reader.text.index("Smith"))
        assert await settle(pilot, lambda: screen.current_id == fuzzy and "{+" in pane_detail(screen))
        detail = pane_detail(screen)
        # Old beside new: the added word is marked {+...+}, the rest kept; the keys are named.
        assert "{+much+}" in detail and "Smith et al. found" in detail
        assert "a accepts" in detail and "r re-attaches" in detail
        content = screen.pane.detail.shown
        added = [span for span in content.spans if content.plain[span.start:span.end] == "{+much+}"]
        assert added and "underline" in str(added[0].style)
        await pilot.press("a")
        await pilot.pause()
        h = store_highlights.get_highlight(app_db, fuzzy)
        assert (h.anchor_status, h.quote) == ("anchored", "Smith et al. found much the same in 2019.")
        assert await settle(pilot, lambda: "{+much+}" not in pane_detail(screen))
        await pilot.press("u")
        await pilot.pause()
        h = store_highlights.get_highlight(app_db, fuzzy)
        assert (h.anchor_status, h.quote) == ("fuzzy", FUZZY)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert store_highlights.get_highlight(app_db, fuzzy).anchor_status == "anchored"


async def test_r_reattaches_the_orphan_picked_in_the_pane_to_a_selection_and_u_undoes_it(app_settings, app_db):
    source_id, _, gone = changed_source(app_db)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.pause()
        screen.make_current(gone)  # as picking it in the pane's list does
        assert await settle(pilot, lambda: "Orphaned" in pane_detail(screen))
        detail = pane_detail(screen)
        assert GONE in detail and "not found" in detail and "r re-attaches" in detail
        await pilot.press("r")  # nothing selected: r remembers the orphan and says what to do
        await pilot.pause()
        assert screen.reattach_target == gone
        start, end = select_text(screen, "A third paragraph closes the text.")
        await pilot.press("r")
        await pilot.pause()
        h = store_highlights.get_highlight(app_db, gone)
        assert (h.start, h.end, h.anchor_status) == (start, end, "anchored")
        assert (h.tags, h.note) == (["caveat"], "small n")
        assert screen.reattach_target is None
        assert gone in [s.id for s in screen.reader.spans_at(start)]
        await pilot.press("u")
        await pilot.pause()
        h = store_highlights.get_highlight(app_db, gone)
        assert (h.anchor_status, h.quote) == ("orphaned", GONE)
        assert gone not in [s.id for s in screen.reader.spans_at(start)]


async def test_r_with_a_selection_moves_the_fuzzy_highlight_under_the_cursor(app_settings, app_db):
    source_id, fuzzy, _ = changed_source(app_db)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        start, end = select_text(screen, "Smith et al. found much")
        await pilot.pause()
        assert screen.current_id == fuzzy
        await pilot.press("r")
        await pilot.pause()
        h = store_highlights.get_highlight(app_db, fuzzy)
        assert (h.start, h.end, h.quote, h.anchor_status) == (start, end, "Smith et al. found much", "anchored")


async def test_r_on_an_anchored_highlight_or_nothing_changes_nothing(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    text = source_text(app_db, source_id)
    h = store_highlights.create_highlight(app_db, source_id, 2, 8, tags=["outcome"])
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.reader.move_to(3)
        await pilot.pause()
        select_text(screen, "A third paragraph")
        await pilot.press("r")
        await pilot.pause()
        assert store_highlights.get_highlight(app_db, h.id).start == 2
        assert screen.reattach_target is None
        assert text.index("A third") not in [x.start for x in store_highlights.highlights_for_source(app_db, source_id)]


async def test_the_orphans_view_r_comes_back_ready_to_reattach(app_settings, app_db):
    source_id, fuzzy, gone = changed_source(app_db)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("O")
        await pilot.pause()
        assert isinstance(app.screen, OrphansScreen)
        await pilot.press("r")  # the first row: the orphan
        await pilot.pause()
        assert app.screen is screen and screen.reattach_target == gone
        start, end = select_text(screen, "A second paragraph")
        await pilot.press("r")
        await pilot.pause()
        assert store_highlights.get_highlight(app_db, gone).start == start


async def test_the_orphans_view_a_accepts_a_fuzzy_row_undoably(app_settings, app_db):
    source_id, fuzzy, gone = changed_source(app_db)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("O")
        await pilot.pause()
        orphans = app.screen
        await pilot.press("down", "a")  # the second row: the fuzzy one
        await pilot.pause()
        assert store_highlights.get_highlight(app_db, fuzzy).anchor_status == "anchored"
        assert "accepted" in widget_text(orphans.query_one("#title"))
        await pilot.press("escape", "u")
        await pilot.pause()
        assert store_highlights.get_highlight(app_db, fuzzy).anchor_status == "fuzzy"
