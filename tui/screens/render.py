"""Small helpers the secondary screens share to draw untrusted text safely.

Every quote, note, title and tag name comes from a user or a source file, so it goes through
`for_display_line` (control, bidi and zero-width characters become visible glyphs) and is
wrapped in a Rich `Text`, which is never parsed as markup. DataTable and OptionList accept
`Text` directly; a plain `str` there would be parsed as markup.
"""

from __future__ import annotations

from rich.color import Color, ColorParseError
from rich.style import Style
from rich.text import Text

from postil.sources.sanitise import for_display_line


def clip(text: str, width: int) -> str:
    """At most `width` characters of one line, with an ellipsis when cut."""
    text = for_display_line(text)
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def plain(text: str, width: int | None = None, style: str | Style = "") -> Text:
    """Untrusted text as one sanitised line of Rich Text (never markup)."""
    line = clip(text, width) if width else for_display_line(text)
    return Text(line, style=style, no_wrap=True, end="")


def color_style(color: str, *, background: bool = False) -> Style:
    """A style for a stored tag colour; an unparsable colour gives a plain style, not a crash."""
    try:
        parsed = Color.parse(color)
    except ColorParseError:
        return Style()
    return Style(bgcolor=parsed, color="black") if background else Style(color=parsed)


def swatch(color: str) -> Text:
    """Two cells of the tag's colour."""
    return Text("  ", style=color_style(color, background=True), end="")


def tag_chips(tags: list[str], colors: dict[str, str]) -> Text:
    """Tag names as coloured chips: ` caveat ` on the tag's colour."""
    chips = Text(end="")
    for index, name in enumerate(tags):
        if index:
            chips.append(" ")
        chips.append(f" {for_display_line(name)} ", style=color_style(colors.get(name, ""), background=True))
    return chips


def emphasised(text: str, spans: list[tuple[int, int]], width: int | None = None) -> Text:
    """A sanitised line with the character ranges `spans` in bold reverse-free emphasis.

    Sanitising is one-for-one, so spans computed on the raw text stay valid.
    """
    line = Text(for_display_line(text), no_wrap=True, end="")
    for start, end in spans:
        line.stylize("bold underline", start, end)
    if width and len(line) > width:
        line.truncate(width, overflow="ellipsis")
    return line
