"""The evidence-balance overview: tag x source counts, coverage, and warnings before writing.

Every warning carries a query (in the search language) that finds exactly the highlights it
talks about, so the app can run it on `enter` and the brief can cite it. Where a rule is
itself a query, its number is counted with `store.search.count` on that very query, so the
message and the query cannot disagree.

The rules, in the order they are reported:
- "outcomes, 0 caveats": a source with outcome highlights and no caveat highlight.
- "mechanism supported only by anecdotes": a mechanism highlight that other highlights
  support (a `supports` link pointing at it) where every supporter is tagged anecdote.
  Query: `id:` the mechanism highlights.
- "mechanism claims beside only anecdotes": a source with mechanism and anecdote highlights
  but no outcome highlight (nothing measured backs the mechanism claims there).
- "outcomes contradicted": outcome highlights with a `contradicts` link in either direction.
- "no highlights": a source nobody has annotated yet.
- "used in one source": a tag found in only one source while several are annotated.
- "without a tag": untagged highlights. "fuzzy or orphaned": highlights whose place in the
  text is uncertain or lost (re-anchoring after a source changed).
Rules that name a default tag (outcome, caveat, mechanism, anecdote) or relation are skipped
when the user has renamed or deleted it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field, replace

from postil.store.query import quote_value
from postil.store.search import count
from postil.store.tags import tag_counts_by_source

TAG_ORDER = ("mechanism", "outcome", "caveat", "anecdote")
"""Default tags come first, in this order; other tags follow by creation (id)."""

TITLE_CHARS = 40
"""Titles longer than this are shortened with an ellipsis in warning messages."""


@dataclass
class SourceCoverage:
    """One source's row of the overview table."""

    id: int
    title: str
    chars: int
    """Length of the reading text in characters."""
    highlighted_chars: int
    """Characters covered by at least one highlight (overlaps counted once; orphans excluded)."""
    highlight_count: int

    @property
    def share(self) -> float:
        """Fraction of the text highlighted, 0.0-1.0."""
        return self.highlighted_chars / self.chars if self.chars else 0.0


@dataclass
class BalanceWarning:
    """Something a reviewer should know before writing, and the query that shows it."""

    message: str
    query: str
    kind: str = ""
    """"balance", "coverage", "tags" or "anchors": lets the UI group or colour them."""


Warning = BalanceWarning  # the name the issue uses; BalanceWarning avoids shadowing a builtin


@dataclass
class Overview:
    """How many highlights each tag has in each source, with coverage and balance warnings."""

    sources: list[SourceCoverage]
    """All sources, ordered by title like search results."""
    tags: list[str]
    """Tag names: mechanism, outcome, caveat, anecdote, then the others by id."""
    counts: dict[tuple[str, int], int]
    """(tag name, source id) -> number of highlights; missing keys mean 0."""
    warnings: list[BalanceWarning] = field(default_factory=list)
    total: int = 0
    """Highlights in the database."""
    counted: bool = True
    """`counts` are read (an outline has none yet)."""
    covered: bool = True
    """Each source's highlighted characters and highlight count are read (else 0)."""
    warned: bool = True
    """`warnings` are read."""

    @property
    def complete(self) -> bool:
        return self.counted and self.covered and self.warned

    def with_counts(self, counts: dict[tuple[str, int], int]) -> Overview:
        """A copy with `tag_counts`' numbers."""
        return replace(self, counts=counts, counted=True)

    def with_coverage(self, sources: list[SourceCoverage]) -> Overview:
        """A copy with `coverage`'s sources."""
        return replace(self, sources=sources, covered=True)

    def with_warnings(self, facts: WarningFacts) -> Overview:
        """A copy with its warnings, made from the counts, the coverage and `facts`."""
        if not (self.counted and self.covered):
            raise ValueError("the warnings need the counts and the coverage")
        return replace(self, warnings=_warnings(self, facts), warned=True)

    def count(self, tag: str, source_id: int) -> int:
        return self.counts.get((tag, source_id), 0)

    def tag_total(self, tag: str) -> int:
        return sum(n for (name, _), n in self.counts.items() if name == tag)

    @staticmethod
    def cell_query(tag: str | None, source_id: int | None) -> str:
        """The search for one table cell (None for a whole row or column)."""
        parts = []
        if source_id is not None:
            parts.append(f"source:{source_id}")
        if tag is not None:
            parts.append(f"tag:{quote_value(tag)}")
        return " ".join(parts)


@dataclass(frozen=True)
class WarningFacts:
    """What the warnings read beyond the counts and the coverage (`warning_facts`)."""

    relations: frozenset[str]
    anecdote_backed: tuple[str, ...] = ()
    """Ids of mechanism highlights whose every `supports`-linked supporter is an anecdote."""
    anecdote_titles: tuple[str, ...] = ()
    """The titles of their sources, sorted."""
    contradicted: int = 0
    """Outcome highlights with a `contradicts` link in either direction."""
    untagged: int = 0
    unsure: int = 0
    """Highlights fuzzy or orphaned."""


