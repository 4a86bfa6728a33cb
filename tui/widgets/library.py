"""The library: a list of every source, the open one marked; choosing one opens it.

Each source is a two-line entry: the title on one line, cut with "…" where the column ends,
and a dim line with its highlight count and format. The cutting is done by the list's own
`text-wrap: nowrap; text-overflow: ellipsis` at the width it is drawn at, so the entry stays
tidy when the column narrows (focus border, an 80-column terminal, a resize) instead of
wrapping titles mid-word onto extra lines.
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sources.sanitise import for_display_line
from store.models import SourceInfo


class LibraryList(OptionList):
    """Sources by the order they were added, with their highlight counts."""

    DEFAULT_CSS = """
    LibraryList {
        width: 30; height: 1fr; border: none; border-right: tall $panel;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    class OpenSource(Message):
        """The user chose a source to read."""

        def __init__(self, source_id: int) -> None:
            super().__init__()
            self.source_id = source_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current_id: int | None = None
        self._sources: list[SourceInfo] = []
        self._room = 0
        """Columns the detail line had when the prompts were built (0: not laid out yet)."""

    def show_sources(self, sources: list[SourceInfo], current_id: int | None) -> None:
        """Replace the list, keeping the highlighted row on the open source."""
        self._sources = list(sources)
        self.current_id = current_id
        self.clear_options()
        self.add_options(Option(self._prompt(s), id=str(s.id)) for s in sources)
        self._highlight_current()

    def set_count(self, source_id: int, count: int) -> None:
        """Update one source's highlight count without reading the library again."""
        for index, source in enumerate(self._sources):
            if source.id == source_id:
                if source.highlight_count != count:
                    source.highlight_count = count
                    self.replace_option_prompt_at_index(index, self._prompt(source))
                return

    def on_resize(self) -> None:
        # Titles are cut by the list itself at any width; only the detail line picks a
        # shorter wording to fit, so rebuild the prompts when the room for it changes.
        if self._detail_room() != self._room and self._sources:
            for index, source in enumerate(self._sources):
                self.replace_option_prompt_at_index(index, self._prompt(source))

    def _detail_room(self) -> int:
        return max(0, self.scrollable_content_region.width - 2)

    def _prompt(self, source: SourceInfo) -> Content:
        """Two lines, each without a newline of its own so that neither can grow a third.

        Titles and formats are untrusted: sanitised to one line of visible glyphs, and put in
        `Content` as plain text (never parsed as markup).
        """
        current = source.id == self.current_id
        marker = "▸ " if current else "  "
        self._room = self._detail_room()
        title = for_display_line(source.title) or "(untitled)"
        return Content.assemble(
            marker,
            (title, "bold" if current else ""),
            "\n  ",
            (_detail(source, self._room), "dim"),
        )

    def _highlight_current(self) -> None:
        for index, source in enumerate(self._sources):
            if source.id == self.current_id:
                self.highlighted = index
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.OpenSource(int(event.option.id)))


def _detail(source: SourceInfo, room: int) -> str:
    """The entry's second line: the longest wording that fits in `room` columns (0: unknown).

    "3 highlights · markdown", else "3 highlights", else "3 hl" ("none yet" for none); what
    still does not fit is cut by the list like the title.
    """
    count = source.highlight_count
    words = f"{count} highlight{'s' if count != 1 else ''}" if count else "no highlights"
    kind = for_display_line(source.format or "")
    choices = [f"{words} · {kind}" if kind else words, words, f"{count} hl" if count else "none yet"]
    for choice in choices:
        if not room or len(choice) <= room:
            return choice
    return choices[-1]
