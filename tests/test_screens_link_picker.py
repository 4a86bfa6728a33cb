"""The link picker: find a target by typing, choose a relation, add a note, keyboard only."""

import pytest
from screen_host import Host, add_text, drawn

from postil.store import highlights
from postil.store.db import open_db
from postil.tui.screens.link_picker import LinkPickerScreen

THERAPY = "Remission was high at six weeks.\n\nRelapses were common after three months.\n\nThe end."
AMYGDALA = "Amygdala reactivity fell.\n\nThe sample was small and unblinded."


async def settled(app, pilot) -> None:
    """Typed words are read in a thread (tui.latest_read): wait for the newest read."""
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def world(tmp_path):
    db = open_db(tmp_path / "links.db")
    therapy = add_text(db, "Psychedelic therapy", THERAPY)
    amygdala = add_text(db, "Amygdala study", AMYGDALA)
    ids = {
        "remission": highlights.create_highlight(db, therapy, 0, 32, tags=["outcome"]).id,
        "relapse": highlights.create_highlight(db, therapy, 34, 74, tags=["caveat"]).id,
        "reactivity": highlights.create_highlight(db, amygdala, 0, 25, tags=["mechanism"]).id,
        "sample": highlights.create_highlight(
            db, amygdala, 27, 62, tags=["caveat"], note="[red]n=19[/red] only"
        ).id,
    }
    return db, ids


