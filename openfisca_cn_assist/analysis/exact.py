"""Exact sums of float arrays, so that totals do not depend on how a caseload is partitioned.

A floating-point sum depends on the order of its terms: the same households summed in one
simulation or in 200 partitions differ in the last bits. Here each float64 value is split into
its exponent and an integer mantissa (``x = m · 2**(e − 53)``, ``|m| < 2**53``); mantissas are
summed per exponent in two 26/27-bit halves, each sum an integer below 2**53 and therefore exact in
float64, and the halves are joined as Python integers. The result is the exact sum as a
:class:`fractions.Fraction` (a dyadic rational): adding partitions' sums is exact too, and
``float()`` of the total is the correctly rounded sum of the terms, whatever the partitioning and
the order in which partitions finish. Cost: a few vectorised passes over the array.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

_HALF = 26
_LOW_MASK = (1 << _HALF) - 1
_CHUNK = 1 << 25  # terms per bincount: 2**25 × 2**27 = 2**52 keeps every partial sum exact in float64


def grouped_sums(values, groups, n_groups: int) -> list[Fraction]:
    """The exact sum of ``values`` within each group ``0 … n_groups − 1`` (``groups[i]`` is row i's group)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    groups = np.asarray(groups, dtype=np.int64).ravel()
    if len(values) != len(groups):
        raise ValueError(f"{len(values)} values for {len(groups)} group labels")
    if not np.isfinite(values).all():
        raise ValueError("exact sums need finite values (NaN marks an output that was not computed)")
    totals = [Fraction(0)] * n_groups
    nonzero = values != 0
    if not nonzero.all():  # most households receive nothing from most programmes
        values, groups = values[nonzero], groups[nonzero]
    if not len(values):
        return totals
    mantissa, exponent = np.frexp(values)  # values = mantissa · 2**exponent, 0.5 ≤ |mantissa| < 1
    integer = (mantissa * float(1 << 53)).astype(np.int64)  # exact: |integer| < 2**53
    exponent = exponent.astype(np.int64)
    low_exponent = int(exponent.min())
    span = int(exponent.max()) - low_exponent + 1
    bins = groups * span + (exponent - low_exponent)
    size = n_groups * span
    high = np.zeros(size, dtype=np.int64)
    low = np.zeros(size, dtype=np.int64)
    for start in range(0, len(values), _CHUNK):
        part = slice(start, start + _CHUNK)
        # integer = high · 2**26 + low with 0 ≤ low < 2**26 (arithmetic shift, also for negatives);
        # each chunk's bincount is an integer below 2**52, exact in float64, then added as int64
        high += np.bincount(bins[part], weights=(integer[part] >> _HALF).astype(np.float64), minlength=size).astype(
            np.int64
        )
        low += np.bincount(bins[part], weights=(integer[part] & _LOW_MASK).astype(np.float64), minlength=size).astype(
            np.int64
        )
    numerators = [0] * n_groups
    for b in np.flatnonzero((high != 0) | (low != 0)):
        group, shift = divmod(int(b), span)
        numerators[group] += ((int(high[b]) << _HALF) + int(low[b])) << shift
    scale = low_exponent - 53
    for group, numerator in enumerate(numerators):
        if numerator:
            totals[group] = Fraction(numerator << scale) if scale >= 0 else Fraction(numerator, 1 << -scale)
    return totals


def exact_sum(values) -> Fraction:
    """The exact sum of ``values`` (finite floats)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    return grouped_sums(values, np.zeros(len(values), dtype=np.int64), 1)[0]
