"""The agreement screen (`A`): how far the reviewers agree, per tag x source, per tag, overall.

The same numbers as `postil agreement` (store.agreement_report): percent agreement, Cohen's
kappa for each pair and Krippendorff's alpha (nominal) for pairs and, with three or more
reviewers, for all together. `c` `s` `p` switch the unit (characters, sentences,
paragraphs), `t` shows or hides the rows per source, `enter` dismisses with the search for
the row (its tag and source) for the main screen to run. In blind mode only the sources
I marked done are measured: others' coding of the rest must not show, not even as numbers.

Measuring runs in a thread with its own connection (sentence units cost pysbd time).
"""

from __future__ import annotations

import sqlite3

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import get_current_worker

from postil.store.agreement_report import AgreementReport, agreement
from postil.store.db import database_path, open_db
from postil.store.errors import StoreError
from postil.store.overview import Overview
from postil.store.reviewers import BlindView
from postil.tui.screens.render import plain
from postil.tui.wording import counted

UNIT_NAMES = {"char": "characters", "sentence": "sentences", "paragraph": "paragraphs"}


def number(value: float | None, *, percent: bool = False) -> Text:
    if value is None:
        return Text("-", justify="right", style="dim")
    return Text(f"{value:.1%}" if percent else f"{value:.3f}", justify="right")


class AgreementScreen(Screen["str | None"]):
    """Dismisses with a search query for the chosen row, or None."""

    CSS_PATH = "agreement.tcss"

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("enter", "choose", "Search", priority=True),
        Binding("c", "unit('char')", "Chars"),
        Binding("s", "unit('sentence')", "Sentences"),
        Binding("p", "unit('paragraph')", "Paras"),
        Binding("t", "toggle_sources", "Sources"),
    ]

    def __init__(self, db: sqlite3.Connection, view: BlindView | None = None, source_id: int | None = None) -> None:
        super().__init__()
        self.db = db
        self.view = view
        self.focus_source = source_id
        """The source open in the reader: its rows come first."""
        self.unit = "char"
        self.per_source = True
        self.report: AgreementReport | None = None
        self.error = ""
        self.row_queries: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield Static(id="agreement-title")
        yield DataTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="agreement-legend")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key in (("tag", "tag"), ("source", "source"), ("reviewers", "reviewers")):
            table.add_column(Text(label), key=key)
        # The measures before the unit count: on a narrow terminal they are what must show.
        for label, key in (("agree", "agree"), ("kappa", "kappa"), ("alpha", "alpha"), ("units", "units")):
            table.add_column(Text(label, justify="right"), key=key)
        self.measure()
        table.focus()

    def _sources(self) -> list[int] | None:
        """In blind mode only the sources I marked done (None: every coded source)."""
        if self.view is not None and self.view.blind:
            return sorted(self.view.done)
        return None

    def measure(self) -> None:
        self._title(f"measuring agreement over {UNIT_NAMES[self.unit]}…")
        path = database_path(self.db)
        if path:
            self._measure_worker(path, self.unit)
            return
        try:  # an in-memory database cannot be opened from another thread
            self.show(agreement(self.db, source_ids=self._sources(), unit=self.unit), "")
        except StoreError as error:
            self.show(None, str(error))

    @work(thread=True, exclusive=True, group="agreement")
    def _measure_worker(self, path: str, unit: str) -> None:
        worker = get_current_worker()
        try:
            db = open_db(path, migrate=False)
        except StoreError as error:
            self.app.call_from_thread(self.show, None, str(error))
            return
        try:
            report, error = agreement(db, source_ids=self._sources(), unit=unit), ""
        except StoreError as failure:
            report, error = None, str(failure)
        finally:
            db.close()
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show, report, error)

    def _title(self, text: str) -> None:
        self.query_one("#agreement-title", Static).update(Content(text))

    def show(self, report: AgreementReport | None, error: str) -> None:
        self.report, self.error = report, error
        table = self.query_one(DataTable)
        table.clear()
        self.row_queries = []
        legend = self.query_one("#agreement-legend", Static)
        blind = self.view is not None and self.view.blind
        if report is None or not report.sources:
            why = error or ("no source you marked done has been coded by two reviewers yet (blind mode)" if blind
                            else "no source has been coded by two reviewers yet")
            self._title(f"Agreement: {why}")
            legend.update(Content("Reviewers code the same sources (--author NAME), then merge exports (postil import)."))
            return
        self._title(f"Agreement of {', '.join(report.reviewers)} over {counted(len(report.sources), 'source')}, "
                    f"units: {UNIT_NAMES[report.unit]}" + (" (blind mode: sources you marked done)" if blind else ""))
        rows = [r for r in report.rows if self.per_source or r.source_id is None]
        if self.focus_source is not None:  # the open source's rows first, then the rest as they were
            rows.sort(key=lambda r: r.source_id != self.focus_source)
        for row in rows:
            tag = plain(row.tag, 14) if row.tag is not None else Text("all tags", style="bold")
            source = plain(row.source_title, 22) if row.source_id is not None else Text("all sources", style="bold")
            for m in row.measures:
                table.add_row(tag, source, plain("+".join(m.reviewers), 18), number(m.percent, percent=True),
                              number(m.kappa), number(m.alpha), Text(f"{m.units:,}", justify="right"))
                self.row_queries.append(Overview.cell_query(row.tag, row.source_id) or None)
        legend.update(Content(
            "kappa: Cohen's (pairs); alpha: Krippendorff's, nominal; - undefined; "
            "c s p: unit; t: rows per source"))

    def action_unit(self, unit: str) -> None:
        if unit != self.unit:
            self.unit = unit
            self.measure()

    def action_toggle_sources(self) -> None:
        self.per_source = not self.per_source
        self.show(self.report, self.error)

    def action_choose(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        if 0 <= row < len(self.row_queries) and self.row_queries[row]:
            self.dismiss(self.row_queries[row])

    def action_close(self) -> None:
        self.dismiss(None)
