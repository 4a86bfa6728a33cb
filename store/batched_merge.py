"""A long import in short write transactions, so nobody else waits for it.

`exchange.merge` is one write transaction: for 20,000 annotations it held the write lock
for 38 s, the app froze on a cursor move and `postil mark` gave up after its 15 s busy
timeout. `merge_in_batches` calls it on slices sized so that each takes about
`BATCH_SECONDS`, committing after each one and pausing `PAUSE_SECONDS`, so any other
writer gets its turn in between. Every slice is atomic (an interruption rolls back only the slice in hand), and
a merge is idempotent, so an interrupted import is finished by running it again.

Slices are longer (`SOLO_BATCH_SECONDS`) while no other connection has committed lately: the
pauses were a third of a lone import's time (100,000 annotations: 36.8 s, 13 s of it asleep).
Once another writer commits (`PRAGMA data_version` says so), the slices shorten to
`BATCH_SECONDS` for `POLITE_SECONDS` after its last commit. So a writer that turns up waits at
most one long slice for its first write, and one short slice for each after it.

Links are added in a second pass, once every highlight of the file is in: a link whose
other end comes in a later slice would otherwise be skipped as "an end is missing".
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import fields, replace

from postil.store.db import data_version
from postil.store.exchange import Incoming, MergeReport, merge

BATCH_SECONDS = 0.2
"""Target length of one write transaction while others write: what another writer may have to
wait (the app's own connection waits 200 ms before it queues a write, store.db)."""

SOLO_BATCH_SECONDS = 0.5
"""Target length of one write transaction while nobody else has written lately."""

POLITE_SECONDS = 5.0
"""How long after another connection's last commit the slices stay short."""

PAUSE_SECONDS = 0.11
"""Time without the write lock after each slice.

Committing and at once beginning the next slice would starve other writers: SQLite's busy
handler sleeps between its tries (1, 2, 5 ... then 100 ms at a time), so a waiting writer
would keep waking up to find the lock taken again (measured: 1.5 s waits with no pause).
A pause longer than its longest sleep lets every waiting writer in.
"""

FIRST_BATCH = 50
"""Annotations in the first slice, before a measured rate sizes the next ones."""


def merge_in_batches(
    db: sqlite3.Connection,
    incoming: list[Incoming],
    progress: Callable[[int], None] | None = None,
) -> MergeReport:
    """Merge like `exchange.merge`, in write transactions of about BATCH_SECONDS each.

    Args:
        progress: called after each committed slice with how many annotations it held.

    Returns:
        The combined report of every slice.
    """
    report = MergeReport()
    others = OtherWriters(db)
    plain = [replace(item, links=[]) if item.links else item for item in incoming]
    for done in _slices(db, plain, report, others):
        if progress:
            progress(done)
    # Every highlight is in now: merging those with links again adds the links (the
    # highlights themselves are unchanged, so only the link counts are taken).
    with_links = [item for item in incoming if item.links]
    links_only = MergeReport()
    for _merged_slice in _slices(db, with_links, links_only, others):
        continue  # each slice is merged and committed as the generator advances
    report.links_added += links_only.links_added
    report.links_skipped += links_only.links_skipped
    return report


class OtherWriters:
    """Whether another connection has committed lately (see the module)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.version = data_version(db)
        self.last_seen = float("-inf")

    def slice_seconds(self) -> float:
        """The length the next slice should aim at."""
        version = data_version(self.db)
        if version != self.version:
            self.version, self.last_seen = version, time.monotonic()
        return BATCH_SECONDS if time.monotonic() - self.last_seen < POLITE_SECONDS else SOLO_BATCH_SECONDS


def _slices(db: sqlite3.Connection, items: list[Incoming], report: MergeReport, others: OtherWriters):
    """Merge `items` slice by slice into `report`; yields each slice's size after its commit."""
    size = FIRST_BATCH
    start = 0
    while start < len(items):
        chunk = items[start : start + size]
        began = time.perf_counter()
        _add_up(report, merge(db, chunk))
        took = time.perf_counter() - began
        start += len(chunk)
        yield len(chunk)
        if start < len(items):
            time.sleep(PAUSE_SECONDS)
        # Aim the next slice at its length from this one's rate; grow at most fourfold
        # so one fast slice (all unchanged) does not make the next one long.
        rate = len(chunk) / max(took, 1e-4)
        size = max(1, min(int(rate * others.slice_seconds()), size * 4))


def _add_up(total: MergeReport, part: MergeReport) -> None:
    """Add one slice's report to the total: lists joined, counts summed."""
    for name in (f.name for f in fields(MergeReport)):
        setattr(total, name, getattr(total, name) + getattr(part, name))
