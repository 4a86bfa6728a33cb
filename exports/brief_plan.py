"""The first of a brief's two passes: what must be known before its first line is written.

The front matter counts every tag and mismatch, the summary every source and link, and the
sections (by tag) need each highlight's first tag in an order only the whole selection
settles; anchors need every id. `BriefPlan.read` goes over the highlights once, a batch at a
time (exports.brief_input), and keeps only counters, the ids, and each highlight's row key in
a compact array, grouped by the set of tags it carries: 100,000 highlights leave ~15 MB,
where holding them took ~300 MB. The second pass (exports.brief) reads each section's
highlights again by those keys and renders them.
"""

from __future__ import annotations

import heapq
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from postil.exports.collect import ordered_tags
from postil.exports.escape import inline
from postil.exports.glance import Glance
from postil.store.models import Highlight, SourceInfo

_SAFE_ID = re.compile(r"^[0-9A-Za-z-]+$")


@dataclass
class Section:
    """One section of a brief: its heading and which highlights it prints or only refers to."""

    heading: str
    """Escaped heading text."""
    printed: array
    """Row keys of the highlights printed here, in the brief's order."""
    also: array
    """Row keys of highlights printed earlier and only referenced here ("Also tagged")."""


@dataclass
class BriefPlan:
    """Counts, sources, anchors and sections of one brief, without its highlights."""

    title: str
    query: str
    date: str
    anchors: Anchors
    sources: dict[int, SourceInfo] = field(default_factory=dict)
    """In the order they first appear in the brief."""
    glance: Glance = field(default_factory=Glance)
    reviewers: dict[str, None] = field(default_factory=dict)
    """Authors in order of first appearance."""
    mismatches: list[Highlight] = field(default_factory=list)
    """Highlights whose quote no longer matches the source (marked in the brief)."""
    tag_order: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    cited_order: list[int] = field(default_factory=list)
    """Source ids in the order the brief first cites them (citation numbering)."""

    @property
    def total(self) -> int:
        return self.glance.total

    @classmethod
    def read(cls, source, by: str = "tag") -> BriefPlan:
        """One pass over `source` (exports.brief_input's StoreInput or CollectedInput).

        Raises:
            ValueError: an unknown grouping `by`.
        """
        if by not in ("tag", "source", "order"):
            raise ValueError(f"unknown grouping {by!r}; use tag, source or order")
        plan = cls(source.title, source.query, source.date, Anchors(source.ids()))
        keys = array("q")
        """Row key of each highlight, by its position in the brief."""
        source_of = array("q")
        by_tags: dict[tuple[str, ...], array] = {}
        """The tags a highlight carries (in the store's order) -> positions of those carrying them."""
        for batch_keys, data in source.scan():
            plan.glance.add(data, plan.anchors)
            for key, h in zip(batch_keys, data.highlights):
                position = len(keys)
                keys.append(key)
                source_of.append(h.source_id)
                if h.source_id not in plan.sources:
                    plan.sources[h.source_id] = source.source(h.source_id)
                if h.author:
                    plan.reviewers.setdefault(h.author)
                if not data.quote_ok.get(h.id, True):
                    plan.mismatches.append(h)
                group = tuple(h.tags)
                if group not in by_tags:
                    by_tags[group] = array("q")
                by_tags[group].append(position)
        plan.tag_order = ordered_tags({t for group in by_tags for t in group})
        positions = plan._sections(by, by_tags, source_of, len(keys))
        plan.sections = [Section(heading, array("q", (keys[p] for p in printed)), array("q", (keys[p] for p in also)))
                         for heading, printed, also in positions]
        seen: dict[int, None] = {}
        for _heading, printed, _also in positions:
            for p in printed:
                seen.setdefault(source_of[p])
        plan.cited_order = list(seen)
        return plan

    def _sections(self, by: str, by_tags: dict[tuple[str, ...], array], source_of: array,
                  n: int) -> list[tuple[str, Iterable[int], Iterable[int]]]:
        """(escaped heading, positions printed there, positions referenced there)."""
        everyone = range(n)
        if by == "order":
            return [("Highlights", everyone, [])]
        if by == "source":
            grouped: dict[int, list[int]] = {sid: [] for sid in self.sources}
            for p in everyone:
                grouped[source_of[p]].append(p)
            names = source_headings(self.sources)
            return [(inline(names[sid]), grouped[sid], []) for sid in self.sources]
        rank = {name: i for i, name in enumerate(self.tag_order)}
        primary: dict[str, list[array]] = {t: [] for t in self.tag_order}
        also: dict[str, list[array]] = {t: [] for t in self.tag_order}
        untagged: list[array] = []
        for group, positions in by_tags.items():
            if not group:
                untagged.append(positions)
                continue
            ordered = sorted(group, key=lambda t: rank.get(t, len(rank)))
            primary[ordered[0]].append(positions)
            for other in ordered[1:]:
                also[other].append(positions)
        out = [(inline(t[:1].upper() + t[1:]), list(heapq.merge(*primary[t])), list(heapq.merge(*also[t])))
               for t in self.tag_order]
        if untagged:
            out.append(("Untagged", list(heapq.merge(*untagged)), []))
        return out


def source_headings(sources: dict[int, SourceInfo]) -> dict[int, str]:
    """Each source's section name: its title, and when two sources share one, the end of
    its path, long enough to tell them apart ("Trial report (other/trial.txt)")."""
    names = {sid: source.title or "untitled" for sid, source in sources.items()}
    by_name: dict[str, list[int]] = {}
    for sid, name in names.items():
        by_name.setdefault(name, []).append(sid)
    for name, sids in by_name.items():
        if len(sids) < 2:
            continue
        parts = {sid: sources[sid].origin.replace("\\", "/").split("/") for sid in sids}
        longest = max(len(p) for p in parts.values())
        for depth in range(1, longest + 1):
            tails = {sid: "/".join(p[-depth:]) for sid, p in parts.items()}
            if len(set(tails.values())) == len(tails) or depth == longest:
                break
        for sid in sids:
            names[sid] = f"{name} ({tails[sid]})" if tails[sid] else f"{name} (source {sid})"
    return names


class Anchors:
    """Every highlight's anchor in one brief ("h-" and the shortest id prefix, at least 8,
    unique in it; see `anchor_ids`), and whether a highlight is in the brief at all.

    Only the ids whose first 8 characters are shared keep a computed anchor: a longer
    prefix of an id is unique as soon as its first 8 characters are.
    """

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids = set()
        heads: dict[str, int] = {}
        order = []
        for hid in ids:
            self.ids.add(hid)
            order.append(hid)
            head = _safe(hid)[:8]
            heads[head] = heads.get(head, 0) + 1
        self.special = anchor_ids([hid for hid in order if heads[_safe(hid)[:8]] > 1])

    def __contains__(self, hid: object) -> bool:
        return hid in self.ids

    def __getitem__(self, hid: str) -> str:
        found = self.special.get(hid)
        return found if found is not None else "h-" + _safe(hid)[:8]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)


def _safe(hid: str) -> str:
    return hid if _SAFE_ID.match(hid) else re.sub(r"[^0-9A-Za-z-]", "", hid)


def anchor_ids(ids: list[str]) -> dict[str, str]:
    """Stable anchors: "h-" and the shortest id prefix (at least 8) unique in this brief.

    Ids are uuids (hex and dashes); anything else is reduced to letters, digits and dashes
    so an anchor can never carry HTML.
    """
    safe = {hid: _safe(hid) for hid in ids}
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
