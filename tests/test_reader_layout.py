"""Wrapping and offset mapping of the reader, for all texts and widths (no Textual app)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from postil.sources.blocks import Block
from postil.tui.widgets.reader_layout import CHUNK, Layout

ALPHABET = st.sampled_from(list("abc de\tfg  hi.,") + ["中", "文", "😀", "\u0301", "\u0308", "\n", "\x1b", "[", "/", "]", "\u202e"])
TEXTS = st.lists(ALPHABET, min_size=1, max_size=160).map("".join)


def _blocks_for(text: str) -> list[Block]:
    """Cut a text into paragraph blocks at blank lines (as a loader would)."""
    blocks, pos = [], 0
    for part in text.split("\n\n"):
        if part:
            blocks.append(Block("paragraph", pos, pos + len(part)))
        pos += len(part) + 2
    return blocks


def _all_lines(layout: Layout):
    for u in range(len(layout.units)):
        for li in range(len(layout.lines(u))):
            yield u, li


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.integers(min_value=4, max_value=40), st.booleans())
def test_every_character_is_on_exactly_one_line_and_offsets_round_trip(text, width, with_blocks):
    layout = Layout(text, _blocks_for(text) if with_blocks else [], width)
    seen = []
    for u, li in _all_lines(layout):
        a, b = layout.line_span(u, li)
        seen.extend(range(a, b))
        cols = layout.columns(u, li)
        # A line never runs past the width, except one trailing space/newline in the margin.
        if cols[-1] > width:
            last = max(i for i in range(a, b) if layout.is_stop(i))
            assert cols[-1] == width + 1 and text[last] in " \t\n"
    drawn = [i for u in layout.units for i in range(u.start, u.end)]
    assert seen == drawn  # each drawn character once, in order
    for offset in drawn:
        y, x = layout.point_of(offset)
        back = layout.offset_at(y, x)
        if layout.is_stop(offset):
            assert back == offset
        else:  # a zero-width mark maps to the character it sits on
            assert back < offset and all(not layout.is_stop(i) for i in range(back + 1, offset + 1))


@settings(max_examples=60, deadline=None)
@given(TEXTS, st.integers(min_value=4, max_value=30), st.integers(min_value=4, max_value=30))
def test_rows_are_consistent_after_a_width_change(text, width, other):
    layout = Layout(text, [], width)
    layout.set_width(other)
    rows = [layout.point_of(i)[0] for u in layout.units for i in range(u.start, u.end)]
    assert rows == sorted(rows)
    assert max(rows) < layout.total_height


def test_cells_match_what_rich_measures_for_wide_characters_and_tabs():
    text = "a\tb中文😀e\u0301!"
    layout = Layout(text, [], 40)
    cols = layout.columns(0, 0)
    assert cols[:3] == [0, 1, 4]  # the tab runs to the next multiple of 4
    assert cols[text.index("文")] + 2 == cols[text.index("😀")]
    assert cols[text.index("\u0301")] == cols[text.index("!")]  # combining mark: no cell
    assert cols[-1] == cell_len("a   b中文😀e\u0301!")


def test_words_are_not_split_when_they_fit():
    text = "alpha beta gamma delta epsilon"
    layout = Layout(text, [], 12)
    lines = [text[slice(*layout.line_span(0, li))] for li in range(len(layout.lines(0)))]
    assert lines == ["alpha beta ", "gamma delta ", "epsilon"]


def test_a_huge_block_is_wrapped_in_chunks_and_only_when_seen():
    text = ("word " * 400 + "\n") * 500  # about 1 MB in one block
    layout = Layout(text, [Block("paragraph", 0, len(text))], 60)
    assert len(layout.units) > 100
    assert not layout._lines  # nothing wrapped yet
    assert all(u.end - u.start <= CHUNK + 1 for u in layout.units)
    y, x = layout.point_of(len(text) - 3)
    assert layout.offset_at(y, x) == len(text) - 3
    assert len(layout._lines) < 5


def test_estimated_heights_become_exact_where_the_cursor_goes():
    text = "\n\n".join(f"Paragraph {i} " + "lorem ipsum " * 30 for i in range(2000))
    layout = Layout(text, _blocks_for(text), 50)
    offset = text.index("Paragraph 1500 ")
    y, _ = layout.point_of(offset)
    u, li = layout.locate(y)
    assert layout.line_span(u, li)[0] == offset
