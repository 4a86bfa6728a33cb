"""The reader widget in a running app: motions, selections, drawing and the mouse."""

from __future__ import annotations

import pytest

from postil.tui.widgets.reader import Reader, Span
from tests.reader_app import ReaderApp, cursor_cells, make_doc, screen_lines, sync

SENTENCE = "Smith et al. found heightened activity in the amygdala (see Fig. 2)."
TEXT, BLOCKS = make_doc(
    ("heading", "Findings"),
    f"The first sentence is short. {SENTENCE} A third one follows here.",
    ("list_item", "- one item"),
    ("list_item", "- two item"),
    "Last paragraph with e.g. an example. Dr. Who ends it.",
)


@pytest.fixture
def at():
    return TEXT.index


@sync
async def test_vertical_and_word_motions(at):
    app = ReaderApp(TEXT, BLOCKS)
    async with app.run_test(size=(60, 20)) as pilot:
        reader = app.query_one(Reader)
        assert reader.cursor == 0
        await pilot.press("j")
        assert reader.cursor == at("The first")  # the blank row below the heading is skipped
        await pilot.press("w", "w")
        assert reader.cursor == at("sentence is")
        await pilot.press("b")
        assert reader.cursor == at("first")
        await pilot.press("right", "right", "h")
        assert reader.cursor == at("first") + 1
        await pilot.press("k")
        assert reader.cursor == at("Findings") + 5  # the same column in the heading
        await pilot.press("G")
        assert reader.cursor == len(TEXT) - 1
        await pilot.press("g")
        assert reader.cursor == 0
        await pilot.press("end")
        assert reader.cursor == len(TEXT) - 1
        await pilot.press("home")
        assert reader.cursor == 0


