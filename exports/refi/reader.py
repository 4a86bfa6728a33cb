"""Reading a `.qdpx` (or a bare `project.qde`) into `store.refi_records.IncomingProject`.

Texts: a TextSource's `plainTextPath` (`internal://X` is `sources/X` in the archive, any
case) or its PlainTextContent; a PDFSource's text Representation. A BOM is dropped; other
controls than tab and newline are removed, with positions moved to match.

Line endings: postil's texts use LF. A text with CRLF is made LF and each selection's
positions follow; whether the project counted a CRLF as two code points (as in the file:
the spec's reading, and postil's own `--crlf` export) or as one (tools that count lines'
ends as one character) is `crlf_counts` (2 or 1), or for "auto": 2 for postil's own files,
else whichever makes more selections' names equal their text (2 on a tie).

Anything postil cannot hold (pictures, audio, video, PDF areas, variables, cases, sets,
graphs, codings of whole sources, external files) is listed in `losses`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path

from postil.exports.refi.archive import Archive, ArchiveRefused
from postil.exports.refi.codebook import read_codes
from postil.exports.refi.guids import normal
from postil.exports.refi.safexml import XMLRefused, local, parse
from postil.sources.normalise import decode
from postil.store.refi_records import IncomingLink, IncomingProject, IncomingSelection, IncomingSource

_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_REMOVED = re.compile(r"\r(?=\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UNSUPPORTED = {"PictureSource": "picture source(s)", "AudioSource": "audio source(s)",
                "VideoSource": "video source(s)"}
_ELSEWHERE = {"Variables": "variable(s)", "Cases": "case(s)", "Sets": "set(s)", "Graphs": "graph(s)"}


def children(element, name: str) -> list:
    return [c for c in element if local(c) == name]


def child_text(element, name: str) -> str:
    found = children(element, name)
    return (found[0].text or "") if found else ""


def read_qdpx(path: str | Path, crlf_counts: str = "auto") -> IncomingProject:
    """A whole `.qdpx`.

    Raises:
        ValueError: one line naming the file: not a ZIP we read, no project.qde, bad XML.
    """
    label = str(path)
    with Archive(path) as archive:
        info = archive.find("project.qde")
        if info is None:
            qde = [i for i in archive.members.values() if i.filename.lower().endswith(".qde")]
            if len(qde) != 1:
                raise ArchiveRefused(f"{label}: not a REFI-QDA project (no project.qde in the archive)")
            info = qde[0]
        try:
            root = parse(archive.read(info))
        except XMLRefused as error:
            raise ValueError(f"{label}: {info.filename}: {error}") from None
        return ProjectReader(root, label, archive, crlf_counts).read()


class ProjectReader:
    """One pass over a parsed project."""

    def __init__(self, root, label: str, archive: Archive | None, crlf_counts: str = "auto") -> None:
        if local(root) != "Project":
            raise ValueError(f"{label}: not a REFI-QDA project (the root element is <{local(root)}>)")
        self.root, self.label, self.archive, self.crlf_counts = root, label, archive, crlf_counts
        self.origin = root.get("origin") or ""
        self.project = IncomingProject()
        self.users: dict[str, str] = {}
        self.notes: dict[str, tuple[str, str]] = {}
        self.used_notes: set[str] = set()

    def loss(self, message: str) -> None:
        self.project.losses.append(message)

    def read(self) -> IncomingProject:
        for section in children(self.root, "Users"):
            for user in children(section, "User"):
                guid = normal(user.get("guid"))
                if guid:
                    self.users[guid] = " ".join((user.get("name") or user.get("id") or "").split())
        for section in children(self.root, "CodeBook"):
            for codes in children(section, "Codes"):
                self.project.codes.extend(read_codes(codes, self.project.losses))
        for section in children(self.root, "Notes"):
            for note in children(section, "Note"):
                guid = normal(note.get("guid"))
                if guid:
                    text = self._text_of(note, f"note {note.get('name') or guid}")
                    self.notes[guid] = ((text or "").strip(), self.users.get(normal(note.get("creatingUser")) or "", ""))
                    if children(note, "PlainTextSelection"):
                        self.loss(f"selections inside note {note.get('name') or guid!r} (postil codes only sources)")
        for section in children(self.root, "Sources"):
            for element in section:
                self._source(element)
        for section in children(self.root, "Links"):
            for link in children(section, "Link"):
                self._link(link)
        for name, what in _ELSEWHERE.items():
            count = sum(len(s) for s in children(self.root, name))
            if count:
                self.loss(f"{count} {what} (postil has none)")
        unused = [g for g in self.notes if g not in self.used_notes]
        if unused:
            self.loss(f"{len(unused)} note(s) not attached to a selection, source or link (project memos)")
        return self.project

    # --- texts ----------------------------------------------------------------------------

    def _text_of(self, element, what: str) -> str | None:
        """The plain text of a TextSource-like element, or None (reported) when unreadable."""
        path = element.get("plainTextPath")
        rich = element.get("richTextPath") or ""
        if not path and rich.lower().endswith(".txt"):
            path = rich  # a known slip: a plain .txt declared as the rich text
        if not path:
            content = children(element, "PlainTextContent")
            if content:
                return content[0].text or ""
            self.loss(f"{what}: no plain text in the project")
            return None
        if not path.lower().startswith("internal://"):
            self.loss(f"{what}: its text is an external file ({path[:80]}), not in the archive")
            return None
        member = "sources/" + path[len("internal://") :]
        info = self.archive.find(member) if self.archive else None
        if info is None:
            self.loss(f"{what}: {member} is missing from the archive")
            return None
        text, warnings = decode(self.archive.read(info), member)
        for warning in warnings:
            self.loss(f"{what}: {warning}")
        return text

    def _source(self, element) -> None:
        kind = local(element)
        name = element.get("name") or element.get("guid") or kind
        if kind in _UNSUPPORTED:
            self.loss(f"{_UNSUPPORTED[kind][:-3]} {name!r} (postil reads text only)")
            return
        if kind == "PDFSource":
            areas = len(children(element, "PDFSelection"))
            if areas:
                self.loss(f"{areas} PDF area selection(s) in {name!r}")
            text_elements = children(element, "Representation")
            if not text_elements:
                self.loss(f"PDF source {name!r}: no text representation")
                return
            self._text_source(text_elements[0], name, element)
        elif kind == "TextSource":
            self._text_source(element, name, element)

    def _text_source(self, element, name: str, outer) -> None:
        guid = normal(outer.get("guid")) or normal(element.get("guid"))
        if guid is None:
            self.loss(f"source {name!r}: no GUID")
            return
        raw = self._text_of(element, f"source {name!r}")
        if raw is None:
            return
        if not raw.strip():
            self.loss(f"source {name!r}: its text is empty")
            return
        whole = len(children(outer, "Coding")) + (len(children(element, "Coding")) if element is not outer else 0)
        if whole:
            self.loss(f"{whole} coding(s) of the whole source {name!r} (postil codes passages)")
        raw_selections = children(element, "PlainTextSelection")
        mode = self._crlf_mode(raw, raw_selections, name)
        if mode == "1":
            raw = raw.replace("\r\n", "\n")
        removed = [m.start() for m in _REMOVED.finditer(raw)]
        text = _REMOVED.sub("", raw).replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
        source = IncomingSource(guid, " ".join(name.split()), text, element.get("plainTextPath") or "PlainTextContent")
        for selection in raw_selections:
            self._selection(selection, source, removed)
        memo_parts = [child_text(outer, "Description").strip()]
        for ref in children(outer, "NoteRef"):
            memo_parts.append(self._note(ref, source)[0])
        source.memo = "\n\n".join(p for p in memo_parts if p)
        authors = [self._note(ref, source)[1] for ref in children(outer, "NoteRef")]
        source.memo_author = next((a for a in authors if a), "")
        self.project.sources.append(source)

    def _crlf_mode(self, raw: str, selections, name: str) -> str:
        if "\r\n" not in raw:
            return "2"
        if self.crlf_counts in ("1", "2"):
            return self.crlf_counts
        if self.origin.startswith("postil"):
            return "2"
        votes = {"1": 0, "2": 0}
        collapsed = raw.replace("\r\n", "\n")
        for selection in selections:
            label, (start, end) = selection.get("name") or "", _positions(selection)
            if not label or start is None:
                continue
            votes["2"] += _same(raw[start:end], label)
            votes["1"] += _same(collapsed[start:end], label)
        mode = "1" if votes["1"] > votes["2"] else "2"
        self.project.notices.append(
            f"source {name!r} has CRLF line ends: positions read counting each as {'one character' if mode == '1' else 'two'}"
            " (override with --crlf-counts)"
        )
        return mode

    def _note(self, ref, source: IncomingSource) -> tuple[str, str]:
        guid = normal(ref.get("targetGUID"))
        if guid is None or guid not in self.notes:
            return "", ""
        self.used_notes.add(guid)
        return self.notes[guid]

    def _selection(self, element, source: IncomingSource, removed: list[int]) -> None:
        guid = normal(element.get("guid"))
        start, end = _positions(element)
        if guid is None or start is None:
            self.loss(f"a selection in {source.name!r} without a GUID or whole-number positions (skipped)")
            return
        start, end = start - bisect_left(removed, start), end - bisect_left(removed, end)
        codes = []
        for coding in children(element, "Coding"):
            for ref in children(coding, "CodeRef"):
                code = normal(ref.get("targetGUID"))
                if code:
                    codes.append(code)
        parts = [child_text(element, "Description").strip()]
        parts += [self._note(ref, source)[0] for ref in children(element, "NoteRef")]
        created = _when(element.get("creationDateTime"))
        source.selections.append(IncomingSelection(
            guid, start, end, codes, "\n\n".join(p for p in parts if p),
            self.users.get(normal(element.get("creatingUser")) or "", ""),
            created, _when(element.get("modifiedDateTime")) or created,
        ))

    def _link(self, element) -> None:
        guid, origin, target = (normal(element.get(a)) for a in ("guid", "originGUID", "targetGUID"))
        if not (guid and origin and target):
            self.loss(f"link {element.get('name') or '(unnamed)'!r} without GUIDs at both ends (skipped)")
            return
        note = "\n\n".join(
            self.notes[g][0] for g in (normal(r.get("targetGUID")) for r in children(element, "NoteRef")) if g in self.notes
        )
        self.used_notes.update(normal(r.get("targetGUID")) for r in children(element, "NoteRef"))
        if element.get("direction") in ("Bidirectional", "Associative"):
            self.loss(f"link {element.get('name') or guid!r}: {element.get('direction')} made one-way (postil links point one way)")
        self.project.links.append(IncomingLink(guid, origin, target, element.get("name") or "", note))


def _positions(element) -> tuple[int | None, int | None]:
    try:
        return int(element.get("startPosition")), int(element.get("endPosition"))
    except (TypeError, ValueError):
        return None, None


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split()) and bool(a.strip())


def _when(stamp: str | None) -> str:
    return stamp if stamp and _DATETIME.fullmatch(stamp.strip()) else ""
