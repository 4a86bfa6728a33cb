"""Reviewers in the app: blind mode, whose highlights show (R), done (D), the agreement screen (A)."""

from __future__ import annotations

from app_support import SAMPLE, add_text, make_app, screen_text, settle, widget_text

from postil.store.highlights import create_highlight, list_highlights
from postil.store.links import create_link
from postil.store.reviewers import CONSENSUS, is_done, set_blind_mode
from postil.tui.screens.agreement import AgreementScreen
from postil.tui.screens.reconcile import ReconcileScreen
from postil.tui.screens.search import SearchScreen
from postil.tui.widgets.reader_paint import REVIEWER_MARKS

SIZE = (100, 32)


def coded(db):
    """tester (me) and ben each coded the sample; ben's note and link are his own."""
    source_id = add_text(db, SAMPLE)
    text = db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()[0]

    def mark(quote: str, author: str, tag: str, note: str = ""):
        start = text.index(quote)
        return create_highlight(db, source_id, start, start + len(quote), tags=[tag], note=note, author=author)

    mine = mark("The drug raised amygdala activity", "tester", "mechanism")
    his = mark("Effects lasted five weeks.", "ben", "outcome", note="BEN-SECRET-NOTE")
    other = mark("The sample was small", "ben", "caveat")
    create_link(db, his.id, other.id, author="ben")
    return source_id, mine, his


def reader_ids(app) -> set[str]:
    return {h.id for h in app.screen.highlights}


