"""Project Gutenberg books: the header and licence footer apart from the book itself.

A Gutenberg plain-text file is the book between two marker lines,

    *** START OF THE PROJECT GUTENBERG EBOOK MOBY DICK; OR, THE WHALE ***
    ...
    *** END OF THE PROJECT GUTENBERG EBOOK MOBY DICK; OR, THE WHALE ***

with a header above (the ebook's fields: `Title:`, `Author:`, `Release date:`, `Language:`,
continuation lines indented) and the licence below. Older files say "THIS PROJECT
GUTENBERG EBOOK" or "*END*THE SMALL PRINT"; only the START/END marker lines are trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_START = re.compile(r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b[^\n]*$", re.IGNORECASE | re.MULTILINE)
_END = re.compile(r"^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b[^\n]*$", re.IGNORECASE | re.MULTILINE)
_FIELD = re.compile(r"^([A-Z][A-Za-z ]{1,30}):[ \t]*(.*)$")
_HEADER_LIMIT = 20_000
"""The START marker is looked for in the first characters only: a book quoting one later is
still a book."""


@dataclass
class Book:
    """Where the book lies in the file's text, and what its header says."""

    body_start: int
    body_end: int
    fields: dict[str, str] = field(default_factory=dict)
    """Header field -> value as written ("Title", "Author", "Release date", ...)."""

    def metadata(self) -> dict:
        """The header as `Document.metadata`: title, author (a list), language, date."""
        facts: dict = {"gutenberg": dict(self.fields)}
        if self.fields.get("Title"):
            facts["title"] = self.fields["Title"]
        authors = self.fields.get("Author") or self.fields.get("Authors")
        if authors:
            facts["author"] = [a.strip() for a in re.split(r"\s+and\s+|;", authors) if a.strip()]
        if self.fields.get("Language"):
            facts["language"] = self.fields["Language"]
        date = self.fields.get("Release date") or self.fields.get("Release Date")
        if date:
            facts["date"] = re.sub(r"\s*\[.*$", "", date.split("\n")[0]).strip()
        return facts


def find_book(text: str) -> Book | None:
    """The book inside a Project Gutenberg file, or None when `text` has no START marker."""
    start = _START.search(text, 0, _HEADER_LIMIT)
    if start is None:
        return None
    end = _END.search(text, start.end())
    body_end = end.start() if end else len(text)
    return Book(start.end(), body_end, _header_fields(text[: start.start()]))


def _header_fields(header: str) -> dict[str, str]:
    """`Title: ...` fields; an indented line under one continues it (a subtitle)."""
    fields: dict[str, str] = {}
    last: str | None = None
    for line in header.split("\n"):
        match = _FIELD.match(line)
        if match and match.group(2).strip():
            last = match.group(1).strip()
            fields[last] = " ".join(match.group(2).split())
        elif last and line[:1].isspace() and line.strip():
            more = " ".join(line.split())
            joiner = " " if fields[last][-1:] in ";:," or last != "Title" else ": "
            fields[last] = f"{fields[last]}{joiner}{more}" if last == "Title" else f"{fields[last]}\n{more}"
        else:
            last = None
    return fields
