"""Finding text in the open source: `/` opens the find bar (incremental, case-insensitive),
enter accepts, escape goes back to where the search started; `n` / `N` repeat it.
"""

from __future__ import annotations

from collections.abc import Callable

from postil.tui.widgets.find_bar import FindBar
from postil.tui.widgets.footer import Footer
from postil.tui.widgets.reader import Reader


class FindActions:
    """MainScreen's / n N and the find bar's messages (a base class of MainScreen only).

    What it uses of the screen, besides Screen's own methods, is declared here; the find bar
    reports with messages of its own, so another Input on the screen never reaches these.
    """

    reader: Reader
    last_query: str
    tell: Callable[[str], None]
    _find_bar: FindBar | None = None

    async def action_find(self) -> None:
        bar = self._find_bar
        if bar is None:
            # Made, imported and mounted on first use: most sessions never search, and the
            # first screen need not wait for an Input.

            bar = self._find_bar = FindBar(id="find")
            await self.mount(bar, before=self.query_one(Footer))
        bar.open(self.reader.cursor)

    def on_find_bar_searched(self, event: FindBar.Searched) -> None:
        bar = event.bar
        if not event.text:
            bar.remove_class("-not-found")
            self.reader.move_to(bar.origin)
            return
        found = self.reader.find(event.text, from_offset=bar.origin)
        bar.set_class(found is None, "-not-found")

    def on_find_bar_accepted(self, event: FindBar.Accepted) -> None:
        if event.text:
            self.last_query = event.text
        self._close_find()

    def on_find_bar_closed(self, event: FindBar.Closed) -> None:
        self.reader.move_to(event.bar.origin, center=True)
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