async def test_blind_mode_hides_others_until_done(app_settings, app_db):
    source_id, mine, his = coded(app_db)
    set_blind_mode(app_db, True)
    app = make_app(app_settings, app_db, source_id=source_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert reader_ids(app) == {mine.id}
        assert his.id not in {s.id for s in screen.spans()}
        screen.reader.move_to(his.start)
        await pilot.pause()
        assert "BEN-SECRET-NOTE" not in screen_text(app)
        # Search: nothing of ben's.
        await pilot.press("f")
        await settle(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.shown_query is not None)
        assert {hit.highlight.author for hit in app.screen.hits} == {"tester"}
        await pilot.press("escape")
        await pilot.pause()
        # D: done; ben's work shows.
        await pilot.press("D")
        await pilot.pause()
        assert is_done(app_db, source_id, "tester")
        assert his.id in reader_ids(app)
        screen.reader.move_to(his.start)
        await pilot.pause()
        assert await settle(pilot, lambda: "BEN-SECRET-NOTE" in screen_text(app))
        # D again: hidden again.
        await pilot.press("D")
        await pilot.pause()
        assert reader_ids(app) == {mine.id}


async def test_reviewer_filter_cycles_and_marks_others(app_settings, app_db):
    source_id, mine, his = coded(app_db)
    app = make_app(app_settings, app_db, source_id=source_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert len(reader_ids(app)) == 3
        spans = {s.id: s for s in screen.spans()}
        assert spans[mine.id].mark == 0 and spans[his.id].mark == 1
        await pilot.press("R")  # only mine
        await pilot.pause()
        assert reader_ids(app) == {mine.id}
        await pilot.press("R")  # only ben's
        await pilot.pause()
        assert mine.id not in reader_ids(app) and his.id in reader_ids(app)
        await pilot.press("R")  # everyone again
        await pilot.pause()
        assert len(reader_ids(app)) == 3
        # Ben's highlight is drawn with his line style; the tag colour stays the tag's.
        screen.reader.move_to(0)
        await pilot.pause()
        row = next(y for y in range(screen.reader.size.height)
                   if "Effects lasted" in screen.reader.render_line(y).text)
        strip = screen.reader.render_line(row)
        styles = [seg.style for seg in strip if "Effects" in seg.text]
        assert styles and styles[0].underline == REVIEWER_MARKS[0].underline is True
        assert "Effects lasted" in widget_text(screen.reader)


async def test_palette_offers_reviewers_and_blind_mode(app_settings, app_db):
    from postil.tui.palette import PostilCommands

    source_id, mine, his = coded(app_db)
    app = make_app(app_settings, app_db, source_id=source_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        provider = PostilCommands(app.screen)
        commands = {text: callback for text, callback, _ in provider.commands()}
        assert "Show: only ben's highlights" in commands
        commands["Blind mode: on (hide others' work until I mark a source done)"]()
        await pilot.pause()
        assert reader_ids(app) == {mine.id}


async def test_agreement_screen_shows_the_measures(app_settings, app_db):
    source_id, mine, his = coded(app_db)
    app = make_app(app_settings, app_db, source_id=source_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("K")
        assert await settle(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.report is not None)
        shown = screen_text(app)
        assert "ben+tester" in shown and "mechanism" in shown and "kappa" in shown
        assert "Agreement of ben, tester over 1 source, units: characters" in shown
        await pilot.press("p")
        assert await settle(pilot, lambda: app.screen.report is not None and app.screen.report.unit == "paragraph")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AgreementScreen)


async def test_agreement_screen_in_blind_mode_measures_only_done_sources(app_settings, app_db):
    source_id, mine, his = coded(app_db)
    set_blind_mode(app_db, True)
    app = make_app(app_settings, app_db, source_id=source_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("K")
        assert await settle(pilot, lambda: "no source you marked done" in screen_text(app))
        assert not app.screen.report.sources


def two_places(db):
    """ana and ben on the sample: one place with other tags, one coded by ana only."""
    source_id = add_text(db, SAMPLE)
    text = db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()[0]

    def mark(quote, author, tag):
        start = text.index(quote)
        return create_highlight(db, source_id, start, start + len(quote), tags=[tag], author=author)

    pair = (mark("Smith et al. found the same", "ana", "outcome"), mark("Smith et al. found the same", "ben", "caveat"))
    alone = mark("The sample was small", "ana", "caveat")
    return source_id, pair, alone


def consensus(db):
    return [h for h in list_highlights(db) if h.author == CONSENSUS]


async def test_reconcile_screen_every_decision_and_undo(app_settings, app_db):
    source_id, (ana, ben), alone = two_places(app_db)
    app = make_app(app_settings, app_db, source_id=source_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("C")
        assert await settle(pilot, lambda: isinstance(app.screen, ReconcileScreen))
        screen = app.screen
        assert [p.kind for p in screen.places] == ["tags", "only"]
        shown = screen_text(app)
        assert "same passage, other tags" in shown and "nothing here from ben" not in shown
        assert "ana" in shown and "ben" in shown
        await pilot.press("2")  # keep ben's version of the first place
        await pilot.pause()
        [made] = consensus(app_db)
        assert made.tags == ["caveat"] and (made.start, made.end) == (ben.start, ben.end)
        assert [p.kind for p in screen.places] == ["only"]
        await pilot.press("u")
        await pilot.pause()
        assert consensus(app_db) == [] and [p.kind for p in screen.places] == ["tags", "only"]
        await pilot.press("w")  # merge: both tags
        await pilot.pause()
        [made] = consensus(app_db)
        assert set(made.tags) == {"outcome", "caveat"}
        await pilot.press("u", "n")  # narrower: same extent here
        await pilot.pause()
        [made] = consensus(app_db)
        assert (made.start, made.end) == (ana.start, ana.end)
        await pilot.press("x")  # drop the place ana alone coded
        await pilot.pause()
        assert screen.places == [] and len(consensus(app_db)) == 1
        assert "no disagreements left" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert [p.kind for p in screen.places] == ["only"]
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ReconcileScreen)
        assert app.screen.current_id == alone.id


async def test_reconcile_rows_show_the_quote_at_60_columns(app_settings, app_db):
    """Found in the 60x24 tryout: a 26-wide kind column and a source column left the quote
    two letters ('the d…'). Each row must show the quote's words, and the source when wide."""
    source_id, _pair, _alone = two_places(app_db)
    for size, source_shown in (((60, 24), False), ((120, 30), True)):
        app = make_app(app_settings, app_db, source_id=source_id)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("C")
            assert await settle(pilot, lambda app=app: isinstance(app.screen, ReconcileScreen))
            rows = screen_text(app).splitlines()[1:3]
            assert "Smith et al. found" in rows[0] and "The sample was small" in rows[1], rows
            assert ("Sample study" in rows[0].split("Smith")[0]) == source_shown, rows


async def test_reconcile_screen_in_blind_mode_lists_only_done_sources(app_settings, app_db):
    source_id, _pair, _alone = two_places(app_db)
    set_blind_mode(app_db, True)
    app_settings.author = "ana"
    app = make_app(app_settings, app_db, source_id=source_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("C")
        assert await settle(pilot, lambda: isinstance(app.screen, ReconcileScreen))
        assert app.screen.places == [] and "ben" not in screen_text(app)
        await pilot.press("escape", "D", "C")
        assert await settle(pilot, lambda: isinstance(app.screen, ReconcileScreen) and len(app.screen.places) == 2)


async def test_claims_and_orphans_screens_in_blind_mode(app_settings, app_db):
    from postil.tui.screens.claims import ClaimsScreen

    source_id, mine, his = coded(app_db)  # ben linked two of his highlights
    set_blind_mode(app_db, True)
    app = make_app(app_settings, app_db, source_id=source_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("L")
        assert await settle(pilot, lambda: isinstance(app.screen, ClaimsScreen))
        assert all(c.highlight.author != "ben" and all(l.other.author != "ben" for l in c.links) for c in app.screen.window.claims)
        assert "Effects lasted" not in screen_text(app)
