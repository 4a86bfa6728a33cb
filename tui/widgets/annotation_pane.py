"""The annotation pane: this source's highlights in document order, and the selected one in detail.

The list (tui/widgets/highlight_list.py) shows tag chips in tag colours, the first words of the
quote, a note excerpt and a link count. Under it, the detail (tui/widgets/highlight_detail.py)
shows the whole quote, note and tags, and a list of outgoing links and backlinks that `enter`
follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import AwaitMount
from textual.widgets import OptionList, Static

from postil.store.models import Highlight, LinkView
from postil.store.pages import PageLookup
from postil.tui.widgets.highlight_order import RowIndex
from postil.tui.wording import counted

if TYPE_CHECKING:
    from postil.tui.widgets.highlight_detail import HighlightDetail
    from postil.tui.widgets.highlight_list import HighlightList


class AnnotationPane(Vertical):
    """The right-hand pane; the screen pushes highlights in and hears back what was chosen."""

    DEFAULT_CSS = """
    AnnotationPane { height: 1fr; border-left: tall $panel; }
    AnnotationPane > #pane-title { height: 1; background: $panel; padding: 0 1; }
    AnnotationPane > #pane-list { height: 2fr; }
    AnnotationPane > #pane-detail { height: 1fr; border-top: tall $panel; padding: 0 1; }
    AnnotationPane #pane-links { height: auto; border: none; padding: 0; background: transparent; }
    """

    class Picked(Message):
        """The user moved to a highlight in the list (arrows): it becomes the current one."""

        def __init__(self, highlight_id: str) -> None:
            super().__init__()
            self.highlight_id = highlight_id

    class Chosen(Message):
        """The user pressed enter on a highlight: show it in the reader."""

        def __init__(self, highlight_id: str) -> None:
            super().__init__()
            self.highlight_id = highlight_id

    class FollowLink(Message):
        """The user pressed enter on a link in the detail view."""

        def __init__(self, view: LinkView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.highlights: list[Highlight] = []
        self.tag_colors: dict[str, str] = {}
        self.pages = PageLookup()
        """The open source's page map (set_pages); empty unless it is a PDF."""
        self.source_text = ""
        """The open source's text (set_text): a fuzzy anchor is shown against what it says now."""
        self.show_authors = False
        """Name who made each highlight in the list (the screen sets it when several did)."""
        self.selected_id: str | None = None
        self._index = RowIndex([], {})
        self._title = "Highlights"
        self._built = False
        self._mount: AwaitMount | None = None

    def compose(self) -> ComposeResult:
        # Nothing yet: the pane's widgets are mounted by `build`, with the first highlights
        # (right after the first screen, which has none to show). Mounting, styling and
        # drawing them first held the first screen back ~9 ms; meanwhile the pane is its
        # empty column.
        yield from ()

    def build(self) -> None:
        """Mount the pane's widgets (once): title, list, and the scrolling detail.

        The pane keeps them by reference: a container's children join the DOM only once
        it is mounted, and the screen fills them at once."""
        if self._built:
            return
        self._built = True
        # Imported here, with the first highlights (right after the first screen, see
        # compose): the list, the detail and what they draw with (note Markdown, the anchor
        # diff) were ~3 ms of every start (bench/bench_tmux.py; tui/startup.py, 'Dialogs').
        from postil.tui.widgets.highlight_detail import HighlightDetail
        from postil.tui.widgets.highlight_list import HighlightList, highlight_rows

        self._title_widget = Static(Content(self._title), id="pane-title")
        self._list = HighlightList(
            lambda h, width: highlight_rows(h, self.tag_colors, width, self.pages.label_at(h.start),
                                            author=self.show_authors),
            id="pane-list",
        )
        # The links sit right under the "Links" heading, inside the scrolling detail, so they
        # are never pushed to the pane's bottom edge (or off it on a short terminal).
        self._detail_view = HighlightDetail(id="pane-detail")
        self._mount = self.mount(self._title_widget, self._list, self._detail_view)

    async def settled(self) -> None:
        """Return once the pane's widgets (if it has started making them) are mounted and
        laid out. Textual moves the focus in the order of screen positions, which widgets
        only have once laid out: a tab pressed before that skipped the pane's list."""
        if self._mount is None:
            return
        if not self._laid_out():
            await self._mount
            await self.wait_for_refresh()
        # Awaiting a finished mount again is not free: Textual lays the screen out anew
        # (~60 ms on a full screen, paid by the first key after start-up).
        self._mount = None

    def _laid_out(self) -> bool:
        """The pane's widgets are mounted and have their places on the screen."""
        return all(widget.is_mounted and widget.region.area
                   for widget in (self._title_widget, self._list, self._detail_view))

    @property
    def option_list(self) -> HighlightList:
        self.build()
        return self._list

    @property
    def detail(self) -> HighlightDetail:
        """The detail under the list (made by `build`)."""
        self.build()
        return self._detail_view

    def show_highlights(self, highlights: list[Highlight], colors: dict[str, str],
                        by_id: dict[str, Highlight] | None = None) -> None:
        """Replace the list (document order), keeping the selection when it still exists.

        Args:
            by_id: id -> highlight for the same highlights, when the caller keeps one.
        """
        self.highlights = list(highlights)
        if colors != self.tag_colors:
            self.tag_colors = dict(colors)
            self.option_list.restyle()
        self._index = RowIndex(self.highlights, by_id if by_id is not None else {h.id: h for h in self.highlights})
        self.option_list.set_items(self.highlights, self._index)
        count = len(self.highlights)
        title = counted(count, "highlight") if count else "No highlights yet"
        if title != self._title:  # one fixed-height line: no layout pass needed
            self._title = title
            self._title_widget.update(Content(title), layout=False)
        if self.selected_id not in self._index:
            self.selected_id = None
        self._sync_list()

    def set_pages(self, pages: PageLookup) -> None:
        """The open source's page map, for "p. 4" beside each highlight (empty: no pages)."""
        self.pages = pages

    def set_text(self, text: str) -> None:
        """The open source's reading text."""
        self.source_text = text

    def select(self, highlight_id: str | None, links: list[LinkView] | None = None) -> None:
        """Make `highlight_id` the selected row and show it in detail (None clears the detail)."""
        self.build()
        self.selected_id = highlight_id if highlight_id in self._index else None
        self._sync_list()
        self._show_detail(links or [])

    def _sync_list(self) -> None:
        self.option_list.select_id(self.selected_id)

    def _show_detail(self, links: list[LinkView]) -> None:
        h = self.highlights[self._index[self.selected_id]] if self.selected_id is not None else None
        self.detail.show(h, links, self.tag_colors, self.pages, self.source_text)

    def on_highlight_list_highlighted(self, event: HighlightList.Highlighted) -> None:
        event.stop()
        self.selected_id = event.highlight_id
        self.post_message(self.Picked(event.highlight_id))

    def on_highlight_list_selected(self, event: HighlightList.Selected) -> None:
        event.stop()
        self.selected_id = event.highlight_id
        self.post_message(self.Chosen(event.highlight_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "pane-links":
            self.post_message(self.FollowLink(self.detail.links[event.option_index]))

