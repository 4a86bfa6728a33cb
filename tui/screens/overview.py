"""The overview screen (`o`): tag x source counts, how much of each source is highlighted, and
the warnings a reviewer needs before writing.

`enter` on a table cell dismisses with the search for it (`source:3 tag:caveat`; a title or
share cell gives the source, a total the tag); `enter` on a warning dismisses with its
query. The main screen then runs that search.

The screen paints the outline first (titles and the total, read in well under a millisecond)
and a thread worker, on its own connection, reads the rest (`store.overview`): the counts,
shown as they come, then the coverage and what the warnings need, shown together; "…" marks
a figure not read yet. Reading everything before the first paint kept the screen blank for
~400 ms after `o` at 100,000 highlights. One worker, not one per part: on this 2-core machine
two threads (or processes) each ran 2-4 times slower side by side, and every part shown is a
repaint the rest waits for.
"""

from __future__ import annotations

import sqlite3
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from postil.store import tags as store_tags
from postil.store.overview import (
    Overview,
    SourceCoverage,
    WarningFacts,
    coverage,
    outline,
    tag_counts,
    warning_facts,
)
from postil.tui.latest_read import LatestRead, Step
from postil.tui.screens.render import color_style, plain
from postil.tui.widgets.grid import Grid
from postil.tui.wording import counted

TOTAL_ROW = "total"
TITLE_MAX, TITLE_MIN, TAG_MAX = 40, 14, 14
TITLE_MIN_NARROW = 12
NARROW = 80
"""Under this many columns the share column is headed "marked" and titles may be shorter."""
"""Source titles get what the tag columns leave of the screen, within these widths."""
WARNING_STYLES = {"balance": "bold yellow", "coverage": "cyan", "tags": "magenta", "anchors": "red"}

READ_HERE_UP_TO = 5_000
"""Highlights up to which the figures are read before the first paint (~15-25 ms at 5,000):
beyond, a worker reads them. Each frame it fills in costs ~30-70 ms to draw, so at 1,000
the worker's figures were complete ~260 ms after the key, against ~100 ms read here; at
10,000 reading them first put the first frame at 140-210 ms on a loaded machine."""
PENDING = "…"
"""A figure the worker has not read yet."""


