"""The claims view's rows: the run of the claims list read so far, placed in the whole list.

The list holds 56,000 claims (104,000 rows) at 100,000 highlights; the view reads the claims
a page at a time (`store.claim_pages`). Until the list's index (`claim_index`, read in a
worker) arrives, the rows are the pages read from the first; once it arrives, the rows are
as many as the whole list's, so the scrollbar spans the whole list, and a row not read yet
is a PENDING row (drawn as "…") until it comes into view. Bringing rows into view (`ensure`) reads the
page after the run or the one before it when they are near it, and otherwise replaces the
run with the page at those rows (from the end for the last rows): `home`, `end` and a
scrollbar jump each cost one page, wherever they land.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import NamedTuple, overload

from postil.store.claim_pages import ClaimIndex, ClaimPage, claim_page, claim_page_before, cursor_of
from postil.store.claims import Claim
from postil.store.reviewers import BlindView

PAGE = 100
"""Claims read at a time: a 48-line screen shows at most 48 (~4 ms at 100,000 highlights)."""
CLAIM, NOTE, EMPTY, PENDING = -1, -2, -3, -4
"""Row.link for a claim's own row, its note, the row of an empty list, a row not read yet."""


class Row(NamedTuple):
    """One line of the claims list: a claim, its note, or one of its links."""

    id: int
    """The row's place in the whole list (what the list widget keeps its cursor by)."""
    claim: int
    """The claim's place in the whole list (`ClaimWindow.claim`), -1 for EMPTY and PENDING."""
    link: int
    """Index into the claim's links, or CLAIM, NOTE, EMPTY, PENDING."""


class ClaimWindow(Sequence[Row]):
    """Every row of the list (the list widget's items), those outside the run read as PENDING."""

    def __init__(self, db: sqlite3.Connection, view: BlindView | None) -> None:
        self.db = db
        self.view = view
        self.index: ClaimIndex | None = None
        self.claims: list[Claim] = []
        """The run of claims read, in list order."""
        self.first = 0
        """The place in the list of claims[0]."""
        self.rows: list[Row] = []
        """The rows of `claims`."""
        self.top = 0
        """The place in the list of rows[0]."""
        self.after: ClaimPage | None = None
        """The last page read at the run's end (its `next` is None at the list's end)."""
        self.pages = 0
        """Pages read so far (tests count them)."""

    # -- the rows, as a sequence ------------------------------------------------------------

    def __len__(self) -> int:
        if not self.rows:
            return 1  # the EMPTY row, or a row waiting for the first page
        return self.index.rows if self.index is not None else len(self.rows)

    @overload
    def __getitem__(self, row: int) -> Row: ...
    @overload
    def __getitem__(self, row: slice) -> list[Row]: ...

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        if not self.rows:
            return Row(0, -1, EMPTY)
        if row < 0:
            row += len(self)
        if 0 <= row - self.top < len(self.rows):
            return self.rows[row - self.top]
        if not 0 <= row < len(self):
            raise IndexError(row)
        return Row(row, -1, PENDING)

    def get(self, row_id: int, default: int | None = None) -> int | None:
        """The place of the row `row_id` (a row's id is its place)."""
        return row_id if isinstance(row_id, int) and 0 <= row_id < len(self) else default

    def claim(self, row: Row) -> Claim:
        return self.claims[row.claim - self.first]

    # -- reading ----------------------------------------------------------------------------

    def open(self) -> None:
        """Read the first page."""
        self._replace(self._page(claim_page, None, PAGE), 0)

    def set_index(self, index: ClaimIndex) -> None:
        """Place the run in the whole list; if the list changed since the run was read
        (another postil wrote), read the first page again."""
        self.index = index
        if not self.claims:
            return
        end = self.first + len(self.claims)
        same = (end <= len(index.keys) and index.keys[self.first][3] == self.claims[0].highlight.id
                and index.keys[end - 1][3] == self.claims[-1].highlight.id
                and index.starts[end] - index.starts[self.first] == len(self.rows))
        if not same:
            self.open()
            return
        self.top = index.starts[self.first]
        self.rows = self._rows(self.claims, self.first, self.top)

    def ensure(self, lo: int, hi: int) -> bool:
        """Read what the rows lo..hi-1 need; True when the rows changed."""
        if self.index is None:
            changed = False
            while self.after is not None and self.after.next is not None and len(self.rows) < hi:
                self._append(self._page(claim_page, self.after.next, PAGE))
                changed = True
            return changed
        lo, hi = max(0, lo), min(self.index.rows, hi)
        if lo >= hi or (self.rows and self.top <= lo and hi <= self.top + len(self.rows)):
            return False
        wanted_first, wanted_end = self.index.claim_at(lo), self.index.claim_at(hi - 1) + 1
        first, end = self.first, self.first + len(self.claims)
        if not self.claims or wanted_end < first - PAGE or wanted_first > end + PAGE:
            self._jump(wanted_first, wanted_end)
            return True
        if wanted_end > end:
            self._append(self._page(claim_page, cursor_of(self.claims[-1]), max(PAGE, wanted_end - end)))
        if wanted_first < first:
            self._prepend(self._page(claim_page_before, cursor_of(self.claims[0]), max(PAGE, first - wanted_first)))
        return True

    def read_everything(self) -> None:
        """Every page to the end (`end` when the index could not be read)."""
        while self.after is not None and self.after.next is not None:
            self._append(self._page(claim_page, self.after.next, 2_000))

    def _jump(self, wanted_first: int, wanted_end: int) -> None:
        """Replace the run by the page of claims wanted_first.. (the last page when it reaches the end)."""
        limit, claims = max(PAGE, wanted_end - wanted_first), len(self.index.keys)
        if wanted_end >= claims:
            page = self._page(claim_page_before, None, limit)
            self._replace(page, claims - len(page.claims))
        else:
            after = self.index.cursor(wanted_first - 1) if wanted_first else None
            self._replace(self._page(claim_page, after, limit), wanted_first)

    def _page(self, read, cursor, limit: int) -> ClaimPage:
        self.pages += 1
        return read(self.db, cursor, limit, view=self.view)

    def _replace(self, page: ClaimPage, first: int) -> None:
        self.claims, self.first, self.after = page.claims, first, page
        self.top = self.index.starts[first] if self.index is not None and page.claims else 0
        self.rows = self._rows(page.claims, first, self.top)

    def _append(self, page: ClaimPage) -> None:
        self.rows += self._rows(page.claims, self.first + len(self.claims), self.top + len(self.rows))
        self.claims += page.claims
        self.after = page

    def _prepend(self, page: ClaimPage) -> None:
        count = sum(self._size(claim) for claim in page.claims)
        self.first -= len(page.claims)
        self.top -= count
        self.rows = self._rows(page.claims, self.first, self.top) + self.rows
        self.claims = page.claims + self.claims

    @staticmethod
    def _size(claim: Claim) -> int:
        return 1 + bool(claim.highlight.note.strip()) + len(claim.links)

    @staticmethod
    def _rows(claims: list[Claim], first: int, top: int) -> list[Row]:
        """Each claim's row, its note's (unless blank), then one per link, numbered from `top`."""
        rows: list[Row] = []
        for place, claim in enumerate(claims, first):
            rows.append(Row(top + len(rows), place, CLAIM))
            if claim.highlight.note.strip():
                rows.append(Row(top + len(rows), place, NOTE))
            rows += [Row(top + len(rows) + i, place, i) for i in range(len(claim.links))]
        return rows
