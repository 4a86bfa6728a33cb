"""One JSON object for a highlight, the same wherever postil prints one.

`postil highlights|search|orphans|mark|highlight edit|highlight rm --json`, the versions in
`postil disagreements --json` and the JSON export (exports.tabular, which adds the fields only
an export computes) all build their objects here, so a script written against one command
reads the others. README.md's "JSON output" lists the fields.
"""

from __future__ import annotations

from postil.store.models import Highlight, Link

FIELDS = (
    "id", "source_id", "source_title", "start", "end", "page", "quote", "prefix", "suffix", "note",
    "tags", "author", "created_at", "updated_at", "version", "anchor_status", "links",
)
"""The keys of every highlight object, in this order."""

LINK_FIELDS = ("id", "relation", "direction", "other_id", "note", "author", "created_at")
"""The keys of each entry of a highlight's `links`."""


def highlight_record(highlight: Highlight, source_title: str, page: str | None, links: list[dict]) -> dict:
    """A highlight as a plain JSON-ready dict with the keys of `FIELDS`.

    Args:
        highlight: the highlight as the store returned it.
        source_title: its source's title.
        page: the label of the page its start is on in a paged source (PDF: "iv", "12"), else None.
        links: its links, each from `link_record(link, highlight.id)`.
    """
    h = highlight
    return {
        "id": h.id,
        "source_id": h.source_id,
        "source_title": source_title,
        "start": h.start,
        "end": h.end,
        "page": page,
        "quote": h.quote,
        "prefix": h.prefix,
        "suffix": h.suffix,
        "note": h.note,
        "tags": list(h.tags),
        "author": h.author,
        "created_at": h.created_at,
        "updated_at": h.updated_at,
        "version": h.version,
        "anchor_status": h.anchor_status,
        "links": links,
    }


def link_record(link: Link, highlight_id: str) -> dict:
    """A link as seen from one of its ends: "out" when that end is `from_id`, else "in"."""
    out = link.from_id == highlight_id
    return {
        "id": link.id,
        "relation": link.relation,
        "direction": "out" if out else "in",
        "other_id": link.to_id if out else link.from_id,
        "note": link.note,
        "author": link.author,
        "created_at": link.created_at,
    }
