"""Citations in briefs: in-text citations with locators and a reference list, via citeproc-py.

Two bundled CSL styles (exports/styles, CC BY-SA 3.0, from the CSL project), rendered by
citeproc-py in exports.csl_engine: "apa" (author-date: "(Carhart-Harris et al., 2017, p. 4)")
and "vancouver" (numeric, numbered in the order sources are first cited in the brief).
`pandoc=True` writes Pandoc citations instead (`[@carhart2017, p. 4]`) for `pandoc --citeproc`
with the `references.json` this module makes.

The locator of a highlight is its page label (a paged source, store.pages) or else its
paragraph number ("para. 12"). A source without a record is cited by its title; one whose
record has neither author nor date is named in the brief's "Read with care".
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field

from postil.exports.collect import Location
from postil.exports.escape import inline
from postil.store.memos import Memo, list_memos
from postil.store.models import Highlight, SourceInfo
from postil.store.pages import list_pages
from postil.store.records import Record, list_records
from postil.store.reviewers import BlindView

STYLES = {"apa": "apa.csl", "vancouver": "vancouver.csl"}
"""Style name -> bundled CSL file."""
NUMERIC = frozenset({"vancouver"})
_CACHED_CITATIONS = 4096


@dataclass
class SourceFacts:
    """What a brief knows about its sources beyond their text: records, memos, page maps."""

    records: dict[int, Record] = field(default_factory=dict)
    memos: dict[int, Memo] = field(default_factory=dict)
    page_maps: dict[int, tuple[list[int], list[str]]] = field(default_factory=dict)
    """Source id -> its pages' starts (sorted) and labels, for paged sources only."""

    def page_label(self, h: Highlight) -> str | None:
        """The label of the page a highlight starts on (store.pages.page_at's lookup: the
        last page starting at or before it); None for orphans and unpaged sources."""
        found = self.page_maps.get(h.source_id)
        if found is None or h.anchor_status == "orphaned":
            return None
        index = bisect_right(found[0], h.start) - 1
        return found[1][index] if index >= 0 else None


def gather(db: sqlite3.Connection, sources: Mapping[int, object], view: BlindView | None = None) -> SourceFacts:
    """Records, memos and page maps of the brief's `sources` (ids as keys).

    `view`: in blind mode, another reviewer's memo on a source the exporter has not marked
    done is left out, as their highlights are.
    """
    records = {sid: r for sid, r in list_records(db).items() if sid in sources}
    memos = {
        sid: m for sid, m in list_memos(db).items()
        if sid in sources and (view is None or not view.hides_source(sid) or m.author == view.reviewer)
    }
    # One read of each source's page map, not one query per highlight (a brief may hold
    # thousands), and a bisect per highlight as it is cited.
    page_maps = {}
    for sid in sources:
        found = sorted(list_pages(db, sid), key=lambda p: p.start)
        if found:
            page_maps[sid] = ([p.start for p in found], [p.label for p in found])
    return SourceFacts(records, memos, page_maps)


@dataclass(frozen=True)
class Locus:
    """Where in a source a quote is: a page or a paragraph, as a CSL locator."""

    label: str
    """CSL locator label: "page" or "paragraph"."""
    value: str

    @property
    def short(self) -> str:
        return f"{'p.' if self.label == 'page' else 'para.'} {self.value}"


