"""The brief's blocks for one highlight: its quote, citation line, tags, note and links
(exports/brief.py puts them in order under their headings).
"""

from __future__ import annotations

import re

from postil.exports.brief_plan import Anchors
from postil.exports.citations import Citer
from postil.exports.collect import ExportData, Location
from postil.exports.escape import confine_note, inline, quote_block
from postil.exports.glance import CHALLENGES, challenges
from postil.store.models import Highlight, Link

GLIMPSE_CHARS = 70
MISMATCH = "⚠ quote no longer matches the source"
PASSIVE = {
    "supports": "supported by",
    "contradicts": "contradicted by",
    "qualifies": "qualified by",
    "elaborates": "elaborated by",
    "same-finding": "same finding as",
    "see-also": "see also",
}


ISO_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[0-9:.]*Z$")


def when(iso: str) -> str:
    """"2026-11-25T12:50:51.202Z" as "2026-11-25 12:50 UTC" for people; anything else as is."""
    match = ISO_STAMP.match(iso)
    return f"{match.group(1)} {match.group(2)} UTC" if match else inline(iso)


class HighlightBlocks:
    """Renders the blocks of one batch's highlights; holds the lookups every block needs."""

    def __init__(self, data: ExportData, anchors: Anchors, citer: Citer | None = None,
                 keep_images: bool = False, name_authors: bool = False) -> None:
        """
        Args:
            data: the batch (exports.brief_input): its highlights, and the far ends of
                their links in `outside`.
            anchors: the anchors of every highlight in the brief.
            name_authors: name the reviewer on each citation (the brief has several).
        """
        self.data = data
        self.anchors = anchors
        self.citer = citer
        self.keep_images = keep_images
        self.by_id = {h.id: h for h in data.highlights}
        # Pieces that repeat across a brief's highlights, rendered once each: citations
        # (same source, block and author), tag lines, and references to a highlight (each
        # link is drawn from both ends, and again in "Also tagged" lists).
        self._citations: dict[tuple, str] = {}
        self._tag_lines: dict[tuple[str, ...], str] = {}
        self._refs: dict[tuple[int, str | None], str] = {}
        self.name_authors = name_authors

    def highlight(self, h: Highlight, shown_tag: str | None = None) -> list[str]:
        data = self.data
        ok = data.quote_ok.get(h.id, True)
        out = [f'<a id="{self.anchors[h.id]}"></a>', ""]
        if not ok:
            status = "" if h.anchor_status == "anchored" else f" (anchor: {h.anchor_status})"
            out += [f"**{MISMATCH}**{status}; the quote as highlighted:", ""]
        out += quote_block(h.quote)
        columns = data.columns.get(h.id)
        if columns:  # a table row means little without the names of its columns
            out += ["", f"*Columns:* {inline(columns)}"]
        now_reads = "" if ok else self.current_text(h)
        if now_reads:
            out += ["", f"*The source now reads there:* “{inline(now_reads)}”"]
        out += ["", self.citation(h), ""]
        items = []
        tags = h.tags
        if tags and not (len(tags) == 1 and tags[0] == shown_tag):
            key = tuple(tags)
            line = self._tag_lines.get(key)
            if line is None:
                line = self._tag_lines[key] = "- **Tags:** " + ", ".join([inline(t) for t in tags])
            items.append(line)
        if h.note.strip():
            items += note_item(h.note, self.keep_images)
        links = data.links_of(h.id)
        if links:
            doubts = challenges(data, h)
            if doubts:
                items.append("- **Caveats and counter-evidence:**")
                items += ["  - " + self.link_line(h, link) for link in sorted(doubts, key=_doubt_rank)]
            related = [link for link in links if link not in doubts]
            if related:
                items.append("- **Related:**")
                items += ["  - " + self.link_line(h, link) for link in related]
        if items:
            out += items
            out.append("")
        return out

    def current_text(self, h: Highlight) -> str:
        """What the source says now where a fuzzy quote sits (nothing for an orphan)."""
        text = self.data.sources[h.source_id].text
        if h.anchor_status == "orphaned" or not 0 <= h.start < h.end <= len(text):
            return ""
        found = " ".join(text[h.start : h.end].split())
        return found if len(found) <= 2 * GLIMPSE_CHARS else found[: 2 * GLIMPSE_CHARS - 1].rstrip() + "…"

    def citation(self, h: Highlight) -> str:
        """"— *Title*, § Heading › Sub, ¶ 12, p. 4 · highlighted by alice" (the page's label, in PDFs)."""
        # An orphan's offsets point at nothing any more: cite the source only.
        location = None if h.anchor_status == "orphaned" else self.data.locations.get(h.id)
        # Locations are shared by the highlights of one block (collect.locate_all) and kept
        # alive by `data`, so their identity is a sound key.
        page = None if location is None else self.data.pages.get(h.id)
        last = self.data.last_pages.get(h.id) if page else None
        key = (h.source_id, id(location) if location is not None else None, h.author,
               page.label if page else None, last.label if last else None)
        line = self._citations.get(key)
        if line is None:
            line = self._citations[key] = self._citation(h, location)
        return line

    def _citation(self, h: Highlight, location: Location | None) -> str:
        source = self.data.sources[h.source_id]
        if self.citer is None:
            line = f"— *{inline(source.title or 'untitled')}*"
        elif self.citer.pandoc:
            line = "— " + self.citer.cite(h, location)  # [@key, p. 4]: keys are checked to be safe
        else:
            line = "— " + inline(self.citer.cite(h, location))
        headings = list(location.headings) if location else []
        if headings and _same(headings[0], source.title):
            headings = headings[1:]
        if headings:
            line += ", § " + " › ".join(inline(t) for t in headings)
        if location and location.paragraph and self.citer is None:
            line += f", ¶ {location.paragraph}"
        page = self.data.pages.get(h.id) if location else None
        last = self.data.last_pages.get(h.id) if page else None
        if last:
            line += f", pp. {inline(page.label)}–{inline(last.label)}"
        elif page:
            line += f", p. {inline(page.label)}"
        if h.author and self.name_authors:
            line += f" · highlighted by {inline(h.author)}"
        return line

    def ref(self, h: Highlight, source_title: str | None = None) -> str:
        """A link to a highlight in this brief, or its glimpse when it is not in the brief."""
        key = (id(h), source_title)  # highlights are kept alive by `data`
        found = self._refs.get(key)
        if found is None:
            found = self._refs[key] = self._ref(h, source_title)
        return found

    def _ref(self, h: Highlight, source_title: str | None) -> str:
        title = source_title if source_title is not None else self.data.sources[h.source_id].title
        return reference(h, title, self.anchors)

    def link_line(self, h: Highlight, link: Link) -> str:
        outgoing = link.from_id == h.id
        other_id = link.to_id if outgoing else link.from_id
        relation = inline(link.relation)
        phrase = f"{relation} →" if outgoing else f"{inline(PASSIVE.get(link.relation, link.relation))} ←"
        if other_id in self.by_id:
            target = self.ref(self.by_id[other_id])
        elif other_id in self.data.outside:
            other, title = self.data.outside[other_id]
            target = self.ref(other, title)
        else:
            target = "(a highlight no longer in the database)"
        note = f" ({inline(link.note)})" if link.note.strip() else ""
        return f"{phrase} {target}{note}"


