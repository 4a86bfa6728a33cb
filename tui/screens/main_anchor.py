"""Settling highlights that lost their exact place: `a` accepts a fuzzy anchor where it now is,
`r` re-attaches a fuzzy or orphaned highlight to the reader's selection. Both go through the
undo stack (tui.undo_changes.MoveAnchor), so `u` puts the old anchor back.

An orphan is not drawn in the reader (its text is gone), so the reviewer reaches it in the
pane's list or the orphans view (`O`); moving the cursor to select its new place would make
another highlight current. So `r` without a selection remembers the highlight
(`reattach_target`) and the next `r` with a selection moves it there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from postil.store.models import Highlight, Source
from postil.tui.widgets.reader import Reader
from postil.tui.wording import first_words

if TYPE_CHECKING:
    from postil.tui.screens.orphans import Reattach

UNSURE = ("fuzzy", "orphaned")


class AnchorActions:
    """MainScreen's `a` and `r` (a base class of MainScreen only). What it uses of the screen,
    besides Screen's own methods, is declared here."""

    reader: Reader
    source: Source | None
    by_id: dict[str, Highlight]
    tell: Callable[[str], None]
    current_highlight: Callable[[], Highlight | None]
    do_change: Callable[..., bool]
    jump_to: Callable[..., bool]
    after_other_screen: Callable[[str | None], None]
    reattach_target: str | None = None
    """The highlight the next `r` with a selection moves (set by `r` without one)."""

    def action_accept_fuzzy(self) -> None:
        highlight = self.current_highlight()
        if highlight is None or highlight.anchor_status != "fuzzy":
            self.tell("no fuzzy highlight under the cursor (O lists them)")
            return
        from postil.tui.undo_changes import MoveAnchor  # the first change: see tui/startup.py, 'Dialogs'

        if self.do_change(MoveAnchor(highlight.id)):
            self.tell("anchor accepted (u undoes)")

    def action_reattach(self) -> None:
        selection = self.reader.selection
        target = self.by_id.get(self.reattach_target) if self.reattach_target else None
        if target is None:
            self.reattach_target = None
            current = self.current_highlight()
            target = current if current is not None and current.anchor_status in UNSURE else None
        if target is None:
            self.tell("no fuzzy or orphaned highlight here to re-attach (O lists them)")
            return
        if selection is None:
            self.reattach_target = target.id
            self.tell(f"select the new place for “{first_words(target.quote, 30)}” (v, s, p or drag), then r")
            return
        self.reattach_target = None
        from postil.tui.undo_changes import MoveAnchor  # the first change: see tui/startup.py, 'Dialogs'

        if self.do_change(MoveAnchor(target.id, *selection)):
            self.reader.clear_selection()
            self.tell("re-attached (u undoes)")

    def after_orphans(self, result: str | Reattach | None) -> None:
        """Back from the orphans view: open the chosen highlight, or get ready to re-attach it."""
        from postil.tui.screens.orphans import Reattach  # opened by then: see tui/startup.py, 'Dialogs'
        if not isinstance(result, Reattach):
            self.after_other_screen(result)
            return
        self.after_other_screen(result.highlight_id)
        if self.source is not None and result.highlight_id in self.by_id:
            self.reattach_target = result.highlight_id
            quote = first_words(self.by_id[result.highlight_id].quote, 30)
            self.tell(f"select the new place for “{quote}” (v, s, p or drag), then r")