@sync
async def test_sentence_and_block_motions(at):
    app = ReaderApp(TEXT, BLOCKS, cursor=TEXT.index("The first"))
    async with app.run_test(size=(60, 20)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("right_parenthesis")
        assert reader.cursor == at("Smith")
        await pilot.press("right_parenthesis")
        assert reader.cursor == at("A third")
        await pilot.press("left_parenthesis", "left_parenthesis")
        assert reader.cursor == at("The first")
        await pilot.press("right_curly_bracket")
        assert reader.cursor == at("- one")
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert reader.cursor == at("Last paragraph")
        await pilot.press("left_curly_bracket")
        assert reader.cursor == at("- two")


@sync
async def test_s_selects_the_whole_sentence_with_et_al():
    start = TEXT.index("et al.")
    app = ReaderApp(TEXT, BLOCKS, cursor=start + 3)
    async with app.run_test(size=(50, 20)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("s")
        s, e = reader.selection
        assert TEXT[s:e] == SENTENCE
        assert ("selection", s, e) in app.messages
        await pilot.press("escape")
        assert reader.selection is None
        assert app.messages[-1] == ("selection", None, None)


@sync
async def test_p_selects_the_block_and_v_extends_with_motions(at):
    app = ReaderApp(TEXT, BLOCKS, cursor=at("Dr. Who"))
    async with app.run_test(size=(50, 20)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("p")
        s, e = reader.selection
        assert (s, e) == (BLOCKS[-1].start, BLOCKS[-1].end)
        await pilot.press("escape")
        reader.move_to(at("The first"))
        await pilot.press("v", "w")
        # In a selection `w` goes to the end of the word: no letter of the next one.
        assert reader.selection == (at("The first"), at("The first") + len("The"))
        await pilot.press("w")
        assert reader.selection == (at("The first"), at("The first") + len("The first"))
        await pilot.press("b", "b", "b")  # back past the anchor: the selection flips
        assert reader.selection == (at("Findings"), at("The first") + 1)
        await pilot.press("v")
        assert reader.selection is None


@sync
async def test_highlight_navigation_and_spans_at(at):
    outer = Span("o", at("Smith"), at("A third"), "#ff0000")
    inner = Span("i", at("heightened"), at("heightened") + 10, "#00ff00", has_note=True)
    late = Span("l", at("Dr. Who"), at("Dr. Who") + 3, "#0000ff")
    app = ReaderApp(TEXT, BLOCKS, [late, outer, inner])
    async with app.run_test(size=(60, 20)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("right_square_bracket")
        assert reader.cursor == outer.start
        await pilot.press("right_square_bracket")
        assert reader.cursor == inner.start
        assert [s.id for s in reader.spans_at(reader.cursor)] == ["i", "o"]
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert reader.cursor == late.start  # no further highlight: stays on the last
        await pilot.press("left_square_bracket")
        assert reader.cursor == inner.start


@sync
async def test_highlights_are_painted_with_their_colour_and_overlaps_underlined(at):
    outer = Span("o", at("Smith"), at("A third"), "#ff0000")
    inner = Span("i", at("heightened"), at("heightened") + 10, "#00ff00", has_note=True)
    app = ReaderApp(TEXT, BLOCKS, [outer, inner])
    async with app.run_test(size=(120, 20)) as pilot:
        reader = app.query_one(Reader)
        styles = {}
        for y in range(8):
            for seg in reader.render_line(y):
                styles.setdefault(seg.text.strip(), seg.style)
        plain = styles["The first sentence is short."]
        red = styles["Smith et al. found"]
        green = styles["heightened"]
        assert red.bgcolor != plain.bgcolor and green.bgcolor not in (plain.bgcolor, red.bgcolor)
        assert red.bgcolor.triplet.red > red.bgcolor.triplet.green  # tinted towards the tag colour
        assert green.underline and not red.underline
        assert any(line.startswith("\u25c6") for line in screen_lines(reader))  # the note marker
        reader.set_spans([])
        await pilot.pause()
        assert not any(line.startswith("\u25c6") for line in screen_lines(reader))


@sync
async def test_markup_like_and_control_text_is_drawn_literally():
    hostile = "Use [bold]x[/] and [/] or [@click=app.quit]here[/] — [T]his.\x1b[31mred\x07 \u202eevil\u200b \x9b end"
    app = ReaderApp(hostile, [])
    async with app.run_test(size=(200, 10)):
        reader = app.query_one(Reader)
        drawn = "".join(screen_lines(reader))
        for literal in ("[bold]x[/]", "[/]", "[@click=app.quit]here", "[T]his"):
            assert literal in drawn
        for y in range(5):
            for seg in reader.render_line(y):
                assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in seg.text), repr(seg.text)
        assert "\u21c4evil" in drawn and "\u2423" in drawn  # bidi and zero-width shown as marks
        assert app.is_running  # the click action was not run


@sync
async def test_resizing_keeps_the_cursor_on_the_same_character(at):
    long_text, blocks = make_doc(*[f"Paragraph {i}: " + "some words to wrap " * 12 for i in range(40)])
    target = long_text.index("Paragraph 20: ") + 40
    app = ReaderApp(long_text, blocks, cursor=target)
    async with app.run_test(size=(100, 20)) as pilot:
        reader = app.query_one(Reader)
        assert cursor_cells(reader) == [(cursor_cells(reader)[0][0], long_text[target])]
        for width in (40, 73, 25, 100):
            await pilot.resize_terminal(width, 20)
            await pilot.pause()
            assert reader.cursor == target
            cells = cursor_cells(reader)
            assert len(cells) == 1 and cells[0][1] == long_text[target]


@sync
async def test_page_keys_move_the_cursor_and_keep_it_visible():
    long_text, blocks = make_doc(*[f"Paragraph {i} has a line." for i in range(200)])
    app = ReaderApp(long_text, blocks)
    async with app.run_test(size=(60, 20)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("pagedown", "pagedown", "space")
        assert reader.scroll_y > 40 and reader.cursor > long_text.index("Paragraph 20 ")
        assert len(cursor_cells(reader)) == 1
        before = reader.cursor
        await pilot.press("ctrl+u")
        assert reader.cursor < before and len(cursor_cells(reader)) == 1
        await pilot.press("ctrl+d", "pageup")
        assert len(cursor_cells(reader)) == 1
        assert reader.position_info()[1] == 200


@sync
async def test_find_is_case_insensitive_wraps_and_moves_the_cursor(at):
    app = ReaderApp(TEXT, BLOCKS)
    async with app.run_test(size=(60, 20)):
        reader = app.query_one(Reader)
        assert reader.find("HEIGHTENED activity") == at("heightened")
        assert reader.cursor == at("heightened")
        assert reader.find("dr. who") == at("Dr. Who")
        assert reader.find("findings") == 0  # past the last match: wraps to the start
        assert reader.find("the", forward=False, from_offset=at("first")) == at("The first")
        assert reader.find("SMITH", forward=False) == at("Smith")  # wraps backwards from the start
        assert reader.find("not in the text") is None


@sync
async def test_click_places_the_cursor_and_drag_selects(at):
    app = ReaderApp(TEXT, BLOCKS)
    async with app.run_test(size=(100, 20)) as pilot:
        reader = app.query_one(Reader)
        lines = screen_lines(reader)
        row = next(y for y, line in enumerate(lines) if "The first" in line)
        col = lines[row].index("first")
        await pilot.click(Reader, offset=(col, row))
        assert reader.cursor == at("first")
        await pilot.mouse_down(Reader, offset=(col, row))
        await pilot.hover(Reader, offset=(col + 17, row))
        await pilot.mouse_up(Reader, offset=(col + 17, row))
        s, e = reader.selection
        assert TEXT[s:e] == "first sentence is "


@sync
async def test_a_highlight_jump_off_screen_centres_the_highlight():
    long_text, blocks = make_doc(*[f"Paragraph {i} has a line." for i in range(200)])
    far = long_text.index("Paragraph 120 ")
    near = long_text.index("Paragraph 2 ")
    spans = [Span("a", near, near + 9, "#ff0000"), Span("b", far, far + 9, "#00ff00")]
    app = ReaderApp(long_text, blocks, spans)
    async with app.run_test(size=(60, 20)) as pilot:
        reader = app.query_one(Reader)
        await pilot.press("right_square_bracket")
        assert reader.cursor == near and reader.scroll_y == 0  # on screen: no scrolling
        await pilot.press("right_square_bracket")
        assert reader.cursor == far
        row = cursor_cells(reader)[0][0]
        assert 5 <= row <= 13  # in the middle, with the text after it in view
