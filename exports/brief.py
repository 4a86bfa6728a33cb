"""The annotated Markdown brief: front matter, summary, sections of highlights, sources.

Choices (documented here because a reader of the brief depends on them):

- Grouping `tag` (default): sections mechanism, outcome, caveat, anecdote, then other tags
  alphabetically, then "Untagged". A highlight with several tags is printed once, under its
  first tag in that order, with all its tags listed; every later section it belongs to ends
  with an "Also tagged …" list linking to it, so no section silently misses evidence.
  `source`: one section per source in document order. `order`: one list in search order.
- Anchors: each highlight is preceded by `<a id="h-xxxxxxxx"></a>` (the first 8 hex digits of
  its id, lengthened only if two highlights in the brief share them). This works in GitHub,
  pandoc, static-site generators and VS Code. Raw HTML appears only for these anchors: all
  untrusted text is escaped (exports/escape.py).
- Links: "qualifies → [quote](#h-…)" for the highlight's own links and the passive form for
  backlinks ("qualified by ← …"). Links that put the highlight in doubt (contradictions either
  way, qualifications of it, links to a caveat) come first, under "Caveats and counter-evidence",
  so under an outcome its caveats and contradicting evidence are listed; the rest follow under
  "Related". A link whose other end is not in the brief is shown without an anchor.
- Citations drop a first heading that only repeats the source's title (plain-text articles
  start with their title line), so the heading path starts where the reader would look.
- Quote integrity: a quote that no longer equals its source's text between its offsets is
  printed under "⚠ quote no longer matches the source" and returned in `mismatches` so the
  caller reports it; it is never silently printed as if it were current.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from postil.exports.citations import Citer, SourceFacts, references_section, uncited_cautions
from postil.exports.collect import ExportData, Location
from postil.exports.escape import confine_note, inline, quote_block, yaml_value
from postil.exports.glance import CHALLENGES, at_a_glance, challenges, tag_count
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


@dataclass
class Brief:
    text: str
    mismatches: list[Highlight]
    """Highlights whose quote no longer matches the source (marked in the text)."""


def render_brief(data: ExportData, by: str = "tag", facts: SourceFacts | None = None,
                 citer: Citer | None = None, keep_images: bool = False) -> Brief:
    """The brief as Markdown text, grouped `by` "tag", "source" or "order".

    Args:
        facts: the sources' records and memos (exports.citations.gather); memos are printed
            under their source.
        citer: cite in a CSL style or for Pandoc, with a reference list at the end; without
            one, highlights cite their source's title, heading path and paragraph.
        keep_images: keep remote images in notes as images; by default they are written as
            links (escape.confine_note).
    """
    text = "\n".join(line for part in brief_parts(data, by, facts, citer, keep_images) for line in part)
    return Brief(text.rstrip("\n") + "\n", data.mismatches)


def write_brief(data: ExportData, out: TextIO, by: str = "tag", facts: SourceFacts | None = None,
                citer: Citer | None = None, keep_images: bool = False) -> list[Highlight]:
    """Write the brief to `out` as it is rendered (the text `render_brief` returns, without
    holding it whole: 100,000 highlights make ~45 MB of text and a million lines).

    Returns:
        The highlights whose quote no longer matches the source.
    """
    writer = _TrimmedWriter(out)
    first = True
    for part in brief_parts(data, by, facts, citer, keep_images):
        for line in part:
            writer.write(line if first else "\n" + line)
            first = False
    writer.close()
    return data.mismatches


class _TrimmedWriter:
    """Writes text, holding back trailing newlines: the brief ends with exactly one."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.held = ""

    def write(self, text: str) -> None:
        kept = text.rstrip("\n")
        if kept:
            self.out.write(self.held + kept)
            self.held = text[len(kept):]
        else:
            self.held += text

    def close(self) -> None:
        self.out.write("\n")


