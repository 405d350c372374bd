"""Exact sums of float arrays, so that totals do not depend on how a caseload is partitioned.

A floating-point sum depends on the order of its terms: the same households summed in one
simulation or in 200 partitions differ in the last bits. Here each float64 value is split into
its exponent and an integer mantissa (``x = m · 2**(e − 53)``, ``|m| < 2**53``); mantissas are
summed per exponent in two 26/27-bit halves, each sum an integer below 2**53 and therefore exact in
float64, and the halves are joined as Python integers. The result is the exact sum as a
:class:`fractions.Fraction` (a dyadic rational): adding partitions' sums is exact too, and
``float()`` of the total is the correctly rounded sum of the terms, whatever the partitioning and
the order in which partitions finish. Cost: a few vectorised passes over the array.

Many sums at once (one per distinct income in fen: 650,000 for 10⁶ households) are kept by
:class:`Histogram` as integers in numpy arrays instead of one Fraction each, exact and mergeable likewise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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


# --- Exact histograms ------------------------------------------------------------------------------
#
# A histogram keeps, per integer key, the exact sums of a few float columns. With one Fraction per key and
# column, 10⁶ households (650,000 distinct incomes at fen resolution) cost ~10 s and 160 MB; here each
# column's sums are integers at one power-of-two scale, cut into 31-bit limbs held in numpy arrays, so
# building, merging and cumulating are vectorised and still exact. The scale is a multiple of 31 bits, so
# two histograms align by whole limbs whatever partitions they came from.

LIMB_BITS = 31
_LIMB = 1 << LIMB_BITS
_LIMB_MASK = _LIMB - 1
_TOP = 1 << (LIMB_BITS - 1)  # the top limb is signed, in [-2**30, 2**30)
_LIMB_CHUNK = 1 << 21  # terms per bincount: 2**21 × 2**31 = 2**52 keeps every partial sum exact in float64


def _bincount_exact(bins: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Σ ``values`` (integers, |v| < 2**31) per bin, as int64: float64 bincounts of chunks small enough to be exact."""
    total = np.zeros(size, dtype=np.int64)
    for start in range(0, len(bins), _LIMB_CHUNK):
        part = slice(start, start + _LIMB_CHUNK)
        total += np.bincount(bins[part], weights=values[part].astype(np.float64), minlength=size).astype(np.int64)
    return total


def _canonical(sums: np.ndarray, scale: int) -> tuple[int, np.ndarray]:
    """(scale, limbs) with every limb but the top in [0, 2**31), the top in [-2**30, 2**30), no limb that could
    be dropped: one form per set of values, so that equal histograms have equal arrays.

    ``sums``: (limbs, keys) int64 of any sign, each |value| < 2**62, standing for Σ_j sums[j] · 2**(31·j + scale).
    """
    n = sums.shape[1]
    if n == 0 or not sums.any():
        return 0, np.zeros((1, n), dtype=np.int32)
    rows, carry = [], np.zeros(n, dtype=np.int64)
    for row in sums[:-1]:
        value = row + carry
        rows.append(value & _LIMB_MASK)
        carry = value >> LIMB_BITS  # arithmetic shift: floor, also for negatives
    top = sums[-1] + carry
    while (top < -_TOP).any() or (top >= _TOP).any():
        rows.append(top & _LIMB_MASK)
        top = top >> LIMB_BITS
    rows.append(top)
    while len(rows) > 1:  # fold the top into the limb below while the result still fits a top limb
        folded = (rows[-1] << LIMB_BITS) + rows[-2]
        if (folded < -_TOP).any() or (folded >= _TOP).any():
            break
        rows[-2:] = [folded]
    while len(rows) > 1 and not rows[0].any():
        rows.pop(0)
        scale += LIMB_BITS
    return scale, np.stack(rows).astype(np.int32)


def _limb_value(limbs: np.ndarray, index: int) -> int:
    return sum(int(v) << (LIMB_BITS * j) for j, v in enumerate(limbs[:, index].tolist()))


