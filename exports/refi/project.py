"""postil's highlights as a REFI-QDA project (`project.qde`, QDA-XML 1.0).

- every tag is a Code (nested by "/", see codebook), each source a TextSource whose text is
  the file `sources/<GUID>.txt` (`plainTextPath="internal://<GUID>.txt"`): postil's reading
  text, UTF-8 without BOM, LF line ends (CRLF with `crlf=True`, positions then counting
  each CRLF as two code points, as in the file);
- each highlight a PlainTextSelection (GUID = its id; positions in code points, end
  exclusive; its note the <Description>; one Coding per tag; its author a User);
- each link with both ends exported a Link (name = relation, direction OneWay), its note a
  Note it refers to; each source memo a Note the TextSource refers to.

`losses` lists what the file cannot carry (REFI-QDA section 7 asks software to say so).
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_left
from dataclasses import dataclass, field

from lxml import etree

from postil.exports.collect import ExportData, collect
from postil.exports.refi.codebook import codes_element
from postil.exports.refi.guids import code_guid, coding_guid, derived, of_id, source_guid, user_guid
from postil.exports.refi.safexml import xml_text
from postil.store.models import Source, Tag
from postil.store.refi_import import SourceMemo, source_memos
from postil.store.sources import get_source, list_sources
from postil.store.tags import list_tags

NS = "urn:QDA-XML:project:1.0"
ORIGIN = "postil"
"""The project's `origin`; " crlf" is added when the texts have CRLF line ends."""
_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


@dataclass
class ProjectExport:
    """What one `.qdpx` holds, gathered from the store."""

    data: ExportData
    sources: dict[int, Source]
    tags: list[Tag]
    memos: dict[int, SourceMemo] = field(default_factory=dict)


@dataclass
class BuiltProject:
    """A REFI-QDA project's XML and source texts, before they are packed into an archive."""

    xml: bytes
    texts: dict[str, bytes]
    """Archive member name ("sources/<GUID>.txt") -> its bytes."""
    losses: list[str]
    selections: int


def gather(db: sqlite3.Connection, query: str = "", title: str | None = None) -> ProjectExport:
    """The export of `query`; with no query, every source, even those without highlights."""
    data = collect(db, query, title)
    sources = dict(data.sources)
    if not query.strip():
        for info in list_sources(db):
            if info.id not in sources:
                sources[info.id] = get_source(db, info.id, blocks=False)
    return ProjectExport(data, sources, list_tags(db), source_memos(db, list(sources)))


def _e(parent, kind: str, **attributes) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{kind}")
    for key, value in attributes.items():
        if value is not None and value != "":
            element.set(key, str(value))
    return element


def _when(stamp: str) -> str | None:
    return stamp if stamp and _DATETIME.fullmatch(stamp) else None


def build(export: ProjectExport, *, crlf: bool = False) -> BuiltProject:
    """The project document and its source texts."""
    return _Writer(export, crlf).build()


