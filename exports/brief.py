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

from postil.exports.brief_blocks import ISO_STAMP, MISMATCH, HighlightBlocks, reviewers_of, when
from postil.exports.citations import Citer, SourceFacts, references_section, uncited_cautions
from postil.exports.collect import ExportData
from postil.exports.escape import confine_note, inline, yaml_value
from postil.exports.glance import at_a_glance, tag_count
from postil.store.models import Highlight


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
    writer = HighlightBlocks(data, anchors, citer, keep_images)
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


_SAFE_ID = re.compile(r"^[0-9A-Za-z-]+$")


def _date(iso: str) -> str:
    """A bare YAML date (2026-11-25): what Obsidian's date property, Jekyll and Hugo expect."""
    match = ISO_STAMP.match(iso)
    return match.group(1) if match else _yaml(iso)


def _yaml(value) -> str:
    # Titles come from web pages and --title: see escape.yaml_value for what it makes harmless.
    return yaml_value(value)


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
