"""What a command's `--json` prints for highlights: exports.highlight_json's objects, with the
source titles, pages and links gathered from the store a batch at a time.

Every command that prints highlights goes through `HighlightJson`, so `highlights`, `search`,
`orphans`, `mark`, `highlight edit|rm` and `disagreements` print the same keys (README, "JSON
output"); a test runs each and compares.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from postil.exports.highlight_json import highlight_record, link_record
from postil.store.highlights import get_highlights
from postil.store.links import links_touching
from postil.store.models import Highlight, Link
from postil.store.pages import PageLookup, page_lookup
from postil.store.reviewers import BlindView
from postil.store.sources import list_sources


class HighlightJson:
    """Builds highlight objects for one command, keeping titles and page maps between batches."""

    def __init__(self, db: sqlite3.Connection, view: BlindView | None = None,
                 titles: dict[int, str] | None = None) -> None:
        """
        Args:
            db: the open database.
            view: the reader's blind view: a link whose other end it hides is left out, as the
                export leaves it out.
            titles: source id -> title, when the command has them already.
        """
        self.db = db
        self.view = view
        self.titles = titles if titles is not None else {s.id: s.title for s in list_sources(db)}
        self.pages: dict[int, PageLookup] = {}

    def objects(self, highlights: Iterable[Highlight], links: list[Link] | None = None) -> list[dict]:
        """The JSON objects of `highlights`, in their order.

        Args:
            links: their links when the caller holds them already (a deleted highlight's, from
                its snapshot); else they are read, one query for the whole batch.
        """
        highlights = list(highlights)
        if links is None:
            links = links_touching(self.db, [h.id for h in highlights])
        links = self._visible(links, {h.id for h in highlights})
        by_end: dict[str, list[Link]] = defaultdict(list)
        for link in links:
            by_end[link.from_id].append(link)
            if link.to_id != link.from_id:
                by_end[link.to_id].append(link)
        return [
            highlight_record(h, self.titles.get(h.source_id, ""), self.page(h),
                             [link_record(link, h.id) for link in by_end.get(h.id, [])])
            for h in highlights
        ]

    def one(self, highlight: Highlight, links: list[Link] | None = None) -> dict:
        """The JSON object of one highlight."""
        return self.objects([highlight], links)[0]

    def page(self, highlight: Highlight) -> str | None:
        """The label of the page a highlight starts on, in a paged source (PDF); else None."""
        if highlight.anchor_status == "orphaned":
            return None  # its offsets no longer point into the text
        if highlight.source_id not in self.pages:
            self.pages[highlight.source_id] = page_lookup(self.db, highlight.source_id)
        return self.pages[highlight.source_id].label_at(highlight.start)

    def _visible(self, links: list[Link], chosen: set[str]) -> list[Link]:
        if self.view is None or not self.view.blind:
            return links
        others = sorted({end for link in links for end in (link.from_id, link.to_id)} - chosen)
        hidden = {h.id for h in get_highlights(self.db, others) if not self.view.shows(h)}
        return [link for link in links if link.from_id not in hidden and link.to_id not in hidden]
