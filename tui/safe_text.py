"""Fuzzy-match highlighting that never parses markup.

`textual.fuzzy.Matcher.highlight` builds its result with `Content.from_markup(candidate)`,
so a tag or title containing "[b]" would be interpreted. This does the same highlighting on
a plain `Content` instead.
"""

from __future__ import annotations

from textual.content import Content
from textual.fuzzy import Matcher

from postil.sources.sanitise import for_display_line


def highlight_matches(matcher: Matcher, candidate: str, style: str = "bold underline") -> Content:
    """`candidate` (made safe to draw) with the characters the matcher matched emphasised."""
    shown = for_display_line(candidate)
    content = Content(shown)
    if not matcher.query:
        return content
    score, offsets = matcher.fuzzy_search.match(matcher.query, shown)
    if not score:
        return content
    for offset in offsets:
        if offset < len(shown) and not shown[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content
