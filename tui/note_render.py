"""Notes written in Markdown, drawn as styled text: one line for a row (`note_line`: bold,
italic, code, struck text, links as text + url), or with their block structure for the pane's
detail (`note_blocks`: paragraphs, lists, quotes, headings, code blocks).

A small walk over markdown-it's tokens into Rich `Text`, not Textual's Markdown widget: that
widget costs ~100 ms on the start path and lays out a widget tree per note, where a row needs
a line of text (figures in /work/notes/issue-17a.md). Every piece of the note is appended as
plain text through `for_display_line`, never parsed as markup: `[red]`, `[@click=...]`, ESC
and other control characters show as what they are. Raw HTML stays literal text
(html off), and links are never made live (a terminal hyperlink is an escape sequence the
note's author would choose).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from postil.sources.sanitise import for_display_line

if TYPE_CHECKING:
    from markdown_it.token import Token

INLINE_STYLES = {
    "strong_open": Style(bold=True),
    "em_open": Style(italic=True),
    "s_open": Style(strike=True),
    "link_open": Style(underline=True),
}
CODE = Style(reverse=True)
"""Inline code: reversed, so it reads apart without colour."""
URL = Style(dim=True)
QUOTE_BAR = "▌ "
BULLET = "• "
BLOCK_GAP = "  "
"""Between a note's blocks when it is drawn on one line."""


PLAIN = re.compile(r"[^\W\d_](?:[^\W_]|[ ,;:.'\"?()%/+=-])*")
"""A note Markdown draws as it is: one line starting with a letter (not a list marker,
quote or heading), holding no character that opens emphasis, code, a link, an entity, an
escape or raw HTML, and no space at its end. Most notes are such sentences: they are drawn
without parsing, so markdown-it is not even imported for them (~23 ms, ~2 MiB).
tests/test_note_render.py checks both ways give the same text and styles."""


def is_plain(source: str) -> bool:
    return PLAIN.fullmatch(source) is not None and source[-1] != " "


@lru_cache(maxsize=1)
def _parser():
    """markdown-it, imported when the first note is drawn rather than at start-up: importing it
    costs 23.5 ms of the 428 ms that `import postil.tui.app` takes (`python -X importtime`,
    three runs), and the first screen (tui/first_screen.py) draws no note."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("strikethrough")


@lru_cache(maxsize=1024)
def _tokens(source: str) -> tuple[Token, ...]:
    """The note's tokens, parsed once per distinct note (rows are drawn again and again)."""
    return tuple(_parser().parse(source))


def _inline(out: Text, children: list[Token], newline: Callable[[], None] | None) -> None:
    """Append an inline token run: styled spans; a soft or hard break calls `newline` (None:
    a space). A note's line breaks are kept in the detail, as comment boxes keep them."""
    styles: list[Style] = []
    href: list[tuple[str, int]] = []
    for token in children:
        kind = token.type
        style = sum(styles, Style())
        if kind in INLINE_STYLES:
            styles.append(INLINE_STYLES[kind])
            if kind == "link_open":
                href.append((str(token.attrs.get("href", "")), len(out)))
        elif kind.endswith("_close") and styles:
            styles.pop()
            if kind == "link_close" and href:
                url, start = href.pop()
                if url and url != out.plain[start:] and "mailto:" + out.plain[start:] != url:
                    out.append(f" ({for_display_line(url)})", URL)
        elif kind == "code_inline":
            out.append(for_display_line(token.content), style + CODE)
        elif kind == "image":
            alt = "".join(child.content for child in token.children or [])
            out.append(for_display_line(alt or "image"), style + Style(italic=True))
            out.append(f" (image: {for_display_line(str(token.attrs.get('src', '')))})", URL)
        elif kind in ("softbreak", "hardbreak"):
            if newline is None:
                out.append(" ", style)
            else:
                newline()
        elif token.content:
            out.append(for_display_line(token.content), style)


def note_line(source: str, width: int | None = None, style: str | Style = "") -> Text:
    """A note on one line with its inline styles (list items marked "•"), cut to `width`
    cells with "…"."""
    out = Text(style=style, no_wrap=True, end="")
    if is_plain(source):
        out.append(for_display_line(source), Style())
    else:
        _line_from_tokens(out, source)
    if width is not None and out.cell_len > width:
        out.truncate(max(1, width), overflow="ellipsis")
    return out


def _line_from_tokens(out: Text, source: str) -> None:
    started = False
    for token in _tokens(source):
        if token.type == "list_item_open":
            out.append(BLOCK_GAP if started else "")
            out.append(BULLET)
            started = False
            continue
        if token.type == "inline" or token.type in ("fence", "code_block"):
            if started:
                out.append(BLOCK_GAP)
            if token.type == "inline":
                _inline(out, token.children or [], None)
            else:
                out.append(for_display_line(" ".join(token.content.split())), CODE)
            started = True


def note_blocks(source: str) -> Text:
    """A note with its block structure: blank lines between paragraphs, "•" and "1." items
    indented by depth, "▌" before quoted lines, headings bold, code blocks reversed."""
    if is_plain(source):
        return Text(for_display_line(source), end="")
    return _blocks_from_tokens(source)


def _blocks_from_tokens(source: str) -> Text:
    out = Text(end="")
    lists: list[list[int]] = []
    """Open lists, innermost last: [next number] for an ordered list, [] for bullets."""
    quotes = 0
    bullet: str | None = None
    """The marker of a list item whose first line is not drawn yet."""
    tight = False
    heading = False

    def line_start(first: bool) -> None:
        nonlocal bullet
        out.append(QUOTE_BAR * quotes, URL)
        indent = "  " * max(0, len(lists) - 1)
        if first and bullet is not None:
            out.append(indent + bullet)
            bullet = None
        elif lists:
            out.append(indent + "  ")

    last: tuple[bool, int] | None = None
    """(tight, quote depth) of the block drawn last; None before the first."""
    list_ended = False

    def new_block() -> None:
        """A line break before the next block, and a blank line unless both sit in a tight list."""
        nonlocal last, list_ended
        if last is not None:
            together = tight and last[0] and not list_ended
            out.append("\n" if together else "\n" + (QUOTE_BAR * min(quotes, last[1])).rstrip() + "\n")
        last, list_ended = (tight, quotes), False

    for token in _tokens(source):
        kind = token.type
        if kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append([int(token.attrs.get("start", 1) or 1)] if kind == "ordered_list_open" else [])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            list_ended = not lists
        elif kind == "list_item_open":
            numbers = lists[-1] if lists else []
            bullet = f"{numbers[0]}. " if numbers else BULLET
            if numbers:
                numbers[0] += 1
        elif kind == "paragraph_open":
            tight = bool(token.hidden)
        elif kind == "inline":
            new_block()
            line_start(True)
            start = len(out)
            _inline(out, token.children or [], lambda: (out.append("\n"), line_start(False)))
            if heading:
                out.stylize("bold", start, len(out))
        elif kind in ("fence", "code_block"):
            tight = False
            new_block()
            for i, line in enumerate(token.content.rstrip("\n").split("\n")):
                if i:
                    out.append("\n")
                line_start(i == 0)
                out.append(for_display_line(line) or " ", CODE)
        elif kind == "hr":
            tight = False
            new_block()
            line_start(True)
            out.append("───", URL)
        elif kind == "heading_open":
            tight, heading = False, True
        elif kind == "heading_close":
            heading = False
    return out