class _Writer:
    """One export's document, built section by section (the schema's order)."""

    def __init__(self, export: ProjectExport, crlf: bool) -> None:
        self.export, self.crlf = export, crlf
        self.losses: list[str] = []
        self.users: dict[str, str] = {}
        self.notes: list[tuple[str, str, str, str]] = []
        """(guid, name, text, author) of each Note, written after the sources."""
        self.texts: dict[str, bytes] = {}
        self.exported: set[str] = set()
        self.orphaned = self.mismatched = 0

    def user(self, author: str) -> str | None:
        if not author:
            return None
        return self.users.setdefault(author, user_guid(author))

    def build(self) -> BuiltProject:
        data = self.export.data
        root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
        root.set("name", xml_text(data.title) or "postil project")
        root.set("origin", ORIGIN + (" crlf" if self.crlf else ""))
        if _when(data.date):
            root.set("creationDateTime", data.date)
        users = _e(root, "Users")
        if self.export.tags:  # the schema wants at least one Code in a CodeBook
            _e(root, "CodeBook").append(codes_element(self.export.tags, NS))
        by_source: dict[int, list] = {}
        for h in data.highlights:
            by_source.setdefault(h.source_id, []).append(h)
        if self.export.sources:
            sources = _e(root, "Sources")
            for source in self.export.sources.values():
                self.source(sources, source, by_source.get(source.id, []))
        links = self.links()
        if self.notes:
            notes = _e(root, "Notes")
            for guid, name, text, author in self.notes:
                note = _e(notes, "Note", guid=guid, name=xml_text(name), creatingUser=self.user(author))
                _e(note, "PlainTextContent").text = xml_text(text)
        if links is not None:
            root.append(links)
        for name, guid in self.users.items():
            _e(users, "User", guid=guid, name=xml_text(name))
        if not self.users:
            root.remove(users)
        self.report()
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return BuiltProject(xml, self.texts, self.losses, len(self.exported))

    def source(self, parent, source: Source, highlights: list) -> None:
        guid = source_guid(source.text)
        newlines = [m.start() for m in re.finditer("\n", source.text)] if self.crlf else []
        text = source.text.replace("\n", "\r\n") if self.crlf else source.text
        self.texts[f"sources/{guid}.txt"] = text.encode("utf-8")
        element = _e(parent, "TextSource", guid=guid, name=xml_text(source.title),
                     plainTextPath=f"internal://{guid}.txt", creationDateTime=_when(source.imported_at))
        for h in sorted(highlights, key=lambda h: (h.start, h.end, h.id)):
            if h.anchor_status == "orphaned":
                self.orphaned += 1
                continue
            self.mismatched += not self.export.data.quote_ok.get(h.id, True)
            # With CRLF, every LF before a position adds one code point to it.
            self.selection(element, h, h.start + bisect_left(newlines, h.start), h.end + bisect_left(newlines, h.end))
        memo = self.export.memos.get(source.id)
        if memo:
            note_guid = derived("source-memo", guid)
            self.notes.append((note_guid, f"Memo: {source.title}", memo.memo, memo.author))
            _e(element, "NoteRef", targetGUID=note_guid)

    def selection(self, parent, h, start: int, end: int) -> None:
        guid = of_id(h.id, "highlight")
        self.exported.add(h.id)
        who = self.user(h.author)
        selection = _e(parent, "PlainTextSelection", guid=guid, name=xml_text(h.quote[:100]),
                       startPosition=start, endPosition=end, creatingUser=who, creationDateTime=_when(h.created_at),
                       modifyingUser=who, modifiedDateTime=_when(h.updated_at))
        if h.note:
            _e(selection, "Description").text = xml_text(h.note)
        for tag in h.tags:
            coding = _e(selection, "Coding", guid=coding_guid(guid, tag.casefold()), creatingUser=who,
                        creationDateTime=_when(h.created_at))
            _e(coding, "CodeRef", targetGUID=code_guid(tag))

    def links(self) -> etree._Element | None:
        """The <Links> element (None without links); link notes join `notes`."""
        every = self.export.data.links
        # In id order: the same links give the same file whatever order the database returns them in.
        links = sorted((l for l in every if l.from_id in self.exported and l.to_id in self.exported), key=lambda l: l.id)
        if len(links) < len(every):
            self.losses.append(f"{len(every) - len(links)} link(s) with an end outside this export")
        if not links:
            return None
        element = etree.Element(f"{{{NS}}}Links")
        for link in links:
            item = _e(element, "Link", guid=of_id(link.id, "link"), name=link.relation, direction="OneWay",
                      originGUID=of_id(link.from_id, "highlight"), targetGUID=of_id(link.to_id, "highlight"))
            if link.note:
                note_guid = derived("link-note", link.id)
                self.notes.append((note_guid, f"Link note: {link.relation}", link.note, link.author))
                _e(item, "NoteRef", targetGUID=note_guid)
        if any(l.author or l.created_at for l in links):
            self.losses.append("links' authors and dates (a REFI-QDA Link has neither)")
        return element

    def report(self) -> None:
        if self.orphaned:
            self.losses.append(f"{self.orphaned} orphaned highlight(s) (no place in the text; see `postil orphans`)")
        if self.mismatched:
            self.losses.append(f"{self.mismatched} highlight(s) whose stored quote no longer matches the text "
                               "(exported at their positions)")
        self.losses.append("source formatting (headings, lists, links) and origins: each text is exported as plain text")
