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


def _user(users: dict[str, str], author: str) -> str | None:
    if not author:
        return None
    return users.setdefault(author, user_guid(author))


def build(export: ProjectExport, *, crlf: bool = False) -> BuiltProject:
    """The project document and its source texts."""
    data = export.data
    losses: list[str] = []
    users: dict[str, str] = {}
    root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
    root.set("name", xml_text(data.title) or "postil project")
    root.set("origin", ORIGIN + (" crlf" if crlf else ""))
    if _when(data.date):
        root.set("creationDateTime", data.date)
    users_element = _e(root, "Users")
    codebook = _e(root, "CodeBook")
    codebook.append(codes_element(export.tags, NS))
    sources_element = _e(root, "Sources")
    notes: list[tuple[str, str, str, str]] = []  # guid, name, text, author
    by_source: dict[int, list] = {}
    for h in data.highlights:
        by_source.setdefault(h.source_id, []).append(h)
    texts: dict[str, bytes] = {}
    exported: set[str] = set()
    orphaned = mismatched = 0
    for source in export.sources.values():
        guid = source_guid(source.text)
        text = source.text.replace("\n", "\r\n") if crlf else source.text
        newlines = [i for i, c in enumerate(source.text) if c == "\n"] if crlf else []
        member = f"sources/{guid}.txt"
        texts[member] = text.encode("utf-8")
        element = _e(sources_element, "TextSource", guid=guid, name=xml_text(source.title),
                     plainTextPath=f"internal://{guid}.txt", creationDateTime=_when(source.imported_at))
        for h in sorted(by_source.get(source.id, []), key=lambda h: (h.start, h.end, h.id)):
            if h.anchor_status == "orphaned":
                orphaned += 1
                continue
            if not data.quote_ok.get(h.id, True):
                mismatched += 1
            start, end = h.start + bisect_left(newlines, h.start), h.end + bisect_left(newlines, h.end)
            selection_guid = of_id(h.id, "highlight")
            exported.add(h.id)
            who = _user(users, h.author)
            selection = _e(element, "PlainTextSelection", guid=selection_guid, name=xml_text(h.quote[:100]),
                           startPosition=start, endPosition=end, creatingUser=who,
                           creationDateTime=_when(h.created_at), modifyingUser=who,
                           modifiedDateTime=_when(h.updated_at))
            if h.note:
                _e(selection, "Description").text = xml_text(h.note)
            for tag in h.tags:
                coding = _e(selection, "Coding", guid=coding_guid(selection_guid, tag.casefold()), creatingUser=who,
                            creationDateTime=_when(h.created_at))
                _e(coding, "CodeRef", targetGUID=code_guid(tag))
        memo = export.memos.get(source.id)
        if memo:
            note_guid = derived("source-memo", guid)
            notes.append((note_guid, f"Memo: {source.title}", memo.memo, memo.author))
            _e(element, "NoteRef", targetGUID=note_guid)
    links = [l for l in data.links if l.from_id in exported and l.to_id in exported]
    if len(links) < len(data.links):
        losses.append(f"{len(data.links) - len(links)} link(s) with an end outside this export")
    link_notes = []
    for link in links:
        if link.note:
            link_notes.append((link, derived("link-note", link.id)))
            notes.append((link_notes[-1][1], f"Link note: {link.relation}", link.note, link.author))
    if notes:
        notes_element = _e(root, "Notes")
        for guid, name, text, author in notes:
            note = _e(notes_element, "Note", guid=guid, name=xml_text(name), creatingUser=_user(users, author))
            _e(note, "PlainTextContent").text = xml_text(text)
    if links:
        note_of = dict((l.id, g) for l, g in link_notes)
        links_element = _e(root, "Links")
        for link in links:
            element = _e(links_element, "Link", guid=of_id(link.id, "link"), name=link.relation, direction="OneWay",
                         originGUID=of_id(link.from_id, "highlight"), targetGUID=of_id(link.to_id, "highlight"))
            if link.id in note_of:
                _e(element, "NoteRef", targetGUID=note_of[link.id])
        if any(l.author or l.created_at for l in links):
            losses.append("links' authors and dates (a REFI-QDA Link has neither)")
    for name, guid in users.items():
        _e(users_element, "User", guid=guid, name=xml_text(name))
    if not users:
        root.remove(users_element)
    if not len(sources_element):
        root.remove(sources_element)
    if orphaned:
        losses.append(f"{orphaned} orphaned highlight(s) (no place in the text; see `postil orphans`)")
    if mismatched:
        losses.append(f"{mismatched} highlight(s) whose stored quote no longer matches the text (exported at their positions)")
    losses.append("source formatting (headings, lists, links) and origins: each text is exported as plain text")
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return BuiltProject(xml, texts, losses, len(exported))