def overview(db: sqlite3.Connection) -> Overview:
    """Counts, coverage and warnings over the whole database (read only).

    The parts can be read apart, as the screen does: the `outline` first (well under 1 ms),
    then `tag_counts`, `coverage` and `warning_facts` in any order, on other connections
    if need be (~85, ~140 and ~75 ms at 100,000 highlights over 200 sources).
    """
    ov = outline(db)
    ov = ov.with_counts(tag_counts(db)).with_coverage(coverage(db, ov.sources))
    return ov.with_warnings(warning_facts(db, ov.tags))


def outline(db: sqlite3.Connection) -> Overview:
    """The sources (titles and lengths), the tags and the total, without counts, coverage or
    warnings: statements whose steps do not grow with the highlights."""
    # The stored character count where there is one: length(text) walks every text (55 ms
    # for 200 sources).
    sources = [
        SourceCoverage(source_id, title, chars, 0, 0)
        for source_id, title, chars in db.execute(
            "SELECT id, title, coalesce((SELECT chars FROM source_chars WHERE source_id = s.id), length(text)) "
            "FROM sources s ORDER BY title COLLATE NOCASE, id"
        )
    ]
    # count(*) of a whole table is one step (SQLite counts the b-tree's cells).
    total = db.execute("SELECT count(*) FROM highlights").fetchone()[0]
    return Overview(sources, _ordered_tags(db), {}, total=total, counted=False, covered=False, warned=False)


def tag_counts(db: sqlite3.Connection) -> dict[tuple[str, int], int]:
    """(tag name, source id) -> number of highlights, for `Overview.with_counts`."""
    counts: dict[tuple[str, int], int] = {}
    # One tag at a time, from its taggings in highlight order to each highlight's source
    # (tag_counts_by_source): 84 ms at 100,000 highlights, against 114 ms walking every
    # highlight and grouping all the taggings at once (and 250 ms walking the taggings and
    # reading each highlight's row).
    for tag_id, name in db.execute("SELECT id, name FROM tags ORDER BY id").fetchall():
        for source_id, n in sorted(tag_counts_by_source(db, tag_id).items()):
            counts[(name, source_id)] = n
    return counts


COVERED_SQL = """
SELECT sum(max(0, reach - max(start, coalesce(reach_before, 0)))) FROM (
    SELECT start, min("end", :chars) AS reach,
           max(min("end", :chars)) OVER (ORDER BY start ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
               AS reach_before
    FROM highlights WHERE source_id = :source AND anchor_status <> 'orphaned'
)
"""
"""Characters of one source's text covered by its highlights (orphans left out), overlaps once.

By start, each highlight adds what lies past the furthest end before it (`reach_before`),
both cut at the end of the text."""


def coverage(db: sqlite3.Connection, sources: list[SourceCoverage]) -> list[SourceCoverage]:
    """`sources` (an outline's) with their highlighted characters and highlight counts, for
    `Overview.with_coverage`.

    One statement a source, which SQLite runs start to end without Python: walking the
    100,000 rows in Python took as long (~135 ms) alone, but beside the screen's thread it
    waited for the GIL at every row and took 2-3 times as long.
    """
    numbers = dict(db.execute("SELECT source_id, count(*) FROM highlights GROUP BY source_id"))
    return [
        replace(
            source,
            highlighted_chars=db.execute(COVERED_SQL, {"chars": source.chars, "source": source.id}).fetchone()[0] or 0,
            highlight_count=numbers.get(source.id, 0),
        )
        for source in sources
    ]


def _ordered_tags(db: sqlite3.Connection) -> list[str]:
    names = [row[0] for row in db.execute("SELECT name FROM tags ORDER BY id")]
    folded = {n.casefold(): n for n in names}
    first = [folded[t] for t in TAG_ORDER if t in folded]
    return first + [n for n in names if n not in first]


UNREAD_NAMED = 5
"""Unread sources named in their one warning; the rest are counted."""


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


UNTAGGED = "-has:tag"
UNSURE = "status:fuzzy,orphaned"


def _contradicted_query(outcome: str) -> str:
    return f"tag:{quote_value(outcome)} rel:contradicts"


def warning_facts(db: sqlite3.Connection, tags: list[str]) -> WarningFacts:
    """What the warnings about these tags (an outline's) need beyond counts and coverage."""
    folded = {t.casefold(): t for t in tags}
    relations = frozenset(row[0] for row in db.execute("SELECT name FROM relations"))
    outcome, mechanism, anecdote = folded.get("outcome"), folded.get("mechanism"), folded.get("anecdote")
    ids: list[str] = []
    titles: list[str] = []
    if mechanism and anecdote and "supports" in relations:
        ids = _mechanisms_backed_only_by_anecdotes(db, mechanism, anecdote)
        if ids:
            titles = sorted({t for (t,) in db.execute(
                "SELECT DISTINCT s.title FROM highlights h JOIN sources s ON s.id = h.source_id "
                "WHERE h.id IN (SELECT value FROM json_each(?))", [_json(ids)])})
    contradicted = count(db, _contradicted_query(outcome)) if outcome and "contradicts" in relations else 0
    return WarningFacts(relations, tuple(ids), tuple(titles), contradicted, count(db, UNTAGGED), count(db, UNSURE))


