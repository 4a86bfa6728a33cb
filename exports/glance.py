"""The brief's "At a glance" section: counts in one sentence, a tag x source table, and the
balance of the evidence as plain sentences.

The sentences are computed from the brief's own highlights and links (not the whole
database), so every number in them can be checked against the sections below.
"""

from __future__ import annotations

from collections import Counter

from postil.exports.collect import ExportData
from postil.exports.escape import inline
from postil.store.models import Highlight

CHALLENGES = ("contradicts", "qualifies")
"""Relations that put an outcome in doubt: listed first under it, counted here."""


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def at_a_glance(data: ExportData, cautions: list[str] | None = None) -> list[str]:
    """The section; `cautions`: more "Read with care" sentences (Markdown), e.g. uncitable sources."""
    out = ["## At a glance", ""]
    if not data.highlights:
        return out + ["No highlights match this query.", ""]
    counts = [f"{tag_count(data, t)} {inline(t)}" for t in data.tag_order]
    untagged = sum(1 for h in data.highlights if not h.tags)
    if untagged:
        counts.append(f"{untagged} untagged")
    sources_n = len(data.sources)
    out += [
        f"{plural(len(data.highlights), 'highlight')} from {plural(sources_n, 'source')}"
        + (": " + ", ".join(counts) if counts else "") + ".",
        "",
    ]
    out += table(data, untagged > 0)
    sentences = balance(data) + list(cautions or [])
    if sentences:
        out += ["**Read with care:**", ""] + [f"- {s}" for s in sentences] + [""]
    return out


def tag_count(data: ExportData, tag: str) -> int:
    counts = getattr(data, "_tag_counts", None)
    if counts is None:  # one pass over the highlights for all tags, not one per tag
        counts = Counter(t for h in data.highlights for t in set(h.tags))
        data._tag_counts = counts
    return counts[tag]


def table(data: ExportData, with_untagged: bool) -> list[str]:
    """Counts per tag (columns) and source (rows), with a totals row."""
    columns = data.tag_order + (["untagged"] if with_untagged else [])
    out = ["| Source | " + " | ".join(inline(c) for c in columns) + " | total |"]
    out.append("|---|" + "---:|" * (len(columns) + 1))
    totals = [0] * (len(columns) + 1)
    for source_id, mine in by_source(data).items():
        # one pass over the source's highlights for every column
        tagged = Counter(t for h in mine for t in set(h.tags))
        row = [tagged[c] for c in data.tag_order]
        if with_untagged:
            row.append(sum(1 for h in mine if not h.tags))
        row.append(len(mine))
        totals = [a + b for a, b in zip(totals, row)]
        title = data.sources[source_id].title or "untitled"
        out.append(f"| {inline(title)} | " + " | ".join(map(str, row)) + " |")
    out.append("| **all sources** | " + " | ".join(f"**{n}**" for n in totals) + " |")
    out.append("")
    return out


def by_source(data: ExportData) -> dict[int, list[Highlight]]:
    grouped: dict[int, list[Highlight]] = {sid: [] for sid in data.sources}
    for h in data.highlights:
        grouped[h.source_id].append(h)
    return grouped


def folded(data: ExportData) -> dict[str, frozenset[str]]:
    """Highlight id -> its tags case-folded (computed once per export, cached on `data`)."""
    cached = getattr(data, "_folded", None)
    if cached is None:
        cached = {h.id: frozenset(t.casefold() for t in h.tags) for h in data.highlights}
        for other, _title in data.outside.values():
            cached[other.id] = frozenset(t.casefold() for t in other.tags)
        data._folded = cached
    return cached


def balance(data: ExportData) -> list[str]:
    """Plain sentences about what the evidence lacks; empty when nothing stands out."""
    out: list[str] = []
    by_id = {h.id: h for h in data.highlights}
    tags = folded(data)

    def _tagged(h: Highlight, name: str) -> bool:
        return name in tags[h.id]

    outcomes = [h for h in data.highlights if _tagged(h, "outcome")]
    if outcomes:
        contradicted = [h for h in outcomes if any(l.relation == "contradicts" for l in data.links_of(h.id))]
        unchallenged = [h for h in outcomes if not challenges(data, h, by_id)]
        if contradicted:
            out.append(f"{plural(len(contradicted), 'outcome is', 'outcomes are')} contradicted by other "
                       "evidence: see the list under each outcome.")
        if unchallenged and len(outcomes) == 1:
            out.append("The only outcome has no linked caveat or contradicting evidence.")
        elif unchallenged:
            out.append(f"{len(unchallenged)} of {plural(len(outcomes), 'outcome')} "
                       f"{'has' if len(unchallenged) == 1 else 'have'} no linked caveat or contradicting evidence.")
        if any(_tagged(h, "caveat") for h in data.highlights):
            for source_id, mine in by_source(data).items():
                n = sum(1 for h in mine if _tagged(h, "outcome"))
                if n and not any(_tagged(h, "caveat") for h in mine):
                    title = inline(data.sources[source_id].title or "untitled")
                    out.append(f"*{title}* reports {plural(n, 'outcome')} but no caveat was highlighted in it.")
    for name in ("mechanism", "anecdote"):
        tagged = [h for h in data.highlights if _tagged(h, name)]
        source_ids = {h.source_id for h in tagged}
        if len(tagged) > 1 and len(source_ids) == 1 and len(data.sources) > 1:
            title = inline(data.sources[next(iter(source_ids))].title or "untitled")
            out.append(f"Every {name} highlight comes from one source (*{title}*).")
    anecdotal = anecdote_only_mechanisms(data, by_id)
    if anecdotal:
        out.append(f"{plural(len(anecdotal), 'mechanism is', 'mechanisms are')} supported only by anecdotes.")
    untagged = sum(1 for h in data.highlights if not h.tags)
    if untagged:
        out.append(f"{plural(untagged, 'highlight has', 'highlights have')} no tag (listed under Untagged).")
    return out


def challenges(data: ExportData, h: Highlight, by_id: dict[str, Highlight]) -> list:
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


def anecdote_only_mechanisms(data: ExportData, by_id: dict[str, Highlight]) -> list[Highlight]:
    """Mechanisms whose every supporting highlight is an anecdote (and has at least one)."""
    tags = folded(data)
    out = []
    for h in data.highlights:
        if "mechanism" not in tags[h.id]:
            continue
        backers = [l.from_id for l in data.links_of(h.id) if l.relation == "supports" and l.to_id == h.id]
        if backers and all(b in by_id and "anecdote" in tags[b] for b in backers):
            out.append(h)
    return out
