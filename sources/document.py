"""The normalised form every loader produces: one reading text and its blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from postil.sources.blocks import Block

if TYPE_CHECKING:  # only named in an annotation, so the reader's start never loads it
    from postil.sources.offsets import OffsetMap

CELL_GAP = "  |  "
"""What separates the cells of a table row in the reading text, so a quote of a row reads
"Dose  |  25 mg" in every export and search result (the reader lines the bars up)."""


@dataclass
class Document:
    """A source as postil reads it: the reading text plus its blocks and a title."""

    title: str
    text: str
    blocks: list[Block]
    format: str
    """One of "text", "markdown", "html", "pdf"."""
    warnings: list[str] = field(default_factory=list)
    """Things the loader wants the user to know (replacement decoding, fallbacks)."""
    record: dict = field(default_factory=dict)
    """The bibliographic record the file declares about itself (CSL-JSON, sources.metadata)."""
    metadata: dict = field(default_factory=dict)
    """What the file says about itself, as read by its loader ({} when nothing): "title",
    "author" (a list of names), "date" (as written), "language", and the raw facts it came
    from ("front_matter": the Markdown front matter's keys; "gutenberg": the Project
    Gutenberg header's fields; "meta": an HTML page's citation/og/dc meta tags)."""


@dataclass(frozen=True, slots=True)
class PageSpan:
    """One page of a paged source (PDF): its place in the file, its label, its reading text."""

    index: int
    """Zero-based position of the page in the file."""
    label: str
    """The label the document declares ("iii", "4"), else the page's 1-based number."""
    start: int
    end: int
    """The page's span in the reading text, end exclusive; empty for a page without text."""


@dataclass(frozen=True)
class PdfMark:
    """A highlight made in a PDF reader (a Highlight or Underline annotation), anchored."""

    start: int
    end: int
    """Its span in the reading text."""
    note: str
    author: str
    tags: list[str]
    """Tag names, for postil's own annotations (read from their subject); else empty."""
    color: str | None
    """"#rrggbb" as the annotation is drawn, to choose the nearest tag for a foreign one."""
    mark_id: str
    """The highlight id it becomes: postil's own id, or one derived from the file and the
    annotation, so that reading the same file again makes no second highlight."""
    own: bool = False
    """Written by postil (`export --format pdf`)."""


@dataclass
class LoadedSource:
    """A document together with the facts about the bytes it came from."""

    document: Document
    origin: str
    sha256: str
    size: int
    pages: list[PageSpan] = field(default_factory=list)
    """The page map of a paged source (PDF); empty for the others."""
    marks: list[PdfMark] = field(default_factory=list)
    """Highlights found in the file itself (PDF annotations), to become postil highlights."""
    unplaced_marks: int = 0
    """Annotations in the file whose text could not be found in the reading text."""
    offsets: OffsetMap | None = None
    """Reading text -> the file's decoded text (`sources.offsets`); None when not made."""

    @property
    def metadata(self) -> dict:
        """The document's own bibliographic facts (see `Document.metadata`)."""
        return self.document.metadata
