"""A keystroke updates the reader's spans, the pane's rows and the tag counts in place.

Each incremental path must give exactly what a full rebuild gives: these tests build both
and compare them (spans found per offset, rows per id, painted lines, counts per tag).
"""

from __future__ import annotations

from collections import Counter

from app_support import SAMPLE, SIZE, add_text, make_app, select_text
from hypothesis import given, settings
from hypothesis import strategies as st

from postil.store import highlights as store_highlights
from postil.store.models import Highlight
from postil.tui.widgets.highlight_order import RowIndex, document_order
from postil.tui.widgets.reader import Span
from postil.tui.widgets.reader_paint import SpanIndex

TEXT_LENGTH = 12_000

span_shapes = st.tuples(
    st.integers(0, TEXT_LENGTH - 1),
    st.one_of(st.integers(0, 80), st.integers(4_000, 9_000)),  # some longer than SpanIndex's cut
)


def _key(spans):
    return sorted(s.id for s in spans)


@settings(max_examples=60, deadline=None)
@given(
    initial=st.lists(span_shapes, max_size=40),
    added=st.lists(span_shapes, max_size=15),
    removed=st.lists(st.integers(0, 60), max_size=15),
    probes=st.lists(st.integers(0, TEXT_LENGTH), min_size=1, max_size=20),
)
def test_span_index_changed_in_place_answers_like_one_built_afresh(initial, added, removed, probes):
    spans = [Span(f"s{i}", start, start + length, "#ffffff") for i, (start, length) in enumerate(initial)]
    index = SpanIndex(spans)
    current = {s.id: s for s in spans}
    for i, (start, length) in enumerate(added):
        span = Span(f"n{i}", start, start + length, "#ffffff")
        index.add(span)
        current[span.id] = span
    for n in removed:
        if n < len(spans) and spans[n].id in current:
            assert index.remove(current.pop(spans[n].id))
    assert not index.remove(Span("missing", 5, 9, "#ffffff"))
    fresh = SpanIndex(current.values())
    for offset in probes:
        assert _key(index.at(offset)) == _key(fresh.at(offset))
        assert _key(index.overlapping(offset, offset + 300)) == _key(fresh.overlapping(offset, offset + 300))
        assert index.next_start(offset) == fresh.next_start(offset)
        assert index.prev_start(offset) == fresh.prev_start(offset)


def _highlight(n: int, start: int, end: int) -> Highlight:
    return Highlight(id=f"h{n:03d}", source_id=1, start=start, end=end, quote="q", prefix="", suffix="",
                     note="", author="a", created_at="2025-01-01T00:00:00Z",
                     updated_at="2025-01-01T00:00:00Z", version=1, anchor_status="anchored")


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 20)), max_size=40))
def test_row_index_finds_the_row_a_dict_would(shapes):
    items = sorted((_highlight(n, start, start + length) for n, (start, length) in enumerate(shapes)),
                   key=document_order)
    rows = RowIndex(items, {h.id: h for h in items})
    for row, h in enumerate(items):
        assert rows.get(h.id) == row
        assert h.id in rows
    assert rows.get("nope") is None
    assert "nope" not in rows


async def test_a_new_highlight_paints_the_same_lines_as_a_full_repaint(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    existing = SAMPLE.index("The sample was small")
    store_highlights.create_highlight(app_db, source_id, existing, existing + 20, tags=["caveat"], author="t")
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        reader = screen.reader
        await pilot.pause()
        select_text(screen, "Smith et al. found the same in 2019.")
        await pilot.press("1")
        await pilot.pause()
        height = reader.scrollable_content_region.height
        in_place = [reader.render_line(y).text for y in range(height)]
        in_place_styles = [[seg.style for seg in reader.render_line(y)] for y in range(height)]
        reader.set_spans(screen.spans())  # the full rebuild
        rebuilt = [reader.render_line(y).text for y in range(height)]
        rebuilt_styles = [[seg.style for seg in reader.render_line(y)] for y in range(height)]
        assert in_place == rebuilt
        assert in_place_styles == rebuilt_styles
        assert "Smith et al." in "\n".join(in_place)


async def test_counts_and_rows_after_creating_retagging_and_deleting_match_a_reload(app_settings, app_db):
    source_id = add_text(app_db, SAMPLE)
    app = make_app(app_settings, app_db, source_id, at_top=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for sentence, digit in [("Effects lasted five weeks.", "2"), ("A third paragraph", "1"),
                                ("The drug raised", "3")]:
            select_text(screen, sentence)
            await pilot.press(digit)
        start = screen.reader.text.index("A third paragraph")
        screen.reader.move_to(start + 2)
        await pilot.press("2")  # toggle a second tag on
        screen.reader.move_to(screen.reader.text.index("The drug raised") + 1)
        await pilot.press("x")  # delete one
        await pilot.pause()
        stored = store_highlights.highlights_for_source(app_db, source_id)
        assert [h.id for h in screen.highlights] == [h.id for h in stored]
        expected = Counter(name for h in stored for name in h.tags)
        assert {k: v for k, v in screen._tag_counts.items() if v} == dict(expected)
        for row, h in enumerate(stored):
            assert screen.pane._index.get(h.id) == row
        assert screen.reader._spans.spans == SpanIndex(screen.spans()).spans
