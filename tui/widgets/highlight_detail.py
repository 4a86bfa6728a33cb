"""The annotation pane's detail: the selected highlight's whole quote, note, tags and page, and
under a "Links" heading its outgoing links and backlinks, which `enter` follows."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from postil.sources.sanitise import for_display_line
from postil.store.models import Highlight, LinkView
from postil.store.pages import PageLookup
from postil.tui.note_render import note_blocks, note_line
from postil.tui.widgets.anchor_diff import anchor_parts
from postil.tui.widgets.highlight_list import chips
from postil.tui.wording import first_words

NOTHING = "No highlight under the cursor."


class HighlightDetail(VerticalScroll):
    """Scrolls when a highlight says more than the pane's height; the pane fills it (`show`)."""

    def __init__(self, *, id: str | None = None) -> None:
        self._text = Static(Content(NOTHING), id="pane-detail-text")
        super().__init__(self._text, id=id)
        self.links: list[LinkView] = []
        """The links shown, in the order of their list's options."""
        self.shown: Content | None = None
        """What the text shows now (updating it with the same content would re-lay out the pane)."""
        self._link_list: OptionList | None = None

    def show(self, h: Highlight | None, links: list[LinkView], colors: dict[str, str], pages: PageLookup,
             source_text: str) -> None:
        """Show `h` (None: no highlight) with `links`, its tags in `colors`; `source_text` is
        what the open source says now, against which a fuzzy anchor is shown."""
        link_list = self._link_list
        had_links = bool(self.links)
        self.links = list(links) if h is not None else []
        if link_list is not None and (had_links or self.links):
            link_list.clear_options()
        self.fill()
        if h is None:
            self._set_text(Content(NOTHING))
            if link_list is not None:
                link_list.display = False
            return
        self._set_text(detail_content(h, colors, pages, source_text, with_links=bool(self.links)))
        width = max(20, (self.size.width or 45) - 5)  # padding, scrollbar and the list's own margin
        options = [Option(link_prompt(v, width), id=v.link.id) for v in links]
        if link_list is None:
            if options:
                # Made with the first links shown: most highlights have none.
                self._link_list = OptionList(*options, id="pane-links")
                if self.is_mounted:
                    self.mount(self._link_list)
                else:  # the pane was built a moment ago
                    self.call_after_refresh(self.mount, self._link_list)
            return
        link_list.add_options(options)
        link_list.display = bool(links)

    def fill(self) -> None:
        """Let the text fill the view when no links follow it.

        A change in the text's height makes Textual lay out and repaint the whole screen
        (30-100 ms with a big source open), and every new highlight changes what the detail
        shows. Filling the view gives most details the same height (the view's), so they only
        repaint. With links, the links must sit right under the text, so it keeps its own
        height then.
        """
        view = self.scrollable_content_region.height
        floor = 0 if self.links else view
        text = self._text
        if text.styles.min_height is None or text.styles.min_height.value != floor:
            text.styles.min_height = floor

    def on_resize(self) -> None:
        self.fill()  # also its first size, once laid out

    def _set_text(self, content: Content) -> None:
        if content == self.shown:
            return
        text = self._text
        width = text.content_region.width
        floor = int(text.styles.min_height.value) if text.styles.min_height is not None else 0
        same_height = (
            width > 0
            and text.size.height == max(floor, len(content.wrap(width)))
        )
        self.shown = content
        text.update(content, layout=not same_height)


def detail_content(h: Highlight, colors: dict[str, str], pages: PageLookup, source_text: str, *,
                   with_links: bool) -> Content:
    """The detail's text: chips, the quote (or the word diff of an anchor that moved), the
    note as Markdown, page, who and when, and the "Links" heading when links follow."""
    parts: list = chips(h.tags, colors)
    unsure = anchor_parts(h.anchor_status, h.quote, source_text[h.start:h.end])
    parts += ["\n\n", *(unsure or [(for_display_line(" ".join(h.quote.split())), "italic")])]
    if h.note:
        parts += ["\n\n", ("Note", "bold"), "\n", Content.from_rich_text(note_blocks(h.note))]
    page = pages.label_at(h.start)
    if page:
        parts += ["\n\n", (f"p. {for_display_line(page)}", "bold")]
    parts += ["\n\n", (f"{h.author or 'unknown'} · {h.created_at[:16].replace('T', ' ')}", "dim")]
    if h.anchor_status != "anchored":
        parts += [("  · anchor " + h.anchor_status, "dim")]
    if with_links:
        parts += ["\n\n", ("Links", "bold"), ("  tab here, enter follows", "dim")]
    return Content.assemble(*parts)


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
