"""The header line over the reader: source title, reading position and highlight counts per tag."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from postil.sources.sanitise import for_display_line


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
            label = f"{pending} write{'s' if pending != 1 else ''} pending"
        else:
            label = ""
        if label != self._writes:
            self._writes = label
            self._redraw()

    def header_content(self) -> Content:
        block, blocks, percent, page = self._position
        parts: list = [(self._title or "no source", "bold")]
        if self._writes:
            parts += ["  ", (f" {self._writes} ", "bold reverse")]
        if blocks:
            parts.append(f"  ·  ¶ {block} of {blocks} · {percent}%")
        if page:
            parts.append(f" · p. {for_display_line(page)}")
        if self._counts:
            parts.append("  · ")
        for name, color, count in self._counts:
            parts += [" ", ("■", color), f" {for_display_line(name)} {count}"]
        if self._team:
            parts.append((f"  ·  {self._team}", "dim"))
        return Content.assemble(*parts)

    def _redraw(self) -> None:
        # One line of fixed height and width: a repaint, never a layout pass of the screen.
        self.update(self.header_content(), layout=False)