class OverviewScreen(Screen["str | None"]):
    """Dismisses with a search query, or None."""

    CSS_PATH = "overview.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("enter", "choose", "Search this", priority=True),  # shown in the footer over the table's own enter
        Binding("tab", "app.focus_next", "Table/warnings"),
    ]

    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__()
        self.db = db
        self.data: Overview | None = None
        self.columns: list[str | None] = []
        """Per table column: the tag it counts, or None for the title and share columns."""
        self._colors: dict[str, str] = {}
        self._fitted: tuple[int, str] | None = None
        """(title width, share heading) the table was last filled for."""
        self._reading = False
        """The figures' reading has started (once, after the first frame)."""
        self.reads = LatestRead(self, db, "overview")
        """The figures, read by a worker on its own connection (interrupted if the screen closes)."""

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Grid(id="counts", cell_cursor=True, fixed_columns=1, zebra_stripes=True)
        yield Static(Content("Warnings"), id="warnings-title")
        yield OptionList(id="warnings")
        yield Footer()

    def on_mount(self) -> None:
        data = self.data = outline(self.db)
        self.query_one("#title", Static).update(
            Content(f"Overview: {counted(data.total, 'highlight')} in {counted(len(data.sources), 'source')}. enter on a cell searches it.")
        )
        self._colors = {t.name: t.color for t in store_tags.list_tags(self.db, counts=False)}
        self._fill_table(self.app.size.width)
        self.query_one("#warnings", OptionList).add_option(Option(Text(f"reading {PENDING}", style="dim"), disabled=True))
        grid = self.query_one(Grid)
        grid.focus()
        sources, tags = data.sources, data.tags

        def coverage_and_facts(db: sqlite3.Connection) -> tuple[list[SourceCoverage], WarningFacts]:
            return coverage(db, sources), warning_facts(db, tags)

        steps: list[Step] = [(tag_counts, self.show_counts), (coverage_and_facts, self.show_the_rest)]
        if not self.reads.threaded or data.total <= READ_HERE_UP_TO:
            # A small database is read here sooner than a worker's figures are drawn
            # (READ_HERE_UP_TO); an in-memory one or a read-only copy is read here anyway.
            for read, show in steps:
                show(read(self.db))
            return
        # The figures are read once the first frame is out. Started on mount, the worker's
        # SQL took the CPU from that frame (80-200 ms instead of ~40 at 100,000 highlights,
        # two shared cores); call_after_refresh waited ~250 ms, until the footer, composed
        # after the first frame, had settled too.
        self.screen_layout_refresh_signal.subscribe(grid, partial(self._painted, steps))

    def _painted(self, steps: list[Step], _screen: Screen) -> None:
        self.screen_layout_refresh_signal.unsubscribe(self.query_one(Grid))
        if not self._reading:
            self._reading = True
            self.reads.run_steps(steps, self.say_failed)

    def on_unmount(self) -> None:
        self.reads.drop()

    def show_counts(self, counts: dict[tuple[str, int], int]) -> None:
        self.show(self.data.with_counts(counts))

    def show_the_rest(self, parts: tuple[list[SourceCoverage], WarningFacts]) -> None:
        """The coverage and the warnings (which need the counts, read first)."""
        sources, facts = parts
        self.show(self.data.with_coverage(sources).with_warnings(facts))

    def show(self, data: Overview) -> None:
        """Show `data`: the outline with some or all of its figures."""
        if not self.is_attached:
            return
        had_warnings = self.data is not None and self.data.warned
        self.data = data
        self._fill_table(self.app.size.width)
        if data.warned and not had_warnings:
            warnings = self.query_one("#warnings", OptionList)
            warnings.clear_options()
            if data.warnings:
                warnings.add_options(
                    Option(plain(w.message, style=WARNING_STYLES.get(w.kind, "")), id=str(i))
                    for i, w in enumerate(data.warnings)
                )
                warnings.highlighted = 0
            else:
                warnings.add_option(Option(Text("nothing to warn about"), disabled=True))

    def say_failed(self, error: str) -> None:
        """The worker could not read the figures: say so where the warnings go."""
        if self.is_attached:
            warnings = self.query_one("#warnings", OptionList)
            warnings.clear_options()
            warnings.add_option(Option(plain(f"could not read the overview: {error}", style="red"), disabled=True))

    def on_resize(self, event: Resize) -> None:
        """Titles get what the tag columns leave of the new width (it was measured once, on
        mount: narrowed, the last tag columns went off screen; widened, titles stayed cut)."""
        if self.data is not None and self._fit(event.size.width) != self._fitted:
            self._fill_table(event.size.width)

    def _fit(self, screen_width: int) -> tuple[int, str]:
        return self._title_width(screen_width), self._share_label(screen_width)

    @staticmethod
    def _share_label(screen_width: int) -> str:
        return "highlighted" if screen_width >= NARROW else "marked"

    def _title_width(self, screen_width: int) -> int:
        share = len(self._share_label(screen_width)) + 2
        tag_cells = sum(min(len(tag), TAG_MAX) + 2 for tag in self.data.tags) + share
        least = TITLE_MIN if screen_width >= NARROW else TITLE_MIN_NARROW
        return max(least, min(TITLE_MAX, screen_width - 4 - tag_cells))

    def _fill_table(self, screen_width: int) -> None:
        """(Re)build the table for a screen this wide, keeping the cursor's cell.

        A cell is made when it comes into view (`_cell_text`), and the columns' widths come
        from the numbers: a DataTable measured all 201 x 10 cells and rendered every cell of
        a row to draw it.
        """
        data = self.data
        table = self.query_one(Grid)
        # What does not fit scrolls sideways (the cursor's column stays in view), with the
        # source titles held at the left: at 60 columns the last tag ran off the edge unseen.
        self.columns = [None, None, *data.tags]
        # At 80 columns, 40-character titles pushed the last tag columns off screen.
        self._fitted = self._fit(screen_width)
        title_width = self._fitted[0]
        self._titles = [plain(source.title, title_width) for source in data.sources]
        headers = [
            Text("source"),
            Text(self._share_label(screen_width), justify="right"),
            *(plain(tag, TAG_MAX, style=color_style(self._colors.get(tag, ""))) for tag in data.tags),
        ]
        totals = [data.tag_total(tag) for tag in data.tags]
        widths = [
            max([len("all sources")] + [title.cell_len for title in self._titles]),
            max([0] + [len(f"{source.share:.0%}") for source in data.sources]),
        ]
        for tag, total in zip(data.tags, totals):
            widest = max([total] + [data.count(tag, source.id) for source in data.sources])
            widths.append(len(str(widest)))
        widths = [max(width, header.cell_len) for width, header in zip(widths, headers)]
        self._totals = totals
        row, column = table.cursor_coordinate
        table.set_table(headers, widths, len(data.sources) + 1, self._cell_text, row, column)

    def _cell_text(self, row: int, column: int) -> Text:
        """One cell: a source's title, share and counts, or the totals' row under them."""
        data = self.data
        if row == len(data.sources):
            if column == 0:
                return Text("all sources", style="bold")
            if column == 1:
                return Text("")
            return self._count(self._totals[column - 2], bold=True) if data.counted else self._pending()
        source = data.sources[row]
        if column == 0:
            return self._titles[row]
        if column == 1:
            return Text(f"{source.share:.0%}", justify="right") if data.covered else self._pending()
        return self._count(data.count(self.columns[column], source.id)) if data.counted else self._pending()

    @staticmethod
    def _pending() -> Text:
        return Text(PENDING, justify="right", style="dim")

    @staticmethod
    def _count(n: int, bold: bool = False) -> Text:
        return Text(str(n) if n else "·", justify="right", style="bold" if bold else "" if n else "dim")

    def cell_query(self, row: int, column: int) -> str | None:
        """The search for a table cell, or None for the empty corner."""
        if self.data is None or not 0 <= column < len(self.columns):
            return None
        tag = self.columns[column]
        source_id = self.data.sources[row].id if row < len(self.data.sources) else None
        if tag is None and source_id is None:
            return None
        return Overview.cell_query(tag, source_id)

    @on(Grid.CellSelected)
    def _cell(self, event: Grid.CellSelected) -> None:
        event.stop()
        self._dismiss_with(self.cell_query(event.row, event.column))

    @on(OptionList.OptionSelected, "#warnings")
    def _warning(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._dismiss_with(self.data.warnings[int(event.option.id)].query)

    def action_choose(self) -> None:
        focused = self.focused
        if isinstance(focused, Grid):
            self._dismiss_with(self.cell_query(*focused.cursor_coordinate))
        elif isinstance(focused, OptionList) and focused.highlighted is not None and self.data.warned and self.data.warnings:
            self._dismiss_with(self.data.warnings[focused.highlighted].query)

    def _dismiss_with(self, query: str | None) -> None:
        if query:
            self.dismiss(query)

    def action_close(self) -> None:
        self.dismiss(None)
