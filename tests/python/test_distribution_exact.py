"""Exact histograms (analysis/exact.py Histogram) and the deciles and median built on them: the same figures
whatever the partitioning, equal to a key-by-key sum of Fractions."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest

from openfisca_cn_assist.analysis.distribution import (
    Distribution,
    _deciles_key_by_key,
    _median_key_by_key,
    weighted_median,
)
from openfisca_cn_assist.analysis.exact import Histogram


def _by_key(keys, columns) -> dict[int, list[Fraction]]:
    expected: dict[int, list[Fraction]] = {}
    for i, key in enumerate(np.asarray(keys).tolist()):
        sums = expected.setdefault(key, [Fraction(0)] * len(columns))
        for c, column in enumerate(columns):
            sums[c] += Fraction(float(column[i]))
    return dict(sorted(expected.items()))


@pytest.mark.parametrize("seed", range(8))
def test_histogram_sums_are_exact_and_merge_in_any_grouping(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 2000))
    keys = rng.integers(-5, 60, n)
    columns = [
        rng.normal(size=n) * 10.0 ** rng.integers(-20, 20, n),  # signs and exponents all over
        np.abs(rng.normal(size=n)) * rng.choice([0.0, 1.0, 1e-300, 1e300, 3.3], n),
        np.round(rng.normal(size=n) * 100, 2),
    ]
    whole = Histogram.from_rows(keys, columns)
    assert dict(whole.items()) == _by_key(keys, columns)
    cuts = sorted(rng.integers(0, n, 5).tolist())
    bounds = [0, *cuts, n]
    parts = [Histogram.from_rows(keys[a:b], [c[a:b] for c in columns]) for a, b in zip(bounds, bounds[1:])]
    random.Random(seed).shuffle(parts)
    assert Histogram.merge(parts, 3) == whole
    assert Histogram.merge([Histogram.merge(parts[:2], 3), Histogram.merge(parts[2:], 3)], 3) == whole
    for c, column in enumerate(columns):
        assert whole.total(c) == sum((Fraction(float(v)) for v in column), Fraction(0))


def test_histogram_is_a_mapping_of_fractions():
    histogram = Histogram.from_rows(np.array([5, 3, 5]), [np.array([0.1, 0.2, 0.3])])
    assert list(histogram) == [3, 5] and len(histogram) == 2
    assert histogram[5] == [Fraction(0.1) + Fraction(0.3)]
    assert histogram == {3: [Fraction(0.2)], 5: [Fraction(0.1) + Fraction(0.3)]}
    with pytest.raises(KeyError):
        histogram[4]
    assert Histogram.merge([], 1) == Histogram.empty(1) and not Histogram.empty(3)
    with pytest.raises(ValueError, match="finite"):
        Histogram.from_rows(np.array([1]), [np.array([np.nan])])


def _households(n: int, seed: int):
    """``Distribution.from_arrays`` inputs for ``n`` households: uneven weights, many tied incomes."""
    rng = np.random.default_rng(seed)
    weight = np.round(rng.uniform(0.5, 300, n), 3)
    members = rng.integers(1, 6, n).astype(float)
    income = np.where(rng.random(n) < 0.2, 0.0, np.round(rng.gamma(2, 4000, n), 2) * members)
    income[rng.random(n) < 0.1] = 12_000.0  # ties across households (and partitions)
    change = np.where(rng.random(n) < 0.4, np.round(rng.uniform(-50, 900, n), 2), 0.0)
    base = np.round(rng.uniform(0, 5000, n), 2)
    masks = {
        "gaining": change > 0.005,
        "losing": change < -0.005,
        "newly_eligible": rng.random(n) < 0.05,
        "no_longer_eligible": rng.random(n) < 0.02,
    }
    incomes = {"persons": members, "income": income, "line": np.full(n, 6480.0) * rng.choice([1, 1.1], n)}
    return weight, masks, change, (base, base + change), incomes


def _part(arrays, rows: slice) -> Distribution:
    weight, masks, change, totals, incomes = arrays
    return Distribution.from_arrays(
        weight[rows],
        {k: m[rows] for k, m in masks.items()},
        change[rows],
        (totals[0][rows], totals[1][rows]),
        {k: v[rows] for k, v in incomes.items()},
    )


def test_two_partitionings_give_identical_deciles_median_and_poverty():
    arrays = _households(3000, 7)
    whole = _part(arrays, slice(None))
    by_7 = [_part(arrays, slice(a, a + 7)) for a in range(0, 3000, 7)]
    random.Random(1).shuffle(by_7)  # the order in which Dask workers finish
    uneven = Distribution.combine(
        [
            Distribution.combine([_part(arrays, slice(0, 1000))]),
            _part(arrays, slice(1000, 2999)),
            _part(arrays, slice(2999, None)),
        ]
    )
    for other in (Distribution.combine(by_7), uneven):
        assert other.incomes == whole.incomes and other.gains == whole.gains
        assert other.deciles() == whole.deciles()
        assert other.median_gain() == whole.median_gain()
        assert other.poverty_figures() == whole.poverty_figures()
        assert other.person_counts() == whole.person_counts()


def test_deciles_and_median_equal_the_key_by_key_figures():
    whole = _part(_households(3000, 11), slice(None))
    assert whole.deciles() == _deciles_key_by_key(dict(whole.incomes.items()))
    assert whole.median_gain() == _median_key_by_key(dict(whole.gains.items()), 0)
    deciles = whole.deciles()
    assert [row["decile"] for row in deciles] == list(range(1, 11))
    assert sum(row["cost_share"] for row in deciles) == pytest.approx(1)
    shown = [row for row in deciles if row["income_from"] is not None]
    assert all(a["income_to"] <= b["income_from"] for a, b in zip(shown, shown[1:]))


def test_negative_weights_fall_back_to_the_key_by_key_ranking():
    keys, people = np.array([1, 2, 3, 4]), np.array([2.0, -1.0, 3.0, 1.0])
    histogram = Histogram.from_rows(keys, [people, np.ones(4), np.array([1.0, 2.0, 3.0, 4.0])])
    assert Distribution(incomes=histogram).deciles() == _deciles_key_by_key(dict(histogram.items()))
    gains = Histogram.from_rows(keys, [people])
    assert weighted_median(gains) == _median_key_by_key(dict(gains.items()), 0)


def test_empty_and_weightless():
    assert all(row["persons"] == 0 and row["income_from"] is None for row in Distribution().deciles())
    assert Distribution().median_gain() is None
    weightless = Histogram.from_rows(np.array([10, 20]), [np.zeros(2), np.zeros(2), np.zeros(2)])
    rows = Distribution(incomes=weightless).deciles()
    assert (rows[0]["income_from"], rows[0]["income_to"]) == (0.1, 0.2)  # as key by key: all in the first decile
    assert rows == _deciles_key_by_key(dict(weightless.items()))


@pytest.mark.parametrize("seed", range(4))
def test_floats_are_the_fractions_rounded(seed):
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 50, 2000)
    columns = [rng.uniform(0.5, 3, 2000), rng.normal(0, 1e6, 2000), rng.uniform(-1e-300, 1e-300, 2000)]
    histogram = Histogram.from_rows(keys, columns)
    for c in range(len(columns)):
        expected = np.array([float(sums[c]) for sums in histogram.values()])
        assert np.array_equal(histogram.floats(c).view(np.int64), expected.view(np.int64))  # bit for bit
    assert Histogram.empty(1).floats(0).shape == (0,)
