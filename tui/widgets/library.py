"""The library: a list of every source, the open one marked; choosing one opens it."""

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
    LibraryList { width: 30; height: 1fr; border: none; border-right: tall $panel; }
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

    def _prompt(self, source: SourceInfo) -> Content:
        marker = "▸ " if source.id == self.current_id else "  "
        count = source.highlight_count
        detail = f"{count} highlight{'s' if count != 1 else ''}" if count else "no highlights"
        title = for_display_line(source.title) or "(untitled)"
        room = max(8, (self.size.width or 30) - 5)
        if len(title) > room:
            title = title[: room - 1] + "…"
        return Content.assemble(
            marker,
            (title, "bold" if source.id == self.current_id else ""),
            "\n  ",
            (detail, "dim"),
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
