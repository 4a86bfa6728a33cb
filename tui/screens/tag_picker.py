"""The tag picker: fuzzy completion over tag names and descriptions; a new name creates a tag.

Dismisses with the chosen tag name (an existing one, or the new name typed), or None.
Tags the highlight already has are ticked (choosing one takes it off), and the title line
names them. Descriptions are shown whole, wrapped under their tag.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from postil.sources.sanitise import for_display_line
from postil.store.models import Tag
from postil.tui.safe_text import highlight_matches

CREATE = "\x00create"
"""Option id of the "create a new tag" row (cannot clash with a tag name: names are printable)."""


class TagPickerScreen(ModalScreen["str | None"]):
    """Type to filter; up/down to choose; enter applies; escape cancels."""

    CSS_PATH = "tag_picker.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "cancel"),
        Binding("down", "move(1)", "next", show=False, priority=True),
        Binding("up", "move(-1)", "previous", show=False, priority=True),
    ]

    def __init__(self, tags: list[Tag], title: str = "Tag", applied: set[str] | frozenset[str] = frozenset()) -> None:
        """
        Args:
            tags: every tag, in the order to list them.
            title: what choosing does ("Tag the selection", "Toggle a tag on this highlight").
            applied: names of the tags the highlight already has (ticked; choosing one removes it).
        """
        super().__init__()
        self.tags = list(tags)
        self.title_text = title
        self.applied = {name.casefold() for name in applied}

    def compose(self) -> ComposeResult:
        with Vertical():
            on = [t.name for t in self.tags if t.name.casefold() in self.applied]
            has = f" — on this highlight: {', '.join(on)} (✓; enter on one removes it)" if on else ""
            title = self.title_text + has + " — type to filter, enter to apply, a new name creates a tag"
            yield Static(Content(for_display_line(title)), id="picker-title")
            yield Input(placeholder="tag name", id="picker-input")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def matches(self, query: str) -> list[Tag]:
        """Tags whose name or description fuzzily match, best first (all tags, in order, for "")."""
        query = query.strip()
        if not query:
            return list(self.tags)
        matcher = Matcher(query)
        scored = []
        for position, tag in enumerate(self.tags):
            score = max(matcher.match(tag.name), 0.8 * matcher.match(f"{tag.name} {tag.description}"))
            if score > 0:
                scored.append((-score, position, tag))
        return [tag for _, _, tag in sorted(scored, key=lambda s: (s[0], s[1]))]

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        typed = " ".join(query.split())
        found = self.matches(typed)
        matcher = Matcher(typed)
        rows = [Option(self._prompt(tag, matcher), id=tag.name) for tag in found]
        exact = any(tag.name.casefold() == typed.casefold() for tag in self.tags)
        if typed and not exact:
            create = Option(Content.assemble(("+ new tag ", "bold"), f"“{for_display_line(typed)}”"), id=CREATE)
            # Enter on a name that matches nothing creates it; otherwise the best match comes first.
            rows = [create, *rows] if not found else [*rows, create]
        options.add_options(rows)
        if rows:
            options.highlighted = 0

    def _prompt(self, tag: Tag, matcher: Matcher) -> Content:
        digit = f"{tag.digit} " if tag.digit else "  "
        mark = ("✓ ", "bold") if tag.name.casefold() in self.applied else "  "
        parts: list = [(digit, "dim"), mark, ("■ ", tag.color), highlight_matches(matcher, tag.name)]
        if tag.description:
            parts += ["  ", (for_display_line(tag.description), "dim")]
        return Content.assemble(*parts)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._choose()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose()

    def _choose(self) -> None:
        options = self.query_one(OptionList)
        typed = " ".join(self.query_one(Input).value.split())
        option = options.highlighted_option
        if option is None:
            if typed:
                self.dismiss(typed)
            return
        self.dismiss(typed if option.id == CREATE else option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
