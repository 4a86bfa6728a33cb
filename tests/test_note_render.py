"""Notes in Markdown drawn as styled text (tui/note_render.py): rows and the detail view."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from postil.store.models import Link, LinkView
from postil.tui import note_render
from postil.tui.note_render import note_blocks, note_line
from postil.tui.widgets.highlight_detail import link_prompt


def styles_of(text, needle: str) -> list[str]:
    """The styles over the first occurrence of `needle` in a rendered Text."""
    start = text.plain.index(needle)
    return [str(span.style) for span in text.spans if span.start <= start and span.end >= start + len(needle)]


def test_a_row_shows_inline_styles_and_links_as_text_and_url():
    line = note_line("**Big** claim, _maybe_: see `n=19` and [the trial](https://ex.org/t) ~~not~~")
    assert line.plain == "Big claim, maybe: see n=19 and the trial (https://ex.org/t) not"
    assert "bold" in styles_of(line, "Big")
    assert "italic" in styles_of(line, "maybe")
    assert "reverse" in styles_of(line, "n=19")
    assert "underline" in styles_of(line, "the trial")
    assert "strike" in styles_of(line, "not")
    assert note_line("<https://ex.org>").plain == "https://ex.org"  # an autolink is not said twice


def test_a_row_is_one_line_cut_to_its_width():
    line = note_line("First paragraph.\n\n- one\n- two\n\nlast\nline", width=30)
    assert "\n" not in line.plain and line.cell_len <= 30 and line.plain.endswith("…")
    assert note_line("First paragraph.\n\n- one\n- two").plain == "First paragraph.  • one  • two"


def test_the_detail_keeps_paragraphs_lists_quotes_and_line_breaks():
    note = "Why it matters\nin two lines.\n\n1. first\n2. second\n   - nested\n\n> quoted\n> still\n\n# Heading\n\n```\nx = 1\n```"
    text = note_blocks(note)
    assert text.plain.split("\n") == [
        "Why it matters", "in two lines.", "",
        "1. first", "2. second", "  • nested", "",
        "▌ quoted", "▌ still", "",
        "Heading", "",
        "x = 1",
    ]
    assert "bold" in styles_of(text, "Heading")
    assert "reverse" in styles_of(text, "x = 1")


HOSTILE = "[red]red[/] [@click=app.quit]q[/] [bold]b \x1b[31mesc\x1b[0m \x07bel <script>x</script> \u202eflip"


def test_a_note_never_becomes_markup_or_escape_sequences():
    for text in (note_line(HOSTILE), note_blocks(HOSTILE), note_blocks(f"- {HOSTILE}\n\n> `{HOSTILE}`")):
        plain = text.plain
        assert "[red]red[/]" in plain and "[@click=app.quit]q[/]" in plain and "<script>x</script>" in plain
        assert not any(ord(ch) < 32 and ch != "\n" or 0x7F <= ord(ch) < 0xA0 or ch == "\u202e" for ch in plain)
        console = Console(force_terminal=True, color_system="truecolor", width=200)
        with console.capture() as captured:
            console.print(text)
        drawn = captured.get()
        # The note's ESC is a visible glyph; what reaches the terminal is Rich's own styling,
        # never a hyperlink or a bell.
        assert "␛[31mesc" in plain
        assert "\x1b]8;" not in drawn and "\x07" not in drawn


CONTROL = {chr(c) for c in range(0x20) if c != 0x0A} | {"\x7f"} | {chr(c) for c in range(0x80, 0xA0)}


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
@settings(max_examples=300, deadline=None)
def test_no_note_draws_a_control_character_or_markup(note):
    """Whatever a reviewer (or a teammate's file) puts in a note, the drawn text holds no
    escape or control character (newlines only between the detail's lines), and Rich markup
    in it stays text: the spans come from the Markdown alone, never from `[...]`."""
    for drawn in (note_line(note), note_blocks(note)):
        assert not CONTROL & set(drawn.plain)
        assert all("link" not in str(span.style) for span in drawn.spans)
    assert "\n" not in note_line(note).plain


@given(st.from_regex(r"[A-Za-z]{3,12}", fullmatch=True))
def test_a_plain_word_survives_rendering(word):
    """A note's words are drawn, whatever Markdown surrounds them."""
    for source in (word, f"**{word}**", f"- {word}", f"> {word}", f"[{word}](https://x.org)", f"[red]{word}[/]"):
        assert word in note_line(source).plain and word in note_blocks(source).plain


def test_a_links_note_in_the_pane_is_drawn_as_markdown():
    """Found in the tryout: the pane drew a link's note "see **both**" with its stars."""
    link = Link("l1", "a", "b", "supports", "see **both**, not [red]this[/]", "ana", "2026-01-01")
    view = LinkView(link, "out", "b", "the other quote", 2, "Other source")
    drawn = link_prompt(view, 60)
    assert "see both, not [red]this[/]" in drawn.plain and "**" not in drawn.plain
    assert any("bold" in str(span.style) for span in drawn.spans
               if drawn.plain[span.start:span.end] == "both")


PIECES = ["a", "Zé", "9", " ", "  ", ",", ";", ":", ".", "'", '"', "?", "(", ")", "%", "/", "+", "=", "-",
          "*", "**", "_", "`", "[x](y)", "&amp;", "<b>", "\\", "~~", "#", ">", "|", "\n", "1."]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map(lambda pieces: "a" + "".join(pieces)))
def test_a_plain_note_is_drawn_as_markdown_would_draw_it(note):
    # Plain notes skip the parser (markdown-it is not even imported for them): the fast
    # way must give the very text and styles the parser's way gives.
    if not note_render.is_plain(note):
        return
    parsed = Text(no_wrap=True, end="")
    note_render._line_from_tokens(parsed, note)
    drawn = note_line(note)
    assert (drawn.plain, drawn.spans) == (parsed.plain, parsed.spans)
    blocks = note_render._blocks_from_tokens(note)
    assert (note_blocks(note).plain, note_blocks(note).spans) == (blocks.plain, blocks.spans)


def test_what_is_plain():
    assert note_render.is_plain("Small n; see Smith et al. (2019), p. 4 - 50% relapsed?")
    for marked in ("1. a list", "- item", "> quoted", "# heading", "a *word*", "a_b", "x `c`", "see [t](u)",
                   "AT&amp;T", "a <b>", "back\\slash", "~~s~~", "two\nlines", "ends ", "2019 study"):
        assert not note_render.is_plain(marked), marked
