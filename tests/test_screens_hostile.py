"""Untrusted text on every secondary screen: drawn literally, never as markup or escapes."""

import pytest
from screen_host import Host, add_text

from postil.store import highlights, links, tags
from postil.store.db import open_db
from postil.tui.screens.claims import ClaimsScreen
from postil.tui.screens.link_picker import LinkPickerScreen
from postil.tui.screens.orphans import OrphansScreen
from postil.tui.screens.overview import OverviewScreen
from postil.tui.screens.search import SearchScreen
from postil.tui.screens.tags import TagsScreen
from postil.tui.undo import UndoStack

EVIL_TITLE = "[bold]T[/bold] \x1b]52;c;SGVsbG8=\x07 \u202etitle"
EVIL_TEXT = "Plain start.\n\n[@click=app.quit]x[/] \x1b[31mred\x1b[0m end.\n\nThird \u200b para."


@pytest.fixture
def evil(tmp_path):
    db = open_db(tmp_path / "evil.db")
    source = add_text(db, EVIL_TITLE, EVIL_TEXT)
    tags.create_tag(db, "[red]tag[/red]", description="\x1b[2J wipe")
    a = highlights.create_highlight(db, source, 14, 48, tags=["[red]tag[/red]"], note="[b]note\x1b[0m")
    b = highlights.create_highlight(db, source, 0, 12, tags=["caveat"])
    links.create_link(db, b.id, a.id, relation="contradicts")
    db.execute("UPDATE highlights SET anchor_status = 'orphaned' WHERE id = ?", [a.id])
    db.commit()
    return db, a.id, b.id


def segments_text(app) -> str:
    return "".join(seg.text for strip in app.screen._compositor.render_strips() for seg in strip)


@pytest.mark.parametrize(
    "make",
    [
        lambda db, a, b: TagsScreen(db, UndoStack(db)),
        lambda db, a, b: LinkPickerScreen(db, b),
        lambda db, a, b: ClaimsScreen(db),
        lambda db, a, b: OrphansScreen(db),
        lambda db, a, b: OverviewScreen(db),
        lambda db, a, b: SearchScreen(db, ""),
    ],
    ids=["tags", "link_picker", "claims", "orphans", "overview", "search"],
)
async def test_no_escape_reaches_the_terminal_and_markup_stays_literal(evil, make):
    db, a, b = evil
    app = Host(make(db, a, b))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = segments_text(app)
        assert app.is_running
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "[red]tag[/red]" in text or "[bold]T[/bold]" in text or "[@click=app.quit]" in text
