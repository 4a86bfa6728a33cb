"""`/` find paints every match on screen, the current one apart, until the bar closes."""

from __future__ import annotations

from app_support import SAMPLE, SIZE, add_text, make_app

from postil.store import sources as store_sources


def drawn_segments(reader) -> list[tuple[str, object]]:
    """(text, style) of every segment the reader draws now, top to bottom."""
    return [(seg.text, seg.style) for y in range(reader.size.height) for seg in reader.render_line(y)]


async def test_find_paints_the_other_matches_and_the_current_one_apart(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    text = store_sources.source_text(app_db, source_id)
    assert text.lower().count("paragraph") == 2
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        other = reader.get_component_rich_style("reader--match")
        current = reader.get_component_rich_style("reader--match-current")
        assert other.bgcolor is not None and current.bgcolor != other.bgcolor
        await pilot.press("slash", *"paragraph")
        await pilot.pause()
        assert reader.cursor == text.index("paragraph")
        segments = drawn_segments(reader)
        # The second match: painted whole as a match, not as the current one.
        assert ("paragraph", other.bgcolor) in [(t, s.bgcolor) for t, s in segments]
        # The current match (the cursor on its first letter): the rest is painted apart,
        # bold too, so it is not told by colour alone.
        rest = [s for t, s in segments if t == "aragraph"]
        assert rest and rest[0].bgcolor == current.bgcolor and rest[0].bold
        await pilot.press("enter")  # accepting closes the bar: the paint goes
        await pilot.pause()
        backgrounds = {s.bgcolor for _, s in drawn_segments(reader)}
        assert other.bgcolor not in backgrounds and current.bgcolor not in backgrounds


async def test_escape_clears_the_match_paint_and_a_new_query_repaints(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        other = reader.get_component_rich_style("reader--match")
        await pilot.press("slash", *"the")
        await pilot.pause()
        painted = [t for t, s in drawn_segments(reader) if s.bgcolor == other.bgcolor]
        assert [t.lower() for t in painted] == ["the"] * len(painted) and len(painted) >= 2
        await pilot.press("backspace", "backspace", "backspace", *"caveats")
        await pilot.pause()
        assert [t for t, s in drawn_segments(reader) if s.bgcolor == other.bgcolor] == []
        await pilot.press("escape")
        await pilot.pause()
        assert all(s.bgcolor != other.bgcolor for _, s in drawn_segments(reader))


async def test_a_click_in_the_reader_closes_the_bar_and_clears_the_paint(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen.reader
        other = reader.get_component_rich_style("reader--match")
        await pilot.press("slash", *"the")
        await pilot.pause()
        assert any(s.bgcolor == other.bgcolor for _, s in drawn_segments(reader))
        await pilot.click(reader, offset=(10, 2))
        await pilot.pause()
        assert not app.screen.query_one("#find").display
        assert all(s.bgcolor != other.bgcolor for _, s in drawn_segments(reader))
