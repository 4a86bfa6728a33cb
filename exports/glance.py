"""The brief's "At a glance" section: counts in one sentence, a tag x source table, and the
balance of the evidence as plain sentences.

The sentences are computed from the brief's own highlights and links (not the whole
database), so every number in them can be checked against the sections below. They are
counted batch by batch (`Glance.add`, from exports.brief_plan's first pass), so a brief of
100,000 highlights holds counters, not highlights.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Mapping
from dataclasses import dataclass, field

from postil.exports.collect import ExportData
from postil.exports.escape import inline
from postil.store.models import Highlight, SourceInfo

CHALLENGES = ("contradicts", "qualifies")
"""Relations that put an outcome in doubt: listed first under it, counted here."""


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


@dataclass
class _SourceCounts:
    """One source's highlights counted by tag, for the brief's at-a-glance table."""

    tagged: Counter = field(default_factory=Counter)
    """Tag name -> highlights of the source carrying it."""
    untagged: int = 0
    total: int = 0
    outcomes: int = 0
    caveats: int = 0


@dataclass
class Glance:
    """What the section says, counted over the brief's batches."""

    total: int = 0
    tagged: Counter = field(default_factory=Counter)
    """Tag name -> highlights carrying it (front matter, counts line)."""
    untagged: int = 0
    by_source: dict[int, _SourceCounts] = field(default_factory=dict)
    """In the order sources first appear in the brief."""
    outcomes: int = 0
    contradicted: int = 0
    unchallenged: int = 0
    any_caveat: bool = False
    named: dict[str, tuple[int, set[int]]] = field(default_factory=dict)
    """"mechanism", "anecdote" -> (highlights tagged so, the sources they are in)."""
    anecdotal: int = 0
    """Mechanisms supported only by anecdotes."""

    def add(self, data: ExportData, chosen: Container[str]) -> None:
        """Count one batch; `chosen`: the ids of every highlight in the brief."""
        tags = folded(data)
        for h in data.highlights:
            mine = tags[h.id]
            names = set(h.tags)
            self.total += 1
            self.tagged.update(names)
            counts = self.by_source.get(h.source_id)
            if counts is None:
                counts = self.by_source[h.source_id] = _SourceCounts()
            counts.tagged.update(names)
            counts.total += 1
            if not h.tags:
                self.untagged += 1
                counts.untagged += 1
            if "outcome" in mine:
                self.outcomes += 1
                counts.outcomes += 1
                if any(l.relation == "contradicts" for l in data.links_of(h.id)):
                    self.contradicted += 1
                if not challenges(data, h):
                    self.unchallenged += 1
            if "caveat" in mine:
                self.any_caveat = True
                counts.caveats += 1
            for name in ("mechanism", "anecdote"):
                if name in mine:
                    n, where = self.named.get(name, (0, set()))
                    where.add(h.source_id)
                    self.named[name] = (n + 1, where)
            if "mechanism" in mine:
                backers = [l.from_id for l in data.links_of(h.id) if l.relation == "supports" and l.to_id == h.id]
                if backers and all(b in chosen and "anecdote" in tags.get(b, ()) for b in backers):
                    self.anecdotal += 1

    def lines(self, tag_order: list[str], sources: Mapping[int, SourceInfo],
              cautions: list[str] | None = None) -> list[str]:
        """The section; `cautions`: more "Read with care" sentences (Markdown), e.g. uncitable sources."""
        out = ["## At a glance", ""]
        if not self.total:
            return out + ["No highlights match this query.", ""]
        counts = [f"{self.tagged[t]} {inline(t)}" for t in tag_order]
        if self.untagged:
            counts.append(f"{self.untagged} untagged")
        out += [
            f"{plural(self.total, 'highlight')} from {plural(len(sources), 'source')}"
            + (": " + ", ".join(counts) if counts else "") + ".",
            "",
        ]
        out += self.table(tag_order, sources)
        sentences = self.balance(sources) + list(cautions or [])
        if sentences:
            out += ["**Read with care:**", ""] + [f"- {s}" for s in sentences] + [""]
        return out

    def table(self, tag_order: list[str], sources: Mapping[int, SourceInfo]) -> list[str]:
        """Counts per tag (columns) and source (rows), with a totals row."""
        with_untagged = self.untagged > 0
        columns = tag_order + (["untagged"] if with_untagged else [])
        out = ["| Source | " + " | ".join(inline(c) for c in columns) + " | total |"]
        out.append("|---|" + "---:|" * (len(columns) + 1))
        totals = [0] * (len(columns) + 1)
        for source_id in sources:
            counts = self.by_source[source_id]
            row = [counts.tagged[c] for c in tag_order]
            if with_untagged:
                row.append(counts.untagged)
            row.append(counts.total)
            totals = [a + b for a, b in zip(totals, row)]
            title = sources[source_id].title or "untitled"
            out.append(f"| {inline(title)} | " + " | ".join(map(str, row)) + " |")
        out.append("| **all sources** | " + " | ".join(f"**{n}**" for n in totals) + " |")
        out.append("")
        return out

    def balance(self, sources: Mapping[int, SourceInfo]) -> list[str]:
        """Plain sentences about what the evidence lacks; empty when nothing stands out."""
        out: list[str] = []
        if self.outcomes:
            if self.contradicted:
                out.append(f"{plural(self.contradicted, 'outcome is', 'outcomes are')} contradicted by other "
                           "evidence: see the list under each outcome.")
            if self.unchallenged and self.outcomes == 1:
                out.append("The only outcome has no linked caveat or contradicting evidence.")
            elif self.unchallenged:
                out.append(f"{self.unchallenged} of {plural(self.outcomes, 'outcome')} "
                           f"{'has' if self.unchallenged == 1 else 'have'} no linked caveat or contradicting evidence.")
            if self.any_caveat:
                for source_id in sources:
                    counts = self.by_source[source_id]
                    if counts.outcomes and not counts.caveats:
                        title = inline(sources[source_id].title or "untitled")
                        out.append(f"*{title}* reports {plural(counts.outcomes, 'outcome')} "
                                   "but no caveat was highlighted in it.")
        for name in ("mechanism", "anecdote"):
            n, where = self.named.get(name, (0, set()))
            if n > 1 and len(where) == 1 and len(sources) > 1:
                title = inline(sources[next(iter(where))].title or "untitled")
                out.append(f"Every {name} highlight comes from one source (*{title}*).")
        if self.anecdotal:
            out.append(f"{plural(self.anecdotal, 'mechanism is', 'mechanisms are')} supported only by anecdotes.")
        if self.untagged:
            out.append(f"{plural(self.untagged, 'highlight has', 'highlights have')} no tag (listed under Untagged).")
        return out


def folded(data: ExportData) -> dict[str, frozenset[str]]:
    """Highlight id -> its tags case-folded (computed once per batch, cached on `data`), for
    the batch's highlights and the far ends of their links."""
    cached = data.derived.get("folded")
    if cached is None:
        cached = {}
        for other, _title in data.outside.values():
            cached[other.id] = frozenset(t.casefold() for t in other.tags)
        for h in data.highlights:
            cached[h.id] = frozenset(t.casefold() for t in h.tags)
        data.derived["folded"] = cached
    return cached


def challenges(data: ExportData, h: Highlight) -> list:
    """The links that put `h` in doubt: contradictions either way, qualifications of it,
    and any link to a highlight tagged caveat."""
    tags = folded(data)
    found = []
    for link in data.links_of(h.id):
        other_id = link.to_id if link.from_id == h.id else link.from_id
        if (link.relation == "contradicts"
                or (link.relation == "qualifies" and link.to_id == h.id)
                or "caveat" in tags.get(other_id, ())):
            found.append(link)
    return found