def _fraction(numerator: int, scale: int) -> Fraction:
    return Fraction(numerator << scale) if scale >= 0 else Fraction(numerator, 1 << -scale)


class Cumulative:
    """Running sums of one histogram column, key by key: :meth:`at` is exact (an integer at the column's scale)."""

    def __init__(self, limbs: np.ndarray, scale: int):
        # int64 is exact here: fewer than 2**31 keys, each limb below 2**31
        self.sums = np.cumsum(limbs.astype(np.int64), axis=1)
        self.scale = scale

    def at(self, index: int) -> int:
        """The numerator of the sum over keys 0 … ``index`` (0 for ``index`` −1)."""
        return 0 if index < 0 else _limb_value(self.sums, index)

    def fraction(self, numerator: int) -> Fraction:
        return _fraction(numerator, self.scale)


class Histogram(Mapping):
    """``{key: [exact Σ of each column over the rows with that key]}``, vectorised.

    ``keys``: sorted, distinct int64. Column ``c``'s sum at key ``i`` is
    ``Σ_j limbs[c][j, i] · 2**(31·j + scales[c])`` (see :func:`_canonical`). As a mapping it gives each key's
    sums as Fractions (one key at a time: for a few keys, or to check); merge and cumulate whole columns instead.
    """

    def __init__(self, keys: np.ndarray, scales: Sequence[int], limbs: Sequence[np.ndarray]):
        self.keys = np.asarray(keys, dtype=np.int64)
        self.scales = [int(s) for s in scales]
        self.limbs = list(limbs)

    @classmethod
    def empty(cls, columns: int) -> Histogram:
        return cls(np.zeros(0, dtype=np.int64), [0] * columns, [np.zeros((1, 0), dtype=np.int32)] * columns)

    @property
    def columns(self) -> int:
        return len(self.limbs)

    @classmethod
    def from_rows(cls, keys, columns: Sequence) -> Histogram:
        """Each column's exact sum over the rows of each key (``keys[i]`` is row i's key)."""
        keys = np.asarray(keys, dtype=np.int64).ravel()
        if not len(keys):
            return cls.empty(len(columns))
        unique, codes = np.unique(keys, return_inverse=True)
        scales, limbs = [], []
        for column in columns:
            scale, column_limbs = _column_sums(np.asarray(column, dtype=np.float64).ravel(), codes.ravel(), len(unique))
            scales.append(scale)
            limbs.append(column_limbs)
        return cls(unique, scales, limbs)

    @classmethod
    def merge(cls, histograms: Iterable[Histogram], columns: int) -> Histogram:
        """The histogram of all their rows: exact, so the same whatever the grouping and order of the parts."""
        parts = [h for h in histograms if len(h.keys)]
        if any(h.columns != columns for h in parts):
            raise ValueError(f"histograms of {sorted({h.columns for h in parts})} columns cannot give {columns}")
        if not parts:
            return cls.empty(columns)
        unique, codes = np.unique(np.concatenate([h.keys for h in parts]), return_inverse=True)
        scales, limbs = [], []
        for c in range(columns):
            low = min(h.scales[c] for h in parts)
            offsets = [(h.scales[c] - low) // LIMB_BITS for h in parts]
            size = max(o + len(h.limbs[c]) for o, h in zip(offsets, parts))
            stacked = np.zeros((size, len(codes)), dtype=np.int64)
            start = 0
            for offset, h in zip(offsets, parts):
                stacked[offset : offset + len(h.limbs[c]), start : start + len(h.keys)] = h.limbs[c]
                start += len(h.keys)
            sums = np.stack([_bincount_exact(codes, row, len(unique)) for row in stacked])
            scale, column_limbs = _canonical(sums, low)
            scales.append(scale)
            limbs.append(column_limbs)
        return cls(unique, scales, limbs)

    def nonnegative(self, column: int) -> bool:
        """Whether every key's sum in ``column`` is ≥ 0 (the sign of a canonical value is that of its top limb)."""
        return bool((self.limbs[column][-1] >= 0).all())

    def cumulative(self, column: int) -> Cumulative:
        return Cumulative(self.limbs[column], self.scales[column])

    def floats(self, column: int) -> np.ndarray:
        """Each key's sum in ``column`` as the nearest float, as ``float()`` of its Fraction gives it, without a
        Fraction per key: Python's int / int is correctly rounded, and applied to the whole column at once."""
        limbs, scale = self.limbs[column], self.scales[column]
        numerators = np.zeros(limbs.shape[1], dtype=object)
        for j, row in enumerate(limbs):
            numerators = numerators + (row.astype(np.int64).astype(object) << (LIMB_BITS * j))
        exact = numerators * (1 << scale) if scale >= 0 else numerators / (1 << -scale)
        return exact.astype(np.float64)

    def total(self, column: int) -> Fraction:
        cumulative = self.cumulative(column)
        return cumulative.fraction(cumulative.at(len(self.keys) - 1))

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self):
        return iter(self.keys.tolist())

    def _sums(self, index: int) -> list[Fraction]:
        return [_fraction(_limb_value(limbs, index), scale) for limbs, scale in zip(self.limbs, self.scales)]

    def __getitem__(self, key) -> list[Fraction]:
        index = int(np.searchsorted(self.keys, key))
        if index == len(self.keys) or self.keys[index] != key:
            raise KeyError(key)
        return self._sums(index)

    def items(self) -> list[tuple[int, list[Fraction]]]:
        """``(key, sums)`` in key order, without a search per key."""
        return [(key, self._sums(i)) for i, key in enumerate(self.keys.tolist())]

    def values(self) -> list[list[Fraction]]:
        return [self._sums(i) for i in range(len(self.keys))]

    def __eq__(self, other) -> bool:
        if not isinstance(other, Histogram):
            return Mapping.__eq__(self, other)
        return (
            np.array_equal(self.keys, other.keys)
            and self.scales == other.scales
            and all(np.array_equal(a, b) for a, b in zip(self.limbs, other.limbs))
            and self.columns == other.columns
        )

    __hash__ = None

    def __repr__(self) -> str:
        return f"<Histogram: {len(self.keys)} keys, {self.columns} columns>"


