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

from postil.exports.brief_blocks import ISO_STAMP, MISMATCH, HighlightBlocks, reference, when
from postil.exports.brief_input import CollectedInput
from postil.exports.brief_plan import BriefPlan
from postil.exports.citations import Citer, SourceFacts, references_section, uncited_cautions
from postil.exports.collect import ExportData
from postil.exports.escape import confine_note, inline, yaml_value
from postil.store.models import Highlight


@dataclass
class Brief:
    """A rendered brief: its Markdown, and the highlights whose quote no longer matches."""

    text: str
    mismatches: list[Highlight]
    """Highlights whose quote no longer matches the source (marked in the text)."""


def render_brief(data: ExportData, by: str = "tag", facts: SourceFacts | None = None,
                 citer: Citer | None = None, keep_images: bool = False) -> Brief:
    """The brief of a collected selection as Markdown text, grouped `by` "tag", "source" or "order".

    Args:
        facts: the sources' records and memos (exports.citations.gather); memos are printed
            under their source.
        citer: cite in a CSL style or for Pandoc, with a reference list at the end; without
            one, highlights cite their source's title, heading path and paragraph.
        keep_images: keep remote images in notes as images; by default they are written as
            links (escape.confine_note).
    """
    source = CollectedInput(data)
    plan = BriefPlan.read(source, by)
    text = "\n".join(line for part in brief_parts(plan, source, by, facts, citer, keep_images) for line in part)
    return Brief(text.rstrip("\n") + "\n", plan.mismatches)


def write_brief(plan: BriefPlan, source, out: TextIO, by: str = "tag", facts: SourceFacts | None = None,
                citer: Citer | None = None, keep_images: bool = False) -> list[Highlight]:
    """Write the brief to `out` as it is rendered, a highlight at a time: the text
    `render_brief` returns, without holding it or the highlights whole (100,000 highlights
    make ~45 MB of text and a million lines).

    Args:
        plan: the first pass over `source` (`BriefPlan.read(source, by)`).
        source: where the highlights come from (exports.brief_input.StoreInput).

    Returns:
        The highlights whose quote no longer matches the source.
    """
    writer = _TrimmedWriter(out)
    first = True
    for part in brief_parts(plan, source, by, facts, citer, keep_images):
        for line in part:
            writer.write(line if first else "\n" + line)
            first = False
    writer.close()
    return plan.mismatches


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


def brief_parts(plan: BriefPlan, source, by: str = "tag", facts: SourceFacts | None = None,
                citer: Citer | None = None, keep_images: bool = False) -> Iterator[list[str]]:
    """The brief's lines, a few at a time (front matter, each highlight, each list)."""
    if citer is not None:
        facts = citer.facts
    yield front_matter(plan, citer)
    yield title_block(plan)
    yield plan.glance.lines(plan.tag_order, plan.sources, uncited_cautions(citer))
    if citer is not None:
        citer.register(plan.cited_order)
    # One reviewer is named once, under the title; several, on each citation.
    name_authors = len(plan.reviewers) > 1
    for section in plan.sections:
        yield [f"## {section.heading}", ""]
        for data in source.render_keys(section.printed):
            writer = HighlightBlocks(data, plan.anchors, citer, keep_images, name_authors)
            for h in data.highlights:
                # Under its own tag's heading, a highlight with only that tag needs no tag line.
                yield writer.highlight(h, shown_tag=h.tags[0] if by == "tag" and len(h.tags) == 1 else None)
        if section.also:
            yield [f"**Also tagged {section.heading.lower()}** (printed in an earlier section):", ""]
            for highlights in source.glimpses(section.also):
                yield [f"- {reference(h, plan.sources[h.source_id].title, plan.anchors)}" for h in highlights]
            yield [""]
    yield sources_section(plan, facts)
    yield references_section(citer)


def front_matter(plan: BriefPlan, citer: Citer | None = None) -> list[str]:
    """YAML front matter: one key a line, every value a YAML flow value (escape.yaml_value)."""
    counts = {"highlights": plan.total}
    for tag in plan.tag_order:
        counts[tag] = plan.glance.tagged[tag]
    counts["untagged"] = plan.glance.untagged
    counts["quote_mismatches"] = len(plan.mismatches)
    return [
        "---",
        f"title: {_yaml(plan.title)}",
        f"date: {_date(plan.date)}",
        f"exported: {_yaml(plan.date)}",
        f"query: {_yaml(plan.query)}",
        f"sources: {_yaml([s.title for s in plan.sources.values()])}",
        f"highlights: {plan.total}",
        f"counts: {_yaml(counts)}",
        *([f"bibliography: {_yaml(citer.bibliography_file)}"] if citer is not None and citer.pandoc else []),
        "---",
        "",
    ]


def _date(iso: str) -> str:
    """A bare YAML date (2026-11-25): what Obsidian's date property, Jekyll and Hugo expect."""
    match = ISO_STAMP.match(iso)
    return match.group(1) if match else _yaml(iso)


def _yaml(value) -> str:
    # Titles come from web pages and --title: see escape.yaml_value for what it makes harmless.
    return yaml_value(value)


_ONE_SOURCE = re.compile(r"^\s*source:(\d+)\s*$")


def title_block(plan: BriefPlan) -> list[str]:
    """Title, then scope and date on separate lines (two trailing spaces: a line break)."""
    scope = f"highlights matching {inline(plan.query)}" if plan.query.strip() else "all highlights"
    only = _ONE_SOURCE.match(plan.query)
    if only and int(only.group(1)) in plan.sources:  # the app's "this source" scope
        scope = f"all highlights in *{inline(plan.sources[int(only.group(1))].title or 'untitled')}*"
    out = [f"# {inline(plan.title)}", ""]
    out += [f"**Scope:** {scope}  "]
    reviewers = list(plan.reviewers)
    if len(reviewers) == 1:  # said once here; the citations then leave it out
        out.append(f"**Highlighted by:** {inline(reviewers[0])}  ")
    out += [f"**Exported:** {when(plan.date)}", ""]
    if plan.mismatches:
        n = len(plan.mismatches)
        out += [f"**{MISMATCH}: {n} highlight{'s' if n != 1 else ''}** (marked below; "
                "check them against the source before citing).", ""]
    return out


def sources_section(plan: BriefPlan, facts: SourceFacts | None = None) -> list[str]:
    """Each source's title, origin and hash, and the reviewer's memo on it."""
    out = ["## Sources", ""]
    for source in plan.sources.values():
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
