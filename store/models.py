"""Plain dataclasses the store returns. Nothing here knows about SQL or Textual."""

from __future__ import annotations

from dataclasses import dataclass, field

from postil.sources.blocks import Block


@dataclass
class SourceInfo:
    """A source without its text: what lists and tables need."""

    id: int
    title: str
    origin: str
    format: str
    sha256: str
    size: int
    chars: int
    imported_at: str
    updated_at: str
    changed_at: str | None
    read_offset: int
    last_read_at: str | None
    highlight_count: int = 0


@dataclass
class Source(SourceInfo):
    """A source with its reading text and blocks."""

    text: str = ""
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Tag:
    """A tag highlights carry, with its colour and key."""

    id: int
    name: str
    color: str
    description: str
    created_at: str
    digit: int | None = None
    """The key 1-9 that applies this tag in the reader, if it has one."""
    count: int = 0
    """How many highlights carry it (filled by functions that count)."""


@dataclass
class Relation:
    """A kind of link between highlights ("supports", "qualifies" ...), in the order listed."""

    name: str
    description: str
    position: int


@dataclass(slots=True)
class Highlight:
    """A marked passage of a source: where it is, what it says, its note and tags."""

    id: str
    source_id: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    note: str
    author: str
    created_at: str
    updated_at: str
    version: int
    anchor_status: str
    tags: list[str] = field(default_factory=list)
    """Tag names, in tag creation order."""
    link_count: int = 0


@dataclass
class Link:
    """A typed link from one highlight to another."""

    id: str
    from_id: str
    to_id: str
    relation: str
    note: str
    author: str
    created_at: str


@dataclass
class LinkView:
    """A link seen from one of its highlights, with a glimpse of the other end."""

    link: Link
    direction: str
    """"out" when the highlight is `from_id`, "in" for a backlink."""
    other_id: str
    other_quote: str
    other_source_id: int
    other_source_title: str
    other_author: str = ""
    """Who made the highlight at the other end (blind mode hides other reviewers' ends)."""


@dataclass
class HighlightSnapshot:
    """Everything needed to bring a deleted highlight back exactly (undo)."""

    highlight: Highlight
    links: list[Link]
