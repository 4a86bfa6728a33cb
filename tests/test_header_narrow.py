"""The header on a narrow terminal (issue 17): at 60 columns its tag counts shrank to a lone
"■". What gives way is the team, then the tags' names, then the last tags ("+2"); the title
and the position stay."""

from __future__ import annotations

from app_support import SAMPLE, add_text, make_app, settle, widget_text

from postil.store import highlights as store_highlights
from postil.tui.widgets.source_header import SourceHeader


def tagged(db) -> int:
    source_id = add_text(db, SAMPLE)
    for n, tag in enumerate(["mechanism", "outcome", "caveat", "anecdote"]):
        store_highlights.create_highlight(db, source_id, n * 10, n * 10 + 8, tags=[tag])
    return source_id


async def test_at_160_columns_the_tags_have_their_names(app_settings, app_db):
    app = make_app(app_settings, app_db, tagged(app_db), at_top=True)
    async with app.run_test(size=(160, 30)) as pilot:
        header = app.screen.query_one(SourceHeader)
        # The counts and the position come in separate updates of one opening: wait for both.
        assert await settle(pilot, lambda: "anecdote 1" in widget_text(header) and "¶ 1 of" in widget_text(header))
        assert "mechanism 1" in widget_text(header)


async def test_at_60_columns_every_tag_still_shows_its_count(app_settings, app_db):
    app = make_app(app_settings, app_db, tagged(app_db), at_top=True)
    async with app.run_test(size=(60, 24)) as pilot:
        header = app.screen.query_one(SourceHeader)
        assert await settle(pilot, lambda: "■1" in widget_text(header) and "¶ 1 of" in widget_text(header))
        line = widget_text(header).strip()
        assert line.count("■") == 4 or "+" in line  # all four, or the rest counted
        assert line.endswith(("1", "+1", "+2", "+3"))  # nothing cut in the middle of a tag
        assert len(line) <= 58


def test_what_gives_way_first_is_the_team_then_the_names_then_the_last_tags():
    header = SourceHeader()
    header.set_source("A rather long source title")
    header.set_position(3, 41, 7)
    header.set_counts([("mechanism", "#f00", 2), ("caveat", "#0f0", 1), ("outcome", "#00f", 4)])
    header.set_team("team synced 10:42")
    full = header.header_content(200).plain
    assert "team synced" in full and "mechanism 2" in full
    no_team = header.header_content(len(full) - 1).plain
    assert "team" not in no_team and "caveat 1" in no_team
    compact = header.header_content(len(no_team) - 1).plain
    assert compact.endswith("■2 ■1 ■4") and "mechanism" not in compact
    assert header.header_content(len(compact) - 1).plain.endswith("■2 +2")  # "+1" is as wide as " ■4"
