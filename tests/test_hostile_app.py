"""The app on every hostile source `postil add` imports (tests/hostile_cases.py).

Each imported source is opened in one running app, at its top and at its end, with a highlight
whose note is hostile too; nothing drawn on screen may hold an escape or any other control
character (nor a raw bidi or zero-width control), and markup-like titles, text and notes are
shown literally in the header, the library, the reader and the pane.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_support import make_app, screen_segments, screen_text
from cli_support import ARTICLE, Postil
from hostile_cases import CASES, MARKUP, can_name

from postil.store import highlights as store_highlights
from postil.store import sources as store_sources
from postil.store.db import open_db
from postil.tui.settings import Settings

UNDRAWABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
"""Every C0 (newline and tab too: a drawn row holds neither), DEL, C1, bidi and zero-width control."""

HOSTILE_NOTE = f"{MARKUP} \x1b[31mred\x1b]52;c;eA==\x07 \u202eevil \u200bzw \x9b0m"

SMALL = [c for c in CASES if c.expect != "refused" and not c.slow]
BIG = [c for c in CASES if c.expect != "refused" and c.slow]


def import_cases(tmp_path: Path, cases) -> tuple[Postil, dict[str, int]]:
    """Add each case's input with `postil add`; case id -> source id."""
    postil = Postil(tmp_path)
    postil.ok("add", postil.write("baseline.txt", ARTICLE))
    ids: dict[str, int] = {}
    for case in cases:
        folder = tmp_path / "in" / case.id
        folder.mkdir(parents=True)
        if not can_name(folder, case.name):
            continue
        case.make(folder / case.name)
        run = postil("add", "--json", str(folder / case.name))
        assert run.exit_code == 0, run.stderr
        ids[case.id] = run.json()[0]["id"]
    return postil, ids


def drawn_controls(app) -> list[str]:
    return [segment.text for segment in screen_segments(app) if UNDRAWABLE.search(segment.text)]


async def show_everything(tmp_path: Path, cases) -> None:
    postil, ids = import_cases(tmp_path, cases)
    db = open_db(postil.db_path)
    for source_id in ids.values():
        text = store_sources.source_text(db, source_id)
        store_highlights.create_highlight(db, source_id, 0, min(len(text), 40), tags=["caveat"], note=HOSTILE_NOTE)
    app = make_app(Settings(postil.db_path, "tester", False), db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        for case_id, source_id in ids.items():
            assert screen.open_source(source_id, at_top=True), case_id
            screen.reader.move_to(1)  # onto the highlight: the pane shows its quote and note
            await pilot.pause()
            assert drawn_controls(app) == [], case_id
            shown = screen_text(app)
            assert "[@click=app.quit]quit[/] [bold]x[/]" in shown, case_id  # the note, literally (wrapped in the pane)
            end = len(screen.reader.text) - 1
            screen.reader.move_to(end)
            await pilot.pause()
            assert drawn_controls(app) == [], case_id
        assert app.is_running


@pytest.mark.slow
async def test_every_small_hostile_source_draws_no_control_character(tmp_path):
    await show_everything(tmp_path, SMALL)


@pytest.mark.slow
async def test_the_big_hostile_sources_draw_no_control_character(tmp_path):
    await show_everything(tmp_path, BIG)


async def test_markup_like_titles_and_text_are_shown_literally(tmp_path):
    cases = [c for c in CASES if c.id in ("markup-txt", "markup-md", "markup-name")]
    postil, ids = import_cases(tmp_path, cases)
    db = open_db(postil.db_path)
    app = make_app(Settings(postil.db_path, "tester", False), db)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = app.screen
        screen.open_source(ids["markup-txt"], at_top=True)
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert MARKUP in lines[0]  # the header: the title as written
        assert any(f"Body {MARKUP} end." in line for line in lines)  # the reader
        library = "\n".join(lines)
        assert "[@click=app quit]x[b]y" in library  # a title made from a file name
        screen.open_source(ids["markup-md"], at_top=True)
        await pilot.pause()
        assert MARKUP in screen_text(app).splitlines()[0]
        assert app.is_running