def brief_parts(data: ExportData, by: str = "tag", facts: SourceFacts | None = None,
                citer: Citer | None = None, keep_images: bool = False) -> Iterator[list[str]]:
    """The brief's lines, a few at a time (front matter, each highlight, each list)."""
    if citer is not None:
        facts = citer.facts
    anchors = anchor_ids([h.id for h in data.highlights])
    grouped = sections(data, by)
    yield front_matter(data, citer)
    yield title_block(data)
    yield at_a_glance(data, uncited_cautions(citer))
    if citer is not None:
        citer.register([h for _, primary, _ in grouped for h in primary])
    writer = _Writer(data, anchors, citer, keep_images)
    for heading, primary, also in grouped:
        yield [f"## {heading}", ""]
        for h in primary:
            # Under its own tag's heading, a highlight with only that tag needs no tag line.
            yield writer.highlight(h, shown_tag=h.tags[0] if by == "tag" and len(h.tags) == 1 else None)
        if also:
            part = [f"**Also tagged {heading.lower()}** (printed in an earlier section):", ""]
            part += [f"- {writer.ref(h)}" for h in also]
            part.append("")
            yield part
    yield sources_section(data, facts)
    yield references_section(citer)


def front_matter(data: ExportData, citer: Citer | None = None) -> list[str]:
    """YAML front matter: one key a line, every value a YAML flow value (escape.yaml_value)."""
    counts = {"highlights": len(data.highlights)}
    for tag in data.tag_order:
        counts[tag] = tag_count(data, tag)
    counts["untagged"] = sum(1 for h in data.highlights if not h.tags)
    counts["quote_mismatches"] = len(data.mismatches)
    return [
        "---",
        f"title: {_yaml(data.title)}",
        f"date: {_date(data.date)}",
        f"exported: {_yaml(data.date)}",
        f"query: {_yaml(data.query)}",
        f"sources: {_yaml([s.title for s in data.sources.values()])}",
        f"highlights: {len(data.highlights)}",
        f"counts: {_yaml(counts)}",
        *([f"bibliography: {_yaml(citer.bibliography_file)}"] if citer is not None and citer.pandoc else []),
        "---",
        "",
    ]


def _yaml(value) -> str:
    # Titles come from web pages and --title: see escape.yaml_value for what it makes harmless.
    return yaml_value(value)


_ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[0-9:.]*Z$")


def _date(iso: str) -> str:
    """A bare YAML date (2026-11-25): what Obsidian's date property, Jekyll and Hugo expect."""
    match = _ISO.match(iso)
    return match.group(1) if match else _yaml(iso)


def when(iso: str) -> str:
    """"2026-11-25T12:50:51.202Z" as "2026-11-25 12:50 UTC" for people; anything else as is."""
    match = _ISO.match(iso)
    return f"{match.group(1)} {match.group(2)} UTC" if match else inline(iso)


_ONE_SOURCE = re.compile(r"^\s*source:(\d+)\s*$")


def title_block(data: ExportData) -> list[str]:
    """Title, then scope and date on separate lines (two trailing spaces: a line break)."""
    scope = f"highlights matching {inline(data.query)}" if data.query.strip() else "all highlights"
    only = _ONE_SOURCE.match(data.query)
    if only and int(only.group(1)) in data.sources:  # the app's "this source" scope
        scope = f"all highlights in *{inline(data.sources[int(only.group(1))].title or 'untitled')}*"
    out = [f"# {inline(data.title)}", ""]
    out += [f"**Scope:** {scope}  "]
    reviewers = reviewers_of(data)
    if len(reviewers) == 1:  # said once here; the citations then leave it out
        out.append(f"**Highlighted by:** {inline(reviewers[0])}  ")
    out += [f"**Exported:** {when(data.date)}", ""]
    if data.mismatches:
        n = len(data.mismatches)
        out += [f"**{MISMATCH}: {n} highlight{'s' if n != 1 else ''}** (marked below; "
                "check them against the source before citing).", ""]
    return out


def reviewers_of(data: ExportData) -> list[str]:
    """The authors of the brief's highlights, in order of first appearance."""
    return list(dict.fromkeys(h.author for h in data.highlights if h.author))


def source_headings(data: ExportData) -> dict[int, str]:
    """Each source's section name: its title, and when two sources share one, the end of
    its path, long enough to tell them apart ("Trial report (other/trial.txt)")."""
    names = {sid: source.title or "untitled" for sid, source in data.sources.items()}
    by_name: dict[str, list[int]] = {}
    for sid, name in names.items():
        by_name.setdefault(name, []).append(sid)
    for name, sids in by_name.items():
        if len(sids) < 2:
            continue
        parts = {sid: data.sources[sid].origin.replace("\\", "/").split("/") for sid in sids}
        longest = max(len(p) for p in parts.values())
        for depth in range(1, longest + 1):
            tails = {sid: "/".join(p[-depth:]) for sid, p in parts.items()}
            if len(set(tails.values())) == len(tails) or depth == longest:
                break
        for sid in sids:
            names[sid] = f"{name} ({tails[sid]})" if tails[sid] else f"{name} (source {sid})"
    return names


