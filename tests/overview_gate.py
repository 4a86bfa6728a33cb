"""The overview screen's figures held back: the worker's first read waits at a gate."""

from __future__ import annotations

import threading

from postil.store import overview as store_overview
from postil.tui.screens import overview as overview_screen


def gate_the_worker(monkeypatch) -> threading.Event:
    """The screen's figures come from a worker (as at 100,000 highlights) whose first read waits
    for the returned gate, then runs the real store function on the worker's own connection."""
    gate = threading.Event()

    def counts_after_the_gate(db):
        assert gate.wait(10)
        return store_overview.tag_counts(db)

    monkeypatch.setattr(overview_screen, "tag_counts", counts_after_the_gate)
    monkeypatch.setattr(overview_screen, "READ_HERE_UP_TO", 0)
    return gate
