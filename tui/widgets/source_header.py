"""The header line over the reader: source title, reading position and highlight counts per tag."""

from __future__ import annotations

from collections.abc import Iterator

from textual.content import Content
from textual.widgets import Static

from postil.sources.sanitise import for_display_line
from postil.tui.wording import counted


class SourceHeader(Static):
    """One line: "Title · ¶ 3 of 41 · 7% · p. 4 · ■ mechanism 2 ■ caveat 1" (the page, by
    its label, only for a paged source: a PDF).

    Everything shown comes from the store and may hold markup-like text, so it is built as
    `Content` pieces and never parsed.
    """

    DEFAULT_CSS = """
    SourceHeader { height: 1; width: 1fr; background: $panel; color: $foreground; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._title = ""
        self._position: tuple[int, int, int, str | None] = (0, 0, 0, None)
        self._counts: list[tuple[str, str, int]] = []
        self._team = ""
        self._writes = ""

    def set_source(self, title: str) -> None:
        self._title = for_display_line(title)
        self._redraw()

    def set_position(self, block: int, blocks: int, percent: int, page: str | None = None) -> None:
        """Where the cursor is; `page` the label of its page in a PDF, else None."""
        if (block, blocks, percent, page) != self._position:
            self._position = (block, blocks, percent, page)
            self._redraw()

    def set_counts(self, counts: list[tuple[str, str, int]]) -> None:
        """Counts as (tag name, colour, count), in tag order; zero counts are left out."""
        self._counts = [c for c in counts if c[2]]
        self._redraw()

    def set_team(self, label: str) -> None:
        """The team line's text ("team synced 10:42"), empty without a team."""
        self._team = for_display_line(label)
        self._redraw()

    def set_writes(self, pending: int, read_only: str | None = None) -> None:
        """Writes waiting for a busy database ("2 writes pending"), or why it cannot be
        written at all ("read-only (its folder /x cannot be written)"). Shown right after
        the title, so that it stays in view on a narrow terminal."""
        if read_only:
            label = f"read-only ({for_display_line(read_only)})"
        elif pending:
            label = f"{counted(pending, 'write')} pending"
        else:
            label = ""
        if label != self._writes:
            self._writes = label
            self._redraw()

    def header_content(self, width: int | None = None) -> Content:
        """The line, fitted to `width` cells (default: the header's own width, once known).

        What gives way on a narrow terminal, in this order: the team, the tags' names (the
        counts stay beside their colours), then the last tags (counted in "+2"). The title,
        pending writes and position never do (a lone "■" at 60 columns said nothing).
        """
        if width is None:
            width = self.content_size.width or None
        block, blocks, percent, page = self._position
        head: list = [(self._title or "no source", "bold")]
        if self._writes:
            head += ["  ", (f" {self._writes} ", "bold reverse")]
        if blocks:
            head.append(f"  ·  ¶ {block} of {blocks} · {percent}%")
        if page:
            head.append(f" · p. {for_display_line(page)}")
        team = [(f"  ·  {self._team}", "dim")] if self._team else []
        named = [[" ", ("■", color), f" {for_display_line(name)} {count}"] for name, color, count in self._counts]
        bare = [[" ", ("■", color), f"{count}"] for _, color, count in self._counts]
        lead = ["  · "] if self._counts else []

        def line(tags: list[list], more: int = 0, with_team: bool = False) -> Content:
            pieces = head + (lead if tags or more else []) + [piece for tag in tags for piece in tag]
            if more:
                pieces.append(f" +{more}")
            return Content.assemble(*pieces, *(team if with_team else []))

        def tries() -> Iterator[Content]:
            # Made one at a time: this runs on every cursor move, and the first usually fits.
            yield line(named, with_team=True)
            yield line(named)
            yield line(bare)
            for keep in range(len(bare) - 1, -1, -1):
                yield line(bare[:keep], len(bare) - keep)

        candidate = Content("")
        for candidate in tries():
            if width is None or candidate.cell_length <= width:
                break
        return candidate

    def on_resize(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        # One line of fixed height and width: a repaint, never a layout pass of the screen.
        self.update(self.header_content(), layout=False)
