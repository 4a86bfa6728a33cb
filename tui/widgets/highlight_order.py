"""Highlights in document order: the sort key, and where a highlight's row is in a list kept
in that order (the annotation pane's list)."""

from __future__ import annotations

from bisect import bisect_left

from postil.store.models import Highlight


def document_order(h: Highlight) -> tuple[int, int]:
    """The list's order, as store.highlights.highlights_for_source gives it: by start, longer first."""
    return h.start, -h.end


class RowIndex:
    """Highlight id -> row in a list kept in document order, found by bisecting.

    Building an id -> row dict over 10,000 highlights on every keystroke cost milliseconds;
    the caller already keeps id -> highlight, and the order gives the row.
    """

    def __init__(self, items: list[Highlight], by_id: dict[str, Highlight]) -> None:
        self.items = items
        self.by_id = by_id

    def __contains__(self, highlight_id: object) -> bool:
        return self.get(highlight_id) is not None  # type: ignore[arg-type]

    def __getitem__(self, highlight_id: str) -> int:
        row = self.get(highlight_id)
        if row is None:
            raise KeyError(highlight_id)
        return row

    def get(self, highlight_id: str | None, default: int | None = None) -> int | None:
        h = self.by_id.get(highlight_id) if highlight_id is not None else None
        if h is None:
            return default
        items, key = self.items, document_order(h)
        row = bisect_left(items, key, key=document_order)
        while row < len(items) and document_order(items[row]) == key:
            if items[row].id == highlight_id:
                return row
            row += 1
        # Not where its offsets say (a caller broke the order): look it up the slow way.
        return next((i for i, item in enumerate(items) if item.id == highlight_id), default)