def sections(data: ExportData, by: str) -> list[tuple[str, list[Highlight], list[Highlight]]]:
    """(escaped heading, highlights printed here, highlights only referenced here)."""
    if by == "source":
        grouped: dict[int, list[Highlight]] = {sid: [] for sid in data.sources}
        for h in data.highlights:
            grouped[h.source_id].append(h)
        names = source_headings(data)
        return [(inline(names[sid]), grouped[sid], []) for sid in data.sources]
    if by == "order":
        return [("Highlights", list(data.highlights), [])]
    if by != "tag":
        raise ValueError(f"unknown grouping {by!r}; use tag, source or order")
    rank = {name: i for i, name in enumerate(data.tag_order)}
    primary: dict[str, list[Highlight]] = {t: [] for t in data.tag_order}
    also: dict[str, list[Highlight]] = {t: [] for t in data.tag_order}
    untagged = []
    for h in data.highlights:
        if not h.tags:
            untagged.append(h)
            continue
        ordered = sorted(h.tags, key=lambda t: rank.get(t, len(rank)))
        primary[ordered[0]].append(h)
        for other in ordered[1:]:
            also[other].append(h)
    out = [(inline(_section_name(t)), primary[t], also[t]) for t in data.tag_order]
    if untagged:
        out.append(("Untagged", untagged, []))
    return out


def _section_name(tag: str) -> str:
    return tag[:1].upper() + tag[1:]


def anchor_ids(ids: list[str]) -> dict[str, str]:
    """Stable anchors: "h-" and the shortest id prefix (at least 8) unique in this brief.

    Ids are uuids (hex and dashes); anything else is reduced to letters, digits and dashes
    so an anchor can never carry HTML.
    """
    safe = {hid: hid if _SAFE_ID.match(hid) else re.sub(r"[^0-9A-Za-z-]", "", hid) for hid in ids}
    out: dict[str, str] = {}
    width = 8
    pending = list(ids)
    while pending and width <= 64:
        seen: dict[str, int] = {}
        for hid in ids:
            key = safe[hid][:width]
            seen[key] = seen.get(key, 0) + 1
        rest = []
        for hid in pending:
            key = safe[hid][:width]
            if seen[key] == 1:
                out[hid] = "h-" + key
            else:
                rest.append(hid)
        pending, width = rest, width + 4
    for index, hid in enumerate(pending):
        out[hid] = f"h-{safe[hid]}-{index}"
    return out


_SAFE_ID = re.compile(r"^[0-9A-Za-z-]+$")


class _Writer:
    """Renders one highlight's block; holds the lookups every block needs."""

    def __init__(self, data: ExportData, anchors: dict[str, str], citer: Citer | None = None,
                 keep_images: bool = False) -> None:
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
        # One reviewer is named once, under the title; several, on each citation.
        self.name_authors = len(reviewers_of(data)) > 1

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
            doubts = challenges(data, h, self.by_id)
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
        glimpse = " ".join(h.quote.split())
        if len(glimpse) > GLIMPSE_CHARS:
            glimpse = glimpse[: GLIMPSE_CHARS - 1].rstrip() + "…"
        text = f"“{inline(glimpse)}”"
        title = source_title if source_title is not None else self.data.sources[h.source_id].title
        where = f" — *{inline(title or 'untitled')}*"
        if h.id in self.anchors:
            return f"[{text}](#{self.anchors[h.id]}){where}"
        return f"{text}{where} (not in this brief)"

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


def sources_section(data: ExportData, facts: SourceFacts | None = None) -> list[str]:
    """Each source's title, origin and hash, and the reviewer's memo on it."""
    out = ["## Sources", ""]
    for source in data.sources.values():
        out.append(f"- **{inline(source.title or 'untitled')}**  ")
        out.append(f"  origin: {inline(source.origin)}  ")
        out.append(f"  sha256: `{source.sha256}` · imported {when(source.imported_at)}")
        memo = facts.memos.get(source.id) if facts is not None else None
        if memo is not None and memo.memo.strip():
            by = f" ({inline(memo.author)})" if memo.author else ""
            out += ["", f"  **Memo**{by}:", ""] + confine_note(memo.memo, "  ")
            out.append("")
    out.append("")
    return out