class Citer:
    """In-text citations and the reference list of one brief, in one style."""

    def __init__(self, sources: Mapping[int, SourceInfo], facts: SourceFacts, style: str | None = "apa", *,
                 pandoc: bool = False) -> None:
        """
        Args:
            sources: the brief's sources (ExportData.sources, BriefPlan.sources), in order.
        """
        if style is not None and style not in STYLES:
            raise ValueError(f"unknown citation style {style!r}; use {', '.join(STYLES)}")
        self.sources = sources
        self.facts = facts
        self.style_name = style
        self.pandoc = pandoc
        self.bibliography_file = "references.json"
        """What a Pandoc brief's front matter names as its bibliography (written beside it)."""
        self.keys = self._keys()
        self._cache: dict[tuple[int, Locus | None], str] = {}
        self._engine = None
        """An exports.csl_engine.Engine once `register` has run (style briefs only)."""
        self._citations: dict[int, object] = {}
        """Source id -> its registered citation."""
        self._rendered: dict[int, str] = {}

    def _keys(self) -> dict[int, str]:
        keys: dict[int, str] = {}
        used: set[str] = set()
        for sid in self.sources:
            record = self.facts.records.get(sid)
            key = record.citation_key if record and record.citation_key else f"source{sid}"
            while key.casefold() in used:
                key += "x"
            used.add(key.casefold())
            keys[sid] = key
        return keys

    def items(self) -> list[dict]:
        """The brief's sources as CSL-JSON items (what references.json holds)."""
        out = []
        for sid, source in self.sources.items():
            record = self.facts.records.get(sid) or Record(sid)
            item = record.item(source.title or "untitled")
            item["id"] = self.keys[sid]
            out.append(item)
        return out

    def uncited(self) -> list[str]:
        """Titles of sources cited by title alone: no author and no date on record."""
        return [
            s.title or "untitled" for sid, s in self.sources.items()
            if not (self.facts.records.get(sid) and self.facts.records[sid].citable)
        ]

    def locus(self, h: Highlight, location: Location | None) -> Locus | None:
        page = self.facts.page_label(h)
        if page:
            return Locus("page", page)
        if location is not None and location.paragraph:
            return Locus("paragraph", str(location.paragraph))
        return None

    def register(self, order: list[int]) -> None:
        """Register each source's citation, in the order the brief first cites it (`order`:
        source ids), before any is rendered (numbering, disambiguation)."""
        if self.pandoc or self.style_name is None:
            return
        # Deferred: citeproc-py costs ~0.4 s to import and this module is on the app's start
        # path (through the export dialog); see exports.csl_engine.
        from postil.exports.csl_engine import Engine

        # One citation per source, in the order of first citation (Vancouver's numbers); the
        # locator is added to its text (see _cite). citeproc-py compares every citation with
        # every other for disambiguation: one per (source, paragraph) took 41 s for a brief of
        # 2,000 highlights (bench/bench_export.py), one per source a fraction of a second.
        self._engine = engine = Engine(STYLES[self.style_name], self.items())
        for sid in order:
            if sid not in self._citations:
                self._citations[sid] = engine.register(self.keys[sid], None)

    def cite(self, h: Highlight, location: Location | None) -> str:
        """The in-text citation (Markdown-safe text) of a highlight."""
        where = self.locus(h, location)
        key = (h.source_id, where)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= _CACHED_CITATIONS:
                self._cache.clear()  # one per (source, paragraph): it would grow with the brief
            found = self._cache[key] = self._cite(h.source_id, where)
        return found

    def _cite(self, sid: int, where: Locus | None) -> str:
        if self.pandoc:
            return f"[@{self.keys[sid]}{', ' + where.short if where else ''}]"
        citation = self._citations.get(sid)
        if citation is None or self._engine is None:
            raise RuntimeError("Citer.register must see every highlight before cite")
        text = self._rendered.get(sid)
        if text is None:
            text = self._rendered[sid] = self._engine.cite(citation)
        if where is None:
            return text
        # "(Carhart-Harris et al., 2017)" -> "(Carhart-Harris et al., 2017, p. 4)"; "(1)" -> "(1, p. 4)".
        return f"{text[:-1]}, {where.short})" if text.endswith(")") else f"{text}, {where.short}"

    def references(self) -> list[str]:
        """The reference list as plain text entries, in the style's order (empty for Pandoc)."""
        if self._engine is None:
            return []
        entries = self._engine.references()
        if self.style_name in NUMERIC:
            # The plain formatter runs the number into the entry ("1.Carhart"): split them.
            entries = [re.sub(r"^\d+\.\s*", "", entry) for entry in entries]
        return entries

    @property
    def numbered(self) -> bool:
        return self.style_name in NUMERIC


def uncited_cautions(citer: Citer | None) -> list[str]:
    """A "Read with care" sentence naming sources cited by title alone."""
    if citer is None:
        return []
    titles = citer.uncited()
    if not titles:
        return []
    named = ", ".join(f"*{inline(t)}*" for t in titles)
    verb = "has" if len(titles) == 1 else "have"
    return [f"{named} {verb} no author or date on record and {'is' if len(titles) == 1 else 'are'} cited by title "
            "(add them with `postil cite`)."]


def references_section(citer: Citer | None) -> list[str]:
    """The reference list: citeproc's entries, or the div `pandoc --citeproc` fills."""
    if citer is None:
        return []
    if citer.pandoc:
        return ["## References", "", "::: {#refs}", ":::", ""]
    entries = citer.references()
    if citer.numbered:
        lines = [f"{n}. {inline(entry)}" for n, entry in enumerate(entries, 1)]
    else:
        lines = [f"- {inline(entry)}" for entry in entries]
    return ["## References", ""] + lines + [""]
