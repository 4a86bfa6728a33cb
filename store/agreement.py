"""Inter-reviewer agreement: percent agreement, Cohen's kappa, Krippendorff's alpha (nominal).

Pure functions, no database. Reliability data is a `Counter` from a unit's values (one per
reviewer, in a fixed reviewer order; None where that reviewer did not code the unit) to how
many units have exactly those values. Character units make that table tiny: a 100,000-
character source coded by three reviewers for one tag has at most 3**3 distinct rows, so
pooling sources and tags is adding counters, and every measure costs microseconds.

Formulas (checked in tests/test_agreement_maths.py against published worked examples and
against scikit-learn and the `krippendorff` package):

- percent agreement: the share of units (coded by at least two reviewers) on which every
  reviewer who coded it gave the same value;
- Cohen's kappa (two reviewers): (p_o - p_e) / (1 - p_e), where the chance term p_e is the
  SUM over categories of the product of the two reviewers' shares of that category;
- Krippendorff's alpha, nominal: 1 - D_o / D_e from the coincidence matrix, where a unit
  with m values adds each ordered pair of its values with weight 1/(m - 1), and units with
  fewer than two values are left out (missing data).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from itertools import accumulate

Value = Hashable
Reliability = Counter
"""Counter[tuple[Value | None, ...], int | float]: a unit's values -> how many such units."""


def reliability(rows: Iterable[Sequence[Value | None]]) -> Reliability:
    """Reliability data from one row of values per unit (None: not coded by that reviewer)."""
    return Counter(tuple(row) for row in rows)


def from_matrix(matrix: Sequence[Sequence[Value | None]]) -> Reliability:
    """Reliability data from Krippendorff's layout: one row per reviewer, one column per unit."""
    return reliability(zip(*matrix))


def project(data: Reliability, columns: Sequence[int]) -> Reliability:
    """The same units seen by some of the reviewers only (e.g. one pair)."""
    out: Counter = Counter()
    for values, weight in data.items():
        out[tuple(values[i] for i in columns)] += weight
    return out


def pairable_units(data: Reliability) -> int | float:
    """How many units at least two reviewers coded (the units every measure here uses)."""
    return sum(w for values, w in data.items() if sum(v is not None for v in values) >= 2)


def percent_agreement(data: Reliability) -> float | None:
    """The share of pairable units on which all reviewers who coded them agree; None if none."""
    total = agreed = 0
    for values, weight in data.items():
        present = [v for v in values if v is not None]
        if len(present) < 2:
            continue
        total += weight
        if all(v == present[0] for v in present):
            agreed += weight
    return agreed / total if total else None


def cohen_kappa(data: Reliability) -> float | None:
    """Cohen's kappa of two reviewers over the units both coded.

    Returns None when it is undefined: no units, or chance agreement is certain (both
    reviewers gave one and the same category to every unit, p_e = 1).
    """
    n = 0
    agreed = 0
    first: Counter = Counter()
    second: Counter = Counter()
    for values, weight in data.items():
        if len(values) != 2:
            raise ValueError("Cohen's kappa compares exactly two reviewers")
        a, b = values
        if a is None or b is None:
            continue
        n += weight
        first[a] += weight
        second[b] += weight
        if a == b:
            agreed += weight
    if not n:
        return None
    observed = agreed / n
    # The chance term: the SUM over categories of the product of each reviewer's share.
    chance = sum((first[c] / n) * (second[c] / n) for c in first.keys() | second.keys())
    if chance >= 1.0 - 1e-12:
        return None
    return (observed - chance) / (1.0 - chance)


def krippendorff_alpha(data: Reliability) -> float | None:
    """Krippendorff's alpha for nominal data, any number of reviewers, missing values allowed.

    Returns None when it is undefined: fewer than two pairable values, or every pairable
    value is the same category (no expected disagreement).
    """
    coincidences: Counter = Counter()
    for values, weight in data.items():
        present = Counter(v for v in values if v is not None)
        m = sum(present.values())
        if m < 2:
            continue
        for c, n_c in present.items():
            for k, n_k in present.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    coincidences[c, k] += weight * pairs / (m - 1)
    marginals: Counter = Counter()
    for (c, _k), o in coincidences.items():
        marginals[c] += o
    n = sum(marginals.values())
    if n <= 1:
        return None
    observed = sum(o for (c, k), o in coincidences.items() if c != k)
    expected = (n * n - sum(n_c * n_c for n_c in marginals.values())) / (n - 1)
    if expected <= 1e-12:
        return None
    return 1.0 - observed / expected


# -- units of the reading text ------------------------------------------------------------


Intervals = list[tuple[int, int]]


def merged(intervals: Iterable[tuple[int, int]]) -> Intervals:
    """Sorted, non-overlapping intervals covering the same characters."""
    out: Intervals = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def character_table(length: int, coverage: Sequence[Intervals | None]) -> Reliability:
    """Each character of a text of `length` as a unit: 1 where a reviewer's intervals cover
    it, 0 where not, None for a reviewer who did not code this text at all.

    Done by sweeping interval ends, not character by character: the values change only there.
    """
    events: list[tuple[int, int, int]] = []
    for who, intervals in enumerate(coverage):
        for start, end in merged(intervals or ()):
            start, end = max(0, start), min(length, end)
            if start < end:
                events.append((start, who, 1))
                events.append((end, who, -1))
    events.sort()
    depth = [0] * len(coverage)
    # Each reviewer's value at `position`, kept beside the depth so that a row is one tuple().
    state = [0 if c is not None else None for c in coverage]
    table: Counter = Counter()
    position = 0
    for at, who, step in events:
        if at > position:
            table[tuple(state)] += at - position
            position = at
        depth[who] += step
        state[who] = 1 if depth[who] > 0 else 0
    if length > position:
        table[tuple(state)] += length - position
    return table


def segment_table(segments: Sequence[tuple[int, int]], coverage: Sequence[Intervals | None],
                  share: float = 0.0) -> Reliability:
    """Each segment (sentence, paragraph) as a unit: 1 for a reviewer whose intervals cover
    more than `share` of it (0: any of it), 0 if not, None for one who did not code the text."""
    lookups = [_CoverLookup(c) if c is not None else None for c in coverage]
    table: Counter = Counter()
    for start, end in segments:
        if end <= start:
            continue
        size = end - start
        table[tuple(None if look is None else int(look.covered(start, end) > share * size)
                    for look in lookups)] += 1
    return table


class _CoverLookup:
    """How many characters of [start, end) a set of intervals covers, by bisection."""

    def __init__(self, intervals: Intervals) -> None:
        self.intervals = merged(intervals)
        self.starts = [s for s, _ in self.intervals]
        self.ends = [e for _, e in self.intervals]
        self.before = [0, *accumulate(e - s for s, e in self.intervals)]
        """before[i]: characters covered by the first i intervals."""

    def covered(self, start: int, end: int) -> int:
        first = bisect_right(self.ends, start)  # the first interval ending after start
        last = bisect_left(self.starts, end)  # intervals from here on start at or after end
        if first >= last:
            return 0
        total = self.before[last] - self.before[first]
        total -= max(0, start - self.starts[first])
        total -= max(0, self.ends[last - 1] - end)
        return total
