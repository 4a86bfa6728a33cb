"""The agreement measures against worked examples and independent implementations.

scikit-learn (BSD) and `krippendorff` (GPL-3.0) are test-only dependencies (the `test`
extra): they check our own plain-Python formulas and are never imported by postil itself.
"""

from __future__ import annotations

import math
from collections import Counter

import krippendorff
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from postil.store.agreement import (
    character_table,
    cohen_kappa,
    from_matrix,
    krippendorff_alpha,
    merged,
    pairable_units,
    percent_agreement,
    project,
    reliability,
    segment_table,
)

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, values 1-5, missing data. Published nominal alpha: 0.743.
KRIPPENDORFF_EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def test_krippendorff_published_example():
    data = from_matrix(KRIPPENDORFF_EXAMPLE)
    assert round(krippendorff_alpha(data), 3) == 0.743
    # Unit 12 has one value only: not pairable, so 11 units count.
    assert pairable_units(data) == 11


def test_krippendorff_two_coder_binary_example():
    # Krippendorff (2011) section A: two observers, ten units, binary; alpha = 0.095.
    data = from_matrix([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]])
    assert round(krippendorff_alpha(data), 3) == 0.095


def test_character_example_worked_by_hand():
    # 1,000 characters: 50 coded by both, 100 by A only, 50 by B only, 800 by neither.
    data = Counter({(1, 1): 50, (1, 0): 100, (0, 1): 50, (0, 0): 800})
    assert percent_agreement(data) == pytest.approx(0.85)
    # A coded 150 (15%), B 100 (10%). p_e = 0.15 * 0.10 + 0.85 * 0.90 = 0.78 (a SUM of
    # products; the product of sums would be wrong), kappa = (0.85 - 0.78) / (1 - 0.78).
    assert cohen_kappa(data) == pytest.approx(0.07 / 0.22)
    assert round(cohen_kappa(data), 4) == 0.3182


def test_the_same_example_from_intervals():
    # A codes 0-150, B codes 100-250 of a 1,000-character text: 50 both, 100 A, 100 B.
    data = character_table(1000, [[(0, 150)], [(100, 250)]])
    assert data == Counter({(1, 1): 50, (1, 0): 100, (0, 1): 100, (0, 0): 750})
    assert percent_agreement(data) == pytest.approx(0.8)


def test_undefined_measures_are_none():
    everyone_codes_nothing = Counter({(0, 0): 40})
    assert percent_agreement(everyone_codes_nothing) == 1.0
    assert cohen_kappa(everyone_codes_nothing) is None
    assert krippendorff_alpha(everyone_codes_nothing) is None
    assert percent_agreement(Counter({(1, N): 5})) is None
    assert cohen_kappa(Counter()) is None


def test_missing_reviewer_leaves_units_out_of_the_pair():
    data = reliability([(1, 1, N), (0, 1, N), (0, 0, 1)])
    assert project(data, [0, 2]) == Counter({(1, N): 1, (0, N): 1, (0, 1): 1})
    assert pairable_units(project(data, [0, 2])) == 1


def test_merged_and_character_table_overlaps():
    assert merged([(5, 9), (0, 3), (2, 4), (9, 10), (7, 7)]) == [(0, 4), (5, 10)]
    table = character_table(10, [[(0, 4), (2, 6)], None, [(8, 20)]])
    assert table == Counter({(1, N, 0): 6, (0, N, 0): 2, (0, N, 1): 2})
    assert sum(table.values()) == 10


def test_segment_table_share():
    segments = [(0, 10), (10, 20), (20, 30)]
    coverage = [[(5, 15)], [(0, 10), (29, 30)]]
    assert segment_table(segments, coverage) == Counter({(1, 1): 1, (1, 0): 1, (0, 1): 1})
    # More than half of a unit: A's 5 of 10 is not more than half, B's 1 of 10 neither.
    assert segment_table(segments, coverage, share=0.5) == Counter({(0, 1): 1, (0, 0): 2})


codes = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=60)


@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=100, deadline=None)
@given(codes)
def test_kappa_matches_scikit_learn(pairs):
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    ours = cohen_kappa(reliability(pairs))
    theirs = cohen_kappa_score(a, b)
    if ours is None:
        assert math.isnan(theirs) or len(set(a) | set(b)) == 1
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


value_or_missing = st.one_of(st.none(), st.integers(0, 3))


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 5).flatmap(lambda k: st.lists(st.lists(value_or_missing, min_size=k, max_size=k),
                                                       min_size=1, max_size=40)))
def test_alpha_matches_the_krippendorff_package(units):
    data = reliability(units)
    ours = krippendorff_alpha(data)
    values = {v for row in units for v in row if v is not None}
    pairable = [row for row in units if sum(v is not None for v in row) >= 2]
    if ours is None:
        assert len({v for row in pairable for v in row if v is not None}) <= 1
        return
    matrix = [[math.nan if row[i] is None else row[i] for row in units] for i in range(len(units[0]))]
    theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal",
                                value_domain=sorted(values))
    assert ours == pytest.approx(theirs, abs=1e-9)


intervals = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)).map(sorted).map(tuple), max_size=6)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), intervals), min_size=2, max_size=4))
def test_character_table_equals_counting_each_character(coverage):
    length = 50
    expected = Counter(
        tuple(None if c is None else int(any(s <= i < e for s, e in c)) for c in coverage) for i in range(length)
    )
    assert character_table(length, coverage) == expected
    by_segments = segment_table([(i, i + 1) for i in range(length)], coverage)
    assert by_segments == expected
