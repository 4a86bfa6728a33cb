"""Finding text in the open source: `/` opens the find bar (incremental, case-insensitive),
enter accepts, escape goes back to where the search started; `n` / `N` repeat it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from postil.tui.widgets.find_bar import FindBar
from postil.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from postil.tui.widgets.find_bar import FindBar


class FindActions:
    """Mixin for MainScreen: / n N and the find bar's messages.

    The find bar is the screen's only Input, so its messages arrive as Input's
    (`on_input_changed`); handlers in a mixin cannot use `@on`, which only the message
    pump's own classes collect.
    """

    _find_bar: FindBar | None = None

    async def action_find(self) -> None:
        bar = self._find_bar
        if bar is None:
            # Made, imported and mounted on first use: most sessions never search, and the
            # first screen need not wait for an Input.

            bar = self._find_bar = FindBar(id="find")
            await self.mount(bar, before=self.query_one(Footer))
        bar.open(self.reader.cursor)

    def on_input_changed(self, event: Input.Changed) -> None:
        bar = self._find_bar
        if event.input is not bar:  # (also when no bar was made yet: bar is None)
            return
        if not event.value:
            bar.remove_class("-not-found")
            self.reader.move_to(bar.origin)
            return
        found = self.reader.find(event.value, from_offset=bar.origin)
        bar.set_class(found is None, "-not-found")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is not self._find_bar:
            return
        if event.value:
            self.last_query = event.value
        self._close_find()

    def on_find_bar_closed(self, event: FindBar.Closed) -> None:
        self.reader.move_to(self._find_bar.origin, center=True)
        self._close_find()

    def _close_find(self) -> None:
        self._find_bar.close()
        self.reader.focus()

    def action_find_next(self) -> None:
        self._find_again(forward=True)

    def action_find_previous(self) -> None:
        self._find_again(forward=False)

    def _find_again(self, *, forward: bool) -> None:
        if not self.last_query:
            self.tell("nothing to find yet: press / first")
            return
        if self.reader.find(self.last_query, forward=forward) is None:
            self.tell(f"not found: {self.last_query}")
