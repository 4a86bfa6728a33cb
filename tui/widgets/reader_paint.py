"""Turning one wrapped line of the reading text into a Strip: highlights, cursor, selection.

Kept apart from the widget so the widget file holds input and scrolling only. Segments are
built directly from sanitised text (never parsed as markup), so `[bold]x[/]` shows literally
and no control character reaches the terminal.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter, sub
from typing import Iterable, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from postil.tui.widgets.reader_layout import Layout
from postil.tui.widgets.reader_wrap import char_cells

NEUTRAL = "#808080"
"""Colour of a highlight without tags (in the reader, the pane's chips and the tag counts)."""


class Span(NamedTuple):
    """A highlight as the reader paints it. (A named tuple: made 10,000 times when a big
    source opens, and making the class costs a quarter of a frozen dataclass at import.)"""

    id: str
    start: int
    end: int
    color: str
    """"#rrggbb" of the first tag (or a neutral colour when untagged)."""
    has_note: bool = False
    has_links: bool = False
    fuzzy: bool = False
    """The anchor was found again only approximately: drawn italic and underlined."""
    mark: int = 0
    """Whose it is: 0 mine (plain), 1, 2, ... another reviewer's (reader_paint.REVIEWER_MARKS)."""


COMPONENT_CLASSES = {
    "reader--cursor",
    "reader--selection",
    "reader--heading",
    "reader--code",
    "reader--quote",
    "reader--table",
    "reader--prefix",
    "reader--flash",
    "reader--match",
    "reader--match-current",
}
"""The reader's styles, from its CSS (so the theme controls them); `paint_styles` reads them."""

READER_CSS = """
Reader { scrollbar-gutter: stable; overflow-x: hidden; }
Reader > .reader--cursor { text-style: reverse; }
Reader > .reader--selection { background: $accent 45%; }
Reader > .reader--heading { text-style: bold; color: $text-primary; }
Reader > .reader--code { color: $text-muted; }
Reader > .reader--quote { color: $text-muted; text-style: italic; }
Reader > .reader--table { color: $text; }
Reader > .reader--prefix { color: $text-muted; }
Reader > .reader--flash { background: $warning 60%; }
Reader > .reader--match { background: $warning 30%; }
Reader > .reader--match-current { background: $warning 75%; text-style: bold; }
"""

GUTTER = 2
"""Cells left of the text: a marker where a highlight with a note or links ends."""
_LONG = 4096
NOTE_MARK = "\u25c6"  # ◆
LINK_MARK = "\u2197"  # ↗
BOTH_MARK = "\u2726"  # ✦
ORPHAN_MARK = "\u25cc"  # ◌ carries a combining mark that starts a line
REVIEWER_MARKS = (Style(underline=True), Style(underline2=True), Style(overline=True),
                  Style(underline=True, overline=True))
"""Other reviewers' highlights (Span.mark 1, 2, ...): the tag keeps its colour, the line style tells whose."""


class SpanIndex:
    """Highlights sorted by start, so a line finds its spans with a bisect, not a full scan.

    Spans longer than `_LONG` characters are few and kept aside (scanned for every line);
    for the rest, a span touching [a, b) must start in [a - longest, b).
    """

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = sorted(spans, key=attrgetter("start"))
        self.starts = list(map(attrgetter("start"), self.spans))
        lengths = list(map(sub, map(attrgetter("end"), self.spans), self.starts))
        self._longest = max(lengths, default=0)
        self._short, self._short_starts, self._long = list(self.spans), list(self.starts), []
        if self._longest > _LONG:  # rare: keep the few long ones out of the bisect window
            self._short = [s for s, n in zip(self.spans, lengths) if n <= _LONG]
            self._long = [s for s, n in zip(self.spans, lengths) if n > _LONG]
            self._short_starts = [s.start for s in self._short]
            self._longest = max((s.end - s.start for s in self._short), default=0)

    def add(self, span: Span) -> None:
        """Put one more span in (after those with the same start, as a rebuild would)."""
        i = bisect_right(self.starts, span.start)
        self.spans.insert(i, span)
        self.starts.insert(i, span.start)
        length = span.end - span.start
        if length > _LONG:
            self._long.append(span)
            return
        j = bisect_right(self._short_starts, span.start)
        self._short.insert(j, span)
        self._short_starts.insert(j, span.start)
        self._longest = max(self._longest, length)

    def remove(self, span: Span) -> bool:
        """Take out the span with `span.id` (found by its start); False if it is not here.

        `_longest` may stay larger than needed: it only widens the window `overlapping` scans.
        """
        if not _pop_by_id(self.spans, self.starts, span):
            return False
        if not _pop_by_id(self._short, self._short_starts, span):
            self._long = [s for s in self._long if s.id != span.id]
        return True

    def overlapping(self, a: int, b: int) -> list[Span]:
        """Spans with at least one character in [a, b) (or, if empty, starting at a)."""
        lo = bisect_left(self._short_starts, a - self._longest)
        hi = bisect_left(self._short_starts, b)
        found = [s for s in self._short[lo:hi] if s.end > a or s.start == s.end == a]
        found.extend(s for s in self._long if s.start < b and s.end > a)
        return found

    def at(self, offset: int) -> list[Span]:
        """Spans covering offset, innermost (shortest) first."""
        spans = [s for s in self.overlapping(offset, offset + 1) if s.start <= offset < s.end]
        return sorted(spans, key=lambda s: (s.end - s.start, -s.start))

    def next_start(self, offset: int) -> int | None:
        i = bisect_left(self.starts, offset + 1)
        return self.starts[i] if i < len(self.starts) else None

    def prev_start(self, offset: int) -> int | None:
        i = bisect_left(self.starts, offset) - 1
        return self.starts[i] if i >= 0 else None


def _pop_by_id(spans: list[Span], starts: list[int], span: Span) -> bool:
    i = bisect_left(starts, span.start)
    while i < len(starts) and starts[i] == span.start:
        if spans[i].id == span.id:
            del spans[i]
            del starts[i]
            return True
        i += 1
    return False


@dataclass
class PaintStyles:
    """Rich styles resolved from the widget's component classes for one theme."""

    base: Style
    kinds: dict[str, Style]
    prefix: Style
    cursor: Style
    selection: Style
    flash: Style
    match: Style = field(default_factory=Style)
    """Other matches of the find bar's query."""
    match_current: Style = field(default_factory=Style)
    """The match the cursor is on (bold too, so it is not told by colour alone)."""
    overlap: Style = field(default_factory=lambda: Style(underline=True))
    fuzzy: Style = field(default_factory=lambda: Style(italic=True, underline=True))
    highlight_bg: dict[tuple[str, bool], Style] = field(default_factory=dict)
    blend: object = None
    """Callable (colour, fuzzy) -> Style with the blended background."""

    def highlight(self, color: str, fuzzy: bool) -> Style:
        key = (color, fuzzy)
        style = self.highlight_bg.get(key)
        if style is None:
            style = self.highlight_bg[key] = self.blend(color, fuzzy)  # type: ignore[operator]
        return style


def paint_styles(get: Callable[..., Style], base: Style) -> PaintStyles:
    """Resolve the component classes (`get` is the widget's get_component_rich_style) over
    the widget's own style `base`."""
    background = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)

    def blend(color: str, fuzzy: bool) -> Style:
        try:
            tint = Color.parse(color)
        except Exception:
            tint = Color.parse(NEUTRAL)
        return Style(bgcolor=background.blend(tint, 0.25 if fuzzy else 0.42).rich_color)

    current = get("reader--match-current")
    return PaintStyles(
        base=base,
        kinds={
            "heading": get("reader--heading", partial=True),
            "code": get("reader--code", partial=True),
            "quote": get("reader--quote", partial=True),
            "table_row": get("reader--table", partial=True),
        },
        prefix=get("reader--prefix", partial=True),
        cursor=get("reader--cursor", partial=True),
        selection=Style(bgcolor=get("reader--selection").bgcolor),
        flash=Style(bgcolor=get("reader--flash").bgcolor),
        match=Style(bgcolor=get("reader--match").bgcolor),
        match_current=Style(bgcolor=current.bgcolor, bold=current.bold),
        blend=blend,
    )