def _warnings(ov: Overview, facts: WarningFacts) -> list[BalanceWarning]:
    out: list[BalanceWarning] = []
    tags = {t.casefold(): t for t in ov.tags}
    relations = facts.relations
    outcome, caveat = tags.get("outcome"), tags.get("caveat")
    mechanism, anecdote = tags.get("mechanism"), tags.get("anecdote")

    if outcome and caveat:
        for src in ov.sources:
            n = ov.count(outcome, src.id)
            if n and not ov.count(caveat, src.id):
                out.append(BalanceWarning(
                    f"{_short(src.title)}: {_plural(n, 'outcome')}, 0 caveats",
                    ov.cell_query(outcome, src.id), "balance",
                ))

    if mechanism and anecdote and "supports" in relations:
        ids = facts.anecdote_backed
        if ids:
            out.append(BalanceWarning(
                f"mechanism supported only by anecdotes: {_plural(len(ids), 'highlight')} "
                f"({'; '.join(_short(t) for t in facts.anecdote_titles)})",
                "id:" + ",".join(ids), "balance",
            ))

    if mechanism and anecdote and outcome:
        for src in ov.sources:
            m, a = ov.count(mechanism, src.id), ov.count(anecdote, src.id)
            if m and a and not ov.count(outcome, src.id):
                out.append(BalanceWarning(
                    f"{_short(src.title)}: {_plural(m, 'mechanism claim')} beside only "
                    f"anecdotes ({a}), 0 outcomes",
                    f"source:{src.id} tag:{quote_value(mechanism)},{quote_value(anecdote)}",
                    "balance",
                ))

    if outcome and "contradicts" in relations:
        n = facts.contradicted
        if n:
            out.append(BalanceWarning(
                f"{_plural(n, 'outcome')} with contradicting evidence", _contradicted_query(outcome), "balance"
            ))

    # Unread sources are one line: one each flooded the list in a library being started
    # (the welcome guide too), hiding the warnings about the sources being reviewed.
    unread = [src for src in ov.sources if not src.highlight_count]
    if len(unread) == 1:
        out.append(BalanceWarning(
            f"{_short(unread[0].title)}: no highlights yet", f"source:{unread[0].id}", "coverage"
        ))
    elif unread:
        titles = "; ".join(_short(src.title) for src in unread[:UNREAD_NAMED])
        more = f"; and {len(unread) - UNREAD_NAMED} more" if len(unread) > UNREAD_NAMED else ""
        out.append(BalanceWarning(
            f"{len(unread)} sources with no highlights yet: {titles}{more}",
            "source:" + ",".join(str(src.id) for src in unread), "coverage",
        ))

    annotated = [s for s in ov.sources if s.highlight_count]
    if len(annotated) > 1:
        titles = {s.id: s.title for s in ov.sources}
        for tag in ov.tags:
            used = [sid for (name, sid), n in ov.counts.items() if name == tag and n]
            if len(used) == 1:
                out.append(BalanceWarning(
                    f"tag '{tag}' is used in only one source ({_short(titles[used[0]])})",
                    f"tag:{quote_value(tag)}", "tags",
                ))

    if facts.untagged:
        out.append(BalanceWarning(f"{_plural(facts.untagged, 'highlight')} without a tag", UNTAGGED, "tags"))
    if facts.unsure:
        out.append(BalanceWarning(
            f"{_plural(facts.unsure, 'highlight')} fuzzy or orphaned: check their place in the text",
            UNSURE, "anchors",
        ))
    return out


def _json(values: list[str]) -> str:
    return json.dumps(values)


def _mechanisms_backed_only_by_anecdotes(
    db: sqlite3.Connection, mechanism: str, anecdote: str
) -> list[str]:
    """Ids of mechanism highlights whose every `supports`-linked supporter is an anecdote."""
    rows = db.execute(
        """
        SELECT m.id FROM highlights m
        JOIN highlight_tags mt ON mt.highlight_id = m.id
        JOIN tags mtag ON mtag.id = mt.tag_id AND mtag.name = ?
        JOIN links l ON l.to_id = m.id AND l.relation = 'supports'
        GROUP BY m.id
        HAVING count(*) = sum(EXISTS (
            SELECT 1 FROM highlight_tags st JOIN tags stag ON stag.id = st.tag_id
            WHERE st.highlight_id = l.from_id AND stag.name = ?))
        ORDER BY m.source_id, m.start
        """,
        [mechanism, anecdote],
    )
    return [row[0] for row in rows]
