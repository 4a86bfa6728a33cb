"""The annotation pane: this source's highlights in document order, and the selected one in detail.

The list shows tag chips in tag colours, the first words of the quote, a note excerpt and a
link count. Under it, the detail view shows the whole quote, note and tags, and a list of
outgoing links and backlinks that `enter` follows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import AwaitMount
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from postil.sources.sanitise import for_display_line
from postil.store.models import Highlight, LinkView
from postil.store.pages import PageLookup
from postil.tui.note_render import note_blocks, note_line
from postil.tui.widgets.anchor_diff import anchor_parts
from postil.tui.widgets.highlight_list import HighlightList, RowIndex

NEUTRAL = "#808080"
"""Colour of a highlight without tags."""


def first_words(text: str, width: int = 60) -> str:
    """The start of a quote or note on one line, whitespace folded, safe to draw."""
    folded = for_display_line(" ".join((text or "").split()))
    return folded if len(folded) <= width else folded[: width - 1].rstrip() + "…"


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
    """How one highlight looks in the pane list: chips and markers (and "p. 4" in a PDF;
    with `author`, who made it), quote, note excerpt."""
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
        self._links: list[LinkView] = []
        self._title = "Highlights"
        self._detail: Content | None = None
        """What the detail text shows now (updating it with the same content would re-lay out the pane)."""
        self._built = False
        self._link_list: OptionList | None = None
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
        self._title_widget = Static(Content(self._title), id="pane-title")
        self._list = HighlightList(
            lambda h, width: highlight_rows(h, self.tag_colors, width, self.pages.label_at(h.start),
                                            author=self.show_authors),
            id="pane-list",
        )
        self._detail_text = Static(Content("No highlight under the cursor."), id="pane-detail-text")
        # The links sit right under the "Links" heading, inside the scrolling detail, so they
        # are never pushed to the pane's bottom edge (or off it on a short terminal). Their
        # list (#pane-links) is made with the first links shown: most highlights have none.
        self._detail_view = VerticalScroll(self._detail_text, id="pane-detail")
        self._mount = self.mount(self._title_widget, self._list, self._detail_view)
        self.call_after_refresh(self.on_resize)  # the detail's height is known once laid out

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
        title = f"{count} highlight{'s' if count != 1 else ''}" if count else "No highlights yet"
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
        text = self._detail_text
        link_list = self._link_list
        had_links = bool(self._links)
        self._links = list(links)
        if link_list is not None and (had_links or links):
            link_list.clear_options()
        self._fill_detail(text, with_links=bool(links) and self.selected_id is not None)
        if self.selected_id is None:
            self._set_detail(text, Content("No highlight under the cursor."))
            if link_list is not None:
                link_list.display = False
            return
        h = self.highlights[self._index[self.selected_id]]
        parts: list = chips(h.tags, self.tag_colors)
        unsure = anchor_parts(h.anchor_status, h.quote, self.source_text[h.start:h.end])
        parts += ["\n\n", *(unsure or [(for_display_line(" ".join(h.quote.split())), "italic")])]
        if h.note:
            parts += ["\n\n", ("Note", "bold"), "\n", Content.from_rich_text(note_blocks(h.note))]
        page = self.pages.label_at(h.start)
        if page:
            parts += ["\n\n", (f"p. {for_display_line(page)}", "bold")]
        parts += ["\n\n", (f"{h.author or 'unknown'} · {h.created_at[:16].replace('T', ' ')}", "dim")]
        if h.anchor_status != "anchored":
            parts += [("  · anchor " + h.anchor_status, "dim")]
        if links:
            parts += ["\n\n", ("Links", "bold"), ("  tab here, enter follows", "dim")]
        self._set_detail(text, Content.assemble(*parts))
        width = max(20, (self.size.width or 46) - 6)  # border, padding and the list's own margin
        options = [Option(link_prompt(v, width), id=v.link.id) for v in links]
        if link_list is None:
            if options:
                self._link_list = OptionList(*options, id="pane-links")
                if self._detail_view.is_mounted:
                    self._detail_view.mount(self._link_list)
                else:  # the pane was built a moment ago
                    self.call_after_refresh(self._detail_view.mount, self._link_list)
            return
        link_list.add_options(options)
        link_list.display = bool(links)

    def _fill_detail(self, text: Static, *, with_links: bool) -> None:
        """Let the detail text fill the detail view when no links follow it.

        A change in the text's height makes Textual lay out and repaint the whole screen
        (30-100 ms with a big source open), and every new highlight changes what the detail
        shows. Filling the view gives most details the same height (the view's), so they only
        repaint. With links, the links must sit right under the text, so it keeps its own
        height then.
        """
        view = self._detail_view.scrollable_content_region.height
        floor = 0 if with_links else view
        if text.styles.min_height is None or text.styles.min_height.value != floor:
            text.styles.min_height = floor

    def on_resize(self) -> None:
        if not self._built:
            return
        self._fill_detail(self._detail_text, with_links=bool(self._links))

    def _set_detail(self, text: Static, content: Content) -> None:
        if content == self._detail:
            return
        width = text.content_region.width
        floor = int(text.styles.min_height.value) if text.styles.min_height is not None else 0
        same_height = (
            width > 0
            and text.size.height == max(floor, len(content.wrap(width)))
        )
        self._detail = content
        text.update(content, layout=not same_height)

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
            self.post_message(self.FollowLink(self._links[event.option_index]))


def link_prompt(view: LinkView, width: int = 40) -> Content:
    """Two lines: "→ qualifies “quote…”" (or "← qualifies …" for a backlink), then the other
    end's source and the link's note, each cut to `width` cells."""
    arrow = "→" if view.direction == "out" else "←"
    relation = first_words(view.link.relation, 16)
    quote = first_words(view.other_quote, max(10, width - len(relation) - 4))
    second: list = [("  ", ""), (first_words(view.other_source_title, max(10, width - 2)), "italic dim")]
    if view.link.note.strip():
        source = first_words(view.other_source_title, max(10, width // 2 - 2))
        # The note gets what is left, drawn as Markdown like a highlight's.
        note = Content.from_rich_text(note_line(view.link.note, max(8, width - len(source) - 5))).stylize("dim")
        second = [("  ", ""), (source, "italic dim"), (" · ", "dim"), note]
    return Content.assemble((f"{arrow} {relation} ", "bold"), f"“{quote}”", "\n", *second)
