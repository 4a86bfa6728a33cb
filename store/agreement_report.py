"""Agreement between reviewers over the database: per tag x source, per tag, and overall.

Reads who coded what (store.reviewers.coders_of_sources) and every anchored tagged
highlight once, turns each source into reliability tables (store.agreement) for each tag,
and measures each pair of reviewers and, with three or more, all of them together.

A reviewer who neither made a highlight on a source nor marked it done did not code it:
their values there are missing, not "nothing coded". Orphaned highlights (their passage is
no longer in the text) are left out. Units:
- `char`: every character of the reading text (as NVivo counts);
- `sentence`: sentences within each block (pysbd, as the reader's sentence motions);
- `paragraph`: the source's blocks (paragraphs, headings, list items, table rows).
A sentence or paragraph counts as coded with a tag when that reviewer's highlights with the
tag cover more than `share` of its characters (the default 0: any of it).
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from postil.sources.boundaries import sentences_in
from postil.store.agreement import (
    Reliability,
    character_table,
    cohen_kappa,
    krippendorff_alpha,
    pairable_units,
    percent_agreement,
    project,
    segment_table,
)
from postil.store.errors import StoreError
from postil.store.reviewers import CONSENSUS, coders_of_sources

UNITS = ("char", "sentence", "paragraph")


@dataclass
class Measure:
    """Agreement of some reviewers (two: a pair; more: all together) over some units."""

    reviewers: list[str]
    units: int
    """Units at least two of these reviewers coded (each measure's n)."""
    percent: float | None
    kappa: float | None
    """Cohen's kappa: pairs only (None for three or more, or where undefined)."""
    alpha: float | None


@dataclass
class AgreementRow:
    """One tag on one source (`source_id` None: all sources; `tag` None: all tags)."""

    tag: str | None
    source_id: int | None
    source_title: str
    measures: list[Measure]


@dataclass
class AgreementReport:
    """Agreement over some sources, tags and reviewers, in one unit (`char`, `sentence`, `paragraph`)."""

    unit: str
    share: float
    reviewers: list[str]
    tags: list[str]
    sources: list[int]
    rows: list[AgreementRow] = field(default_factory=list)


def agreement(
    db: sqlite3.Connection,
    *,
    tags: list[str] | None = None,
    source_ids: list[int] | None = None,
    reviewers: list[str] | None = None,
    unit: str = "char",
    share: float = 0.0,
) -> AgreementReport:
    """Measure agreement (see the module docstring).

    Args:
        tags: tag names (default: every tag the reviewers used).
        source_ids: sources (default: every source two or more of the reviewers coded).
        reviewers: at least two names (default: every author but `consensus`).

    Raises:
        StoreError: an unknown unit, a share outside 0-1, fewer than two reviewers.
    """
    if unit not in UNITS:
        raise StoreError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    if not 0.0 <= share < 1.0:
        raise StoreError(f"share {share} must be at least 0 and less than 1")
    coders = coders_of_sources(db)
    chosen = reviewers is not None
    if reviewers is None:
        reviewers = sorted({n for names in coders.values() for n in names} - {CONSENSUS}, key=str.casefold)
    reviewers = list(dict.fromkeys(reviewers))
    if len(reviewers) < 2:
        found = ", ".join(reviewers) or "none"
        raise StoreError(f"agreement needs at least two reviewers (found: {found})")
    if source_ids is None:
        source_ids = sorted(s for s, names in coders.items() if len(names & set(reviewers)) >= 2)
    if not chosen and source_ids:
        # By default only those who coded a source measured: someone who marked only the
        # welcome guide otherwise added a pair of dashes to every row.
        coded = set().union(*(coders.get(s, set()) for s in source_ids))
        reviewers = [name for name in reviewers if name in coded]
        if len(reviewers) < 2:
            raise StoreError(f"agreement needs two reviewers of the same source (found: {', '.join(reviewers)})")
    column = {name: i for i, name in enumerate(reviewers)}
    coverage, used_tags = _coverage(db, source_ids, column)
    if tags is None:
        tags = used_tags
    tags = list(dict.fromkeys(tags))
    report = AgreementReport(unit, share, reviewers, tags, list(source_ids))
    titles = dict(db.execute("SELECT id, title FROM sources"))
    per_tag: dict[str, Counter] = {tag: Counter() for tag in tags}
    overall: Counter = Counter()
    for source_id in source_ids:
        units = _Units(db, source_id, unit)
        present = coders.get(source_id, set())
        for tag in tags:
            by_reviewer = coverage.get((source_id, tag), {})
            rows = [by_reviewer.get(name, []) if name in present else None for name in reviewers]
            table = units.table(rows, share)
            per_tag[tag].update(table)
            overall.update(table)
            report.rows.append(AgreementRow(tag, source_id, titles.get(source_id, ""), measures(table, reviewers)))
    for tag in tags:
        report.rows.append(AgreementRow(tag, None, "", measures(per_tag[tag], reviewers)))
    if len(tags) > 1:
        report.rows.append(AgreementRow(None, None, "", measures(overall, reviewers)))
    return report


def measures(table: Reliability, reviewers: list[str]) -> list[Measure]:
    """Each pair of reviewers, then (with three or more) all of them together."""
    out = []
    for i, j in combinations(range(len(reviewers)), 2):
        pair = project(table, (i, j))
        out.append(Measure([reviewers[i], reviewers[j]], pairable_units(pair), percent_agreement(pair),
                           cohen_kappa(pair), krippendorff_alpha(pair)))
    if len(reviewers) > 2:
        out.append(Measure(list(reviewers), pairable_units(table), percent_agreement(table), None,
                           krippendorff_alpha(table)))
    return out


def _coverage(db: sqlite3.Connection, source_ids: list[int], column: dict[str, int]):
    """{(source id, tag name): {reviewer: [(start, end), ...]}} and the tags used, in tag order."""
    wanted = set(source_ids)
    coverage: dict[tuple[int, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    used: dict[str, int] = {}
    for source_id, author, start, end, tag, tag_id in db.execute(
        """SELECT h.source_id, h.author, h.start, h."end", t.name, t.id FROM highlights h
           JOIN highlight_tags ht ON ht.highlight_id = h.id JOIN tags t ON t.id = ht.tag_id
           WHERE h.anchor_status <> 'orphaned'"""
    ):
        if source_id in wanted and author in column:
            coverage[source_id, tag][author].append((start, end))
            used[tag] = tag_id
    return coverage, sorted(used, key=used.__getitem__)


class _Units:
    """One source's units of one kind, read only when first needed."""

    def __init__(self, db: sqlite3.Connection, source_id: int, unit: str) -> None:
        self.unit = unit
        self.length = 0
        self.segments: list[tuple[int, int]] = []
        if unit == "char":
            row = db.execute(
                """SELECT coalesce((SELECT chars FROM source_chars WHERE source_id = s.id), length(text))
                   FROM sources s WHERE s.id = ?""",
                [source_id],
            ).fetchone()
            self.length = row[0] if row else 0
            return
        blocks = db.execute(
            'SELECT start, "end" FROM blocks WHERE source_id = ? ORDER BY seq', [source_id]
        ).fetchall()
        if unit == "paragraph":
            self.segments = blocks
            return
        text = db.execute("SELECT text FROM sources WHERE id = ?", [source_id]).fetchone()[0]
        for start, end in blocks:
            self.segments.extend(sentences_in(text, start, end))

    def table(self, coverage: list, share: float) -> Reliability:
        if self.unit == "char":
            return character_table(self.length, coverage)
        return segment_table(self.segments, coverage, share)