def reference(h: Highlight, source_title: str, anchors: Anchors) -> str:
    """A link to a highlight in the brief, or its glimpse when it is not in the brief."""
    glimpse = " ".join(h.quote.split())
    if len(glimpse) > GLIMPSE_CHARS:
        glimpse = glimpse[: GLIMPSE_CHARS - 1].rstrip() + "…"
    text = f"“{inline(glimpse)}”"
    where = f" — *{inline(source_title or 'untitled')}*"
    if h.id in anchors:
        return f"[{text}](#{anchors[h.id]}){where}"
    return f"{text}{where} (not in this brief)"


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold().rstrip("…") == " ".join(b.split()).casefold()[: len(a.rstrip("…"))] and bool(a)


def _doubt_rank(link: Link) -> int:
    """Contradictions first, then qualifications, then the rest."""
    return CHALLENGES.index(link.relation) if link.relation in CHALLENGES else len(CHALLENGES)


def note_item(note: str, keep_images: bool = False) -> list[str]:
    """The note as a list item: its first line right after "Note:" when that line is plain
    prose, else (a list, a quote, a fence) the whole note as a block under the label."""
    lines = confine_note(note, "  ", keep_images)
    first = note.lstrip("\n").split("\n", 1)[0]
    if lines and lines[0].strip() and not _BLOCK_START.match(first):
        return ["- **Note:** " + lines[0][2:]] + lines[1:]
    return ["- **Note:**", ""] + lines


# A note line that must start its own block: fences, lists, quotes, indented code, HTML.
_BLOCK_START = re.compile(r"^(?: {4}|\t|\s*(?:`{3,}|~{3,}|[-+*>]|\d{1,9}[.)]|<|\|))")
