"""The annotation pane's list of highlights, instant with 10,000 of them (see RowList), and how
one highlight looks in it."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.content import Content
from textual.message import Message

from postil.sources.sanitise import for_display_line
from postil.store.models import Highlight
from postil.tui.note_render import note_line
from postil.tui.widgets.highlight_order import RowIndex
from postil.tui.widgets.reader_paint import NEUTRAL
from postil.tui.widgets.row_list import RowList
from postil.tui.wording import first_words

ROW = 3
"""Lines per highlight: tag chips, the quote's first words, a note excerpt (or blank)."""


def chips(tags: list[str], colors: dict[str, str]) -> list:
    """Content parts: one coloured chip per tag (or a grey one when untagged)."""
    if not tags:
        return [(" untagged ", f"#000000 on {NEUTRAL}")]
    parts: list = []
    for name in tags:
        parts += [(f" {for_display_line(name)} ", f"#000000 on {colors.get(name, NEUTRAL)}"), " "]
    return parts


def highlight_rows(h: Highlight, colors: dict[str, str], width: int = 40, page: str | None = None, *,
                   author: bool = False) -> list[Content]:
    """How one highlight looks in the list: chips and markers (and "p. 4" in a PDF; with
    `author`, who made it), quote, note excerpt."""
    parts = [" ", *chips(h.tags, colors)]
    if page:
        parts.append((f"p. {for_display_line(page)} ", "dim"))
    if author and h.author:
        parts.append((f"{first_words(h.author, 14)} ", "dim"))
    if h.note:
        parts.append(("✎ ", "bold"))
    if h.link_count:
        parts.append((f"⇄{h.link_count} ", "bold"))
    if h.anchor_status == "fuzzy":
        parts.append(("~fuzzy ", "italic"))
    elif h.anchor_status == "orphaned":
        parts.append(("orphaned ", "italic"))
    quote = Content.assemble(" ", f"“{first_words(h.quote, max(10, width - 4))}”")
    note = Content.assemble(" ", Content.from_rich_text(note_line(h.note, max(10, width - 3))).stylize("italic dim")) \
        if h.note.strip() else Content("")
    return [Content.assemble(*parts), quote, note]


class HighlightList(RowList):
    """The annotation pane's highlights, in document order, three lines each."""

    ROW_HEIGHT = ROW
    BINDINGS = [Binding("enter", "select", "show in reader", show=False)]

    class Highlighted(Message):
        """The user moved the list cursor to another highlight."""

        def __init__(self, highlight_id: str) -> None:
            super().__init__()
            self.highlight_id = highlight_id

    class Selected(Message):
        """The user pressed enter (or clicked) on a highlight."""

        def __init__(self, highlight_id: str) -> None:
            super().__init__()
            self.highlight_id = highlight_id

    def __init__(self, describe: Callable[[Highlight, int], list[Content]], *, id: str | None = None) -> None:
        super().__init__(describe, id=id)

    def set_items(self, items: list[Highlight], index: RowIndex | None = None) -> None:
        super().set_items(items, index if index is not None else RowIndex(items, {h.id: h for h in items}))

    def _moved(self, item: Highlight) -> None:
        self.post_message(self.Highlighted(item.id))

    def _chosen(self, item: Highlight) -> None:
        self.post_message(self.Selected(item.id))
