"""What a REFI-QDA project or codebook brings in, as plain records for `store.refi_import`.

exports/refi/reader.py fills these from a `.qdpx` or `.qdc`; nothing here knows about XML.
Positions are already in postil's terms: code points into `IncomingSource.text`, end
exclusive, after line endings were made LF.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IncomingCode:
    """A code read from a REFI-QDA project, to become a tag."""

    guid: str
    path: str
    """The tag name: nested codes joined with "/" ("parent/child")."""
    color: str = ""
    description: str = ""
    codable: bool = True


@dataclass
class IncomingSelection:
    """A coded text selection read from a REFI-QDA project, to become a highlight (offsets in the source's text)."""

    guid: str
    start: int
    end: int
    codes: list[str] = field(default_factory=list)
    """GUIDs of the codes applied."""
    note: str = ""
    author: str = ""
    created_at: str = ""
    updated_at: str = ""


@dataclass
class IncomingSource:
    """A text source read from a REFI-QDA project, with its selections and memo."""

    guid: str
    name: str
    text: str
    member: str
    """Where the text was in the archive (for messages and the source's origin)."""
    selections: list[IncomingSelection] = field(default_factory=list)
    memo: str = ""
    memo_author: str = ""


@dataclass
class IncomingLink:
    """A link read from a REFI-QDA project, between two selections (`origin` -> `target`)."""

    guid: str
    origin: str
    target: str
    name: str
    note: str = ""


@dataclass
class IncomingProject:
    """A project (or a codebook alone: no sources) as read, with what could not be carried."""

    codes: list[IncomingCode] = field(default_factory=list)
    sources: list[IncomingSource] = field(default_factory=list)
    links: list[IncomingLink] = field(default_factory=list)
    losses: list[str] = field(default_factory=list)
    """Data-loss report lines (REFI-QDA section 7): what postil cannot represent."""
    notices: list[str] = field(default_factory=list)
    """How something was read that the user may want to check (line endings)."""