def _column_sums(values: np.ndarray, codes: np.ndarray, n_keys: int) -> tuple[int, np.ndarray]:
    """(scale, limbs) of the exact sums of ``values`` per key code, for :class:`Histogram`."""
    if not np.isfinite(values).all():
        raise ValueError("exact sums need finite values (NaN marks an output that was not computed)")
    nonzero = values != 0
    values, codes = values[nonzero], codes[nonzero]
    if not len(values):
        return _canonical(np.zeros((1, n_keys), dtype=np.int64), 0)
    mantissa, exponent = np.frexp(values)
    integer = (mantissa * float(1 << 53)).astype(np.int64)  # values = integer · 2**(exponent − 53), exact
    low_bit = exponent.astype(np.int64) - 53
    scale = (int(low_bit.min()) // LIMB_BITS) * LIMB_BITS
    shift = low_bit - scale  # ≥ 0: the value is integer · 2**shift at the scale
    limb, offset = shift // LIMB_BITS, (shift % LIMB_BITS).astype(np.uint64)
    magnitude, sign = np.abs(integer).astype(np.uint64), np.sign(integer)
    # |integer| · 2**offset has at most 53 + 30 = 83 bits: three limbs from ``limb`` on (uint64 shifts
    # wrap, and only the low 31 bits of the first are kept)
    parts = (
        (magnitude << offset) & np.uint64(_LIMB_MASK),
        (magnitude >> (np.uint64(LIMB_BITS) - offset)) & np.uint64(_LIMB_MASK),
        magnitude >> (np.uint64(2 * LIMB_BITS) - offset),
    )
    size = int(limb.max()) + 3
    sums = np.zeros(size * n_keys, dtype=np.int64)
    for i, part in enumerate(parts):
        sums += _bincount_exact(codes * size + limb + i, sign * part.astype(np.int64), size * n_keys)
    return _canonical(sums.reshape(n_keys, size).T.copy(), scale)
