"""Finding text in the open source: `/` opens the find bar (incremental, case-insensitive),
enter accepts, escape goes back to where the search started; `n` / `N` repeat it. The bar
says which match the cursor is on ("3 of 17") and opens with the last query, selected; while
it is open the reader paints the other matches on screen, the current one apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from postil.tui.widgets.key_bar import KeyBar
from postil.tui.widgets.reader import Reader

if TYPE_CHECKING:
    from postil.tui.widgets.find_bar import FindBar  # made on first `/`: see action_find


def match_position(text: str, query: str, at: int) -> tuple[int, int]:
    """(which match starts at `at`, counting from 1; how many matches) for `query`, ignoring
    case as the reader's find does. One pass over the text: ~10 ms for a 1 MB book."""
    index = total = 0
    for match in re.finditer(re.escape(query), text, re.IGNORECASE):
        total += 1
        if match.start() <= at:
            index = total
    return index, total


def match_label(text: str, query: str, at: int | None) -> str:
    if at is None:
        return "no match"
    index, total = match_position(text, query, at)
    return f"{index} of {total}"


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
            # Made and mounted on first use: most sessions never search, and the first
            # screen need not wait for an Input. Imported here too: see tui/startup.py,
            # 'Dialogs'.
            from postil.tui.widgets.find_bar import FindBar

            bar = self._find_bar = FindBar(id="find")
            await self.mount(bar, before=self.query_one(KeyBar))
        bar.open(self.reader.cursor, self.last_query)
        # The bar kept its text since last time, so setting it again may report no change.
        self._search(bar, self.last_query)

    def on_find_bar_searched(self, event: FindBar.Searched) -> None:
        self._search(event.bar, event.text)

    def _search(self, bar: FindBar, text: str) -> None:
        if not text:
            bar.remove_class("-not-found")
            bar.border_title = ""
            self.reader.show_matches(None)
            self.reader.move_to(bar.origin)
            return
        found = self.reader.find(text, from_offset=bar.origin)
        bar.set_class(found is None, "-not-found")
        bar.border_title = match_label(self.reader.text, text, found)
        self.reader.show_matches(text if found is not None else None, found)

    def on_find_bar_accepted(self, event: FindBar.Accepted) -> None:
        if event.text:
            self.last_query = event.text
        self._close_find()

    def on_find_bar_closed(self, event: FindBar.Closed) -> None:
        self.reader.move_to(event.bar.origin, center=True)
        self._close_find()

    def on_find_bar_left(self, event: FindBar.Left) -> None:
        self.reader.show_matches(None)

    def _close_find(self) -> None:
        self.reader.show_matches(None)
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
