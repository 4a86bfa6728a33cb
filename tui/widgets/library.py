"""The library: a list of every source, the open one marked; choosing one opens it.

Each source is a two-line entry: the title on one line, cut with "…" where the column ends,
and a dim line with its highlight count and format. Lines are cut at the width they are
drawn at, so an entry stays tidy when the column narrows (focus border, an 80-column
terminal, a resize) instead of wrapping titles mid-word onto extra lines.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message

from postil.sources.sanitise import for_display_line
from postil.store.models import SourceInfo
from postil.tui.widgets.row_list import RowList
from postil.tui.wording import counted


class LibraryList(RowList):
    """Sources by the order they were added, with their highlight counts."""

    ROW_HEIGHT = 2
    # As Textual's OptionList looks (which this list was), with a rule on its right.
    DEFAULT_CSS = """
    LibraryList {
        height: 1fr; padding: 0 1;
        color: $foreground; background: $surface;
        border: none; border-right: tall $panel;
        &:focus { border: tall $border; background-tint: $foreground 5%; }
        & > .row-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .row-list--cursor-blurred { color: $foreground; background: $block-cursor-blurred-background; }
    }
    """

    BINDINGS = [
        Binding("B", "edit('record')", "record", show=False),
        Binding("M", "edit('memo')", "memo", show=False),
    ]

    class OpenSource(Message):
        """The user chose a source to read."""

        def __init__(self, source_id: int) -> None:
            super().__init__()
            self.source_id = source_id

    class Edit(Message):
        """The user asked to edit the record ("record") or memo ("memo") of the source under the cursor."""

        def __init__(self, source_id: int, what: str) -> None:
            super().__init__()
            self.source_id = source_id
            self.what = what

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self._describe, id=id)
        self.current_id: int | None = None
        self._sources: list[SourceInfo] = []

    def show_sources(self, sources: list[SourceInfo], current_id: int | None) -> None:
        """Replace the list, the list cursor on the open source."""
        self._sources = list(sources)
        self.current_id = current_id
        self.set_items(self._sources)
        self.restyle()  # the marker moved, or titles and counts changed
        self.select_id(current_id)

    def set_count(self, source_id: int, count: int) -> None:
        """Update one source's highlight count without reading the library again."""
        for source in self._sources:
            if source.id == source_id:
                if source.highlight_count != count:
                    source.highlight_count = count
                    self.redescribe(source_id)
                return

    def _describe(self, source: SourceInfo, width: int) -> list[Content]:
        """The title line and the detail line.

        Titles and formats are untrusted: sanitised to one line of visible glyphs, and put in
        `Content` as plain text (never parsed as markup).
        """
        current = source.id == self.current_id
        title = for_display_line(source.title) or "(untitled)"
        return [
            Content.assemble("▸ " if current else "  ", (title, "bold" if current else "")),
            Content.assemble("  ", (_detail(source, max(0, width - 2)), "dim")),
        ]

    def _chosen(self, source: SourceInfo) -> None:
        self.post_message(self.OpenSource(source.id))

    def action_edit(self, what: str) -> None:
        source_id = self.highlighted_id
        if source_id is not None:
            self.post_message(self.Edit(source_id, what))


def _detail(source: SourceInfo, room: int) -> str:
    """The entry's second line: the longest wording that fits in `room` columns (0: unknown).

    "3 highlights · markdown", else "3 highlights", else "3 marked" ("none yet" for none); what
    still does not fit is cut by the list like the title.
    """
    count = source.highlight_count
    words = counted(count, "highlight") if count else "no highlights"
    kind = for_display_line(source.format or "")
    choices = [f"{words} · {kind}" if kind else words, words, f"{count} marked" if count else "none yet"]
    for choice in choices:
        if not room or len(choice) <= room:
            return choice
    return choices[-1]