async def test_type_choose_qualifies_enter(world):
    db, ids = world
    app = Host(LinkPickerScreen(db, ids["sample"]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press(*"six week", "enter")
        # relations in store order: supports, contradicts, qualifies, ... ; default see-also
        screen = app.screen
        assert screen.target.highlight.id == ids["remission"]
        assert screen.relation == "see-also"
        await pilot.press("up", "up", "up")  # see-also -> same-finding -> elaborates -> qualifies
        await pilot.press("enter")
        await pilot.press(*"small sample", "enter")
        await pilot.pause()
    assert app.result == (ids["remission"], "qualifies", "small sample")


async def test_default_relation_and_the_from_highlight_is_excluded(world):
    db, ids = world
    app = Host(LinkPickerScreen(db, ids["sample"]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        shown = [c.highlight.id for c in app.screen.shown]
        assert ids["sample"] not in shown
        # nearest first: the same source's other highlight leads
        assert shown[0] == ids["reactivity"]
        await pilot.press(*"relapses", "enter", "enter", "enter")
        await pilot.pause()
    assert app.result == (ids["relapse"], "see-also", "")


async def test_search_covers_tags_notes_titles_and_typos(world):
    db, ids = world
    app = Host(LinkPickerScreen(db, ids["remission"]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"caveat")
        await settled(app, pilot)
        assert {c.highlight.id for c in screen.shown} == {ids["relapse"], ids["sample"]}
        await pilot.press(*["backspace"] * 6, *"amygdala mech")
        await settled(app, pilot)
        assert [c.highlight.id for c in screen.shown] == [ids["reactivity"]]
        await pilot.press(*["backspace"] * 13, *"unblinded")
        await settled(app, pilot)
        assert [c.highlight.id for c in screen.shown] == [ids["sample"]]
        await pilot.press(*["backspace"] * 9, *"reactivty")  # typo
        await settled(app, pilot)
        assert [c.highlight.id for c in screen.shown] == [ids["reactivity"]]
        await pilot.press(*["backspace"] * 9, *"n=19")
        await settled(app, pilot)
        # a note that looks like markup is drawn literally
        assert "[red]n=19[/red]" in drawn(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_tab_walks_the_fields(world):
    db, ids = world
    app = Host(LinkPickerScreen(db, ids["sample"]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("down")  # second candidate while typing
        second = app.screen.shown[1].highlight.id
        await pilot.press("tab")
        assert app.screen.focused.id == "targets"
        await pilot.press("enter")  # choose highlighted target -> relations
        assert app.screen.focused.id == "relations"
        await pilot.press("tab")
        assert app.screen.focused.id == "note"
        await pilot.press(*"x", "enter")
        await pilot.pause()
    assert app.result == (second, "see-also", "x")


@pytest.mark.parametrize("size", [(80, 24), (60, 24)])
async def test_the_candidates_are_visible_on_a_small_screen(world, size):
    """Typing narrows a list that can be seen, and enter links the one shown highlighted."""
    db, ids = world
    app = Host(LinkPickerScreen(db, ids["sample"]))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#targets").region.height >= 4
        await pilot.press(*"relapse")
        await settled(app, pilot)
        assert "Relapses were common" in drawn(app)
        for widget in ("#query", "#targets", "#relations", "#note", "#status"):
            region = screen.query_one(widget).region
            assert region.height > 0 and region.bottom <= size[1] and region.right <= size[0], widget
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
    assert app.result == (ids["relapse"], "see-also", "")


async def test_the_relation_step_says_which_relation_enter_takes(world):
    """Enter on the relation list used to pick the highlighted see-also without a word: the
    status line names it and its row says it is the default."""
    db, ids = world
    app = Host(LinkPickerScreen(db, ids["sample"]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press(*"relapses", "enter")
        await pilot.pause()
        screen_text = drawn(app)
        assert "enter now: see-also" in screen_text
        assert "see-also  (default)" in screen_text
        await pilot.press("up")
        await pilot.pause()
        assert "(default)" not in next(line for line in drawn(app).splitlines() if "same-finding" in line)


async def test_a_candidates_note_is_drawn_as_markdown(world):
    """Like the pane and search rows: `**n=19**` reads as bold n=19, never with its stars."""
    db, ids = world
    highlights.set_note(db, ids["relapse"], "Only *one* case, see **n=19**")
    app = Host(LinkPickerScreen(db, ids["sample"]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"relapses")
        await settled(app, pilot)
        row = next(line for line in drawn(app).splitlines() if "Only one case" in line)
        assert "Only one case, see n=19" in row and "*" not in row


@pytest.mark.parametrize("size", [(80, 24), (60, 24)])
async def test_an_empty_list_says_why_and_the_hint_is_whole(world, tmp_path, size):
    """Found at 60x24: with no other highlight the list was blank with nothing said, and the
    hint line was cut ('…up/down move, enter')."""
    db, ids = world
    app = Host(LinkPickerScreen(db, ids["sample"]))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert "enter chooses it" in " ".join(drawn(app).split())
        await pilot.press(*"zebra")
        await settled(app, pilot)
        assert "no other highlight matches 'zebra'" in " ".join(drawn(app).split())
    lonely = open_db(tmp_path / "lonely.db")
    only = highlights.create_highlight(lonely, add_text(lonely, "One", "Just one passage."), 0, 8).id
    app = Host(LinkPickerScreen(lonely, only))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert "mark another passage first" in " ".join(drawn(app).split())


async def test_only_the_candidates_on_screen_are_drawn(tmp_path):
    """200 candidates listed, a screenful drawn: an OptionList wrapped all 200 on opening."""
    db = open_db(tmp_path / "many.db")
    text = "\n\n".join(f"Finding {i} was measured." for i in range(300))
    source = add_text(db, "Many findings", text)
    ids = [highlights.create_highlight(db, source, text.index(f"Finding {i} "), text.index(f"Finding {i} ") + 9).id
           for i in range(250)]
    picker = LinkPickerScreen(db, ids[0])
    drawn_rows = []
    describe = picker.describe
    picker.describe = lambda cand, width: drawn_rows.append(cand) or describe(cand, width)
    app = Host(picker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert len(screen.shown) == 200
        rows = screen.query_one("#targets").scrollable_content_region.height // 2
        assert 0 < len(drawn_rows) <= rows + 1
        for _ in range(rows + 3):
            await pilot.press("down")
        await pilot.pause()
        assert screen.query_one("#targets").highlighted == rows + 3
        await pilot.press("enter")
        await pilot.pause()
        assert screen.target.highlight.id == screen.shown[rows + 3].highlight.id