def _draw(disp: str, rel_a: int, rel_b: int, col: int, line_start: bool) -> tuple[str, int]:
    """Display string for disp[rel_a:rel_b] starting at text column col; returns (str, end col)."""
    chunk = disp[rel_a:rel_b]
    if chunk.isascii() and "\t" not in chunk and "\n" not in chunk:
        return chunk, col + len(chunk)
    out = []
    for i, ch in enumerate(chunk):
        w = char_cells(ch, col)
        if ch == "\t":
            out.append(" " * w)
        elif ch == "\n":
            out.append(" ")
        elif w == 0 and line_start and i == 0:
            # A combining mark with nothing before it on the line is drawn on a dotted circle,
            # as Unicode's code charts show one: the ◌ and the mark fill one cell together.
            out.append(ORPHAN_MARK + ch)
            w = 1
        elif ch == "\ufe0f":
            continue  # would make the terminal widen the character before it
        else:
            out.append(ch)
        col += w
    return "".join(out), col


def paint_line(
    layout: Layout,
    u: int,
    li: int,
    width: int,
    styles: PaintStyles,
    spans: SpanIndex,
    cursor: int | None,
    selection: tuple[int, int] | None,
    flash: tuple[int, int] | None,
    matches: Sequence[tuple[int, int]] = (),
    current: tuple[int, int] | None = None,
) -> Strip:
    """Render line `li` of unit `u` as a Strip `width` cells wide (gutter included).

    Args:
        matches: the find query's matches on this line (clipped to it), `current` among them.
    """
    unit = layout.units[u]
    a, b = layout.line_span(u, li)
    disp = layout.display(u)
    kind_style = styles.base + styles.kinds.get(unit.kind, Style())
    line_spans = spans.overlapping(a, b)
    segments: list[Segment] = []
    # Gutter: a marker for each highlight with a note or links ending on this line.
    marker = ""
    for span in line_spans:
        if (span.has_note or span.has_links) and a < span.end <= b:
            glyph = BOTH_MARK if span.has_note and span.has_links else NOTE_MARK if span.has_note else LINK_MARK
            marker = glyph
            marker_style = styles.base + Style.parse(span.color) if span.color.startswith("#") else styles.base
    if marker:
        segments.append(Segment(marker + " ", marker_style))
    else:
        segments.append(Segment(" " * GUTTER, styles.base))
    prefix = layout.line_prefix(u, li)
    if prefix:
        segments.append(Segment(prefix, styles.base + styles.prefix))
    # Cut the line wherever some style starts or stops, then style each piece once.
    points = {a, b}
    for span in line_spans:
        points.add(min(max(span.start, a), b))
        points.add(min(max(span.end, a), b))
    for rng in (selection, flash, *matches):
        if rng:
            points.add(min(max(rng[0], a), b))
            points.add(min(max(rng[1], a), b))
    if cursor is not None and a <= cursor < b:
        points.add(cursor)
        end = cursor + 1
        while end < b and char_cells(disp[end - unit.start], 1) == 0 and disp[end - unit.start] not in "\t\n":
            end += 1  # the cursor cell carries the marks drawn on its character
        points.add(end)
        cursor_range = (cursor, end)
    else:
        cursor_range = None
    # Blank cells that line a table row up with its neighbours: drawn, mapped to no character.
    pads = dict(layout.pads(u, li)) if unit.kind == "table_row" else {}
    points.update(pads)
    if unit.kind == "table_row" and unit.block >= 0 and (layout.units.blocks[unit.block].meta or {}).get("header"):
        kind_style = kind_style + Style(bold=True)

    def style_of(p: int, q: int) -> Style:
        """Style of text drawn over [p, q): the piece starting at p, or padding between p-1 and q."""
        style = kind_style
        covering = [s for s in line_spans if s.start <= p < s.end and s.end >= q]
        if covering:
            inner = min(covering, key=lambda s: (s.end - s.start, -s.start))
            style = style + styles.highlight(inner.color, inner.fuzzy)
            if len(covering) > 1:
                style = style + styles.overlap
            if inner.fuzzy:
                style = style + styles.fuzzy
            if inner.mark:
                style = style + REVIEWER_MARKS[(inner.mark - 1) % len(REVIEWER_MARKS)]
        for m in matches:
            if m[0] <= p and q <= m[1]:
                style = style + (styles.match_current if m == current else styles.match)
        if selection and selection[0] <= p and q <= selection[1]:
            style = style + styles.selection
        if flash and flash[0] <= p and q <= flash[1]:
            style = style + styles.flash
        return style

    cuts = sorted(points)
    col = 0
    base = unit.start
    for p, q in zip(cuts, cuts[1:]):
        if p in pads:
            # Padding belongs to a highlight or selection only when it runs on across it.
            segments.append(Segment(" " * pads[p], style_of(p - 1, p + 1) if p > a else kind_style))
            col += pads[p]
        text, col = _draw(disp, p - base, q - base, col, p == a)
        if not text:
            continue
        style = style_of(p, p + 1)
        if cursor_range and cursor_range[0] <= p < cursor_range[1]:
            style = style + styles.cursor
        segments.append(Segment(text, style))
    return Strip(segments).crop_extend(0, width, styles.base)
