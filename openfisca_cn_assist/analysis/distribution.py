"""Who gains from a reform, and what happens to poverty: weighted, exact, and mergeable across partitions.

Per household a partition needs its members, its countable income before assistance over the period
(all members' ``countable_income_net``, summed over the household and floored at zero each month, as
the 低保 test does) and the baseline 低保 standard over the period (Σ of the monthly standard, 元 per
person): :func:`household_incomes` reads them from the baseline simulation. From these and the two
scenarios' household totals, :class:`Distribution` keeps

- weighted persons (Σ weight × members) gaining, losing, newly and no longer eligible;
- the gains of gaining households as a histogram at fen resolution (gain in fen → Σ weight), which
  gives the weighted median exactly;
- per-capita income before assistance as a histogram at fen resolution (income in fen → Σ weight ×
  members, Σ weight, Σ weight × change), from which the deciles and each decile's gain and share of the
  cost follow once all partitions are in: a decile boundary needs every partition's households, and a
  histogram adds up where a quantile of quantiles would not;
- poverty against the baseline 低保 standard (one fixed line for both scenarios, so that a reform that
  raises the standard is not counted as making people poorer), before and after assistance: poor
  households and persons (per-capita income over the period below the standard over the period) and
  the poverty gap, Σ weight × members × (standard − per-capita income) over the poor, in 元.

Every sum is exact (:mod:`openfisca_cn_assist.analysis.exact`), so the figures do not depend on the
partitioning or on the order in which Dask workers finish. The histograms are
:class:`~openfisca_cn_assist.analysis.exact.Histogram` objects (integers in numpy arrays, vectorised); the
deciles and the median bisect their running sums, exactly, instead of walking key by key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from openfisca_cn_assist.analysis.exact import Histogram, exact_sum

FEN = 100  # fen per 元: histograms are kept at fen resolution
TOLERANCE = 0.005  # half a fen, as for gainers and losers
DECILES = 10


def household_incomes(simulation, months: list) -> dict:
    """``{"persons", "income", "line"}`` per household over ``months``, or ``{"reason": …}`` when a value is missing.

    ``income``: countable income before assistance (元); ``line``: the 低保 standard (元 per person).
    """
    from openfisca_cn_assist.engine.resolver import MissingParameterValueError

    households = simulation.populations["household"]
    income = np.zeros(households.count)
    line = np.zeros(households.count)
    try:
        for month in months:
            own = simulation.calculate("countable_income_net", month).astype(float)
            income += np.maximum(households.sum(own), 0.0)
            line += simulation.calculate("dibao_standard", month).astype(float)
    except MissingParameterValueError as error:
        return {"reason": str(error)}
    return {"persons": households.nb_persons().astype(float), "income": income, "line": line}


def _add(a: dict, b: dict) -> dict:
    return {k: a.get(k, Fraction(0)) + b.get(k, Fraction(0)) for k in {**a, **b}}


def _first(count: int, reached) -> int:
    """The first index in ``0 … count − 1`` at which the non-decreasing test ``reached`` holds (``count`` if none)."""
    low, high = 0, count
    while low < high:
        middle = (low + high) // 2
        if reached(middle):
            high = middle
        else:
            low = middle + 1
    return low


def weighted_median(histogram: Histogram | dict, column: int = 0) -> float | None:
    """The smallest key (in 元) at which the cumulative weight reaches half the total: a weighted median."""
    if isinstance(histogram, Histogram) and histogram.nonnegative(column):
        cumulative = histogram.cumulative(column)
        total = cumulative.at(len(histogram) - 1)
        if total <= 0:
            return None
        # weights ≥ 0: the running sum never decreases, so a bisection over exact integers finds the key
        return int(histogram.keys[_first(len(histogram), lambda k: 2 * cumulative.at(k) >= total)]) / FEN
    return _median_key_by_key(dict(histogram.items()), column)


def _median_key_by_key(histogram: dict[int, list[Fraction]], column: int) -> float | None:
    """The weighted median key by key: for weights of any sign."""
    total = sum((v[column] for v in histogram.values()), Fraction(0))
    if total <= 0:
        return None
    cumulative = Fraction(0)
    for key in sorted(histogram):
        cumulative += histogram[key][column]
        if 2 * cumulative >= total:
            return key / FEN
    return None  # pragma: no cover - the loop reaches the total


@dataclass
class Distribution:
    """A comparison's distributional sums over some households (see the module docstring); ``reason`` when
    the incomes or the standard could not be computed."""

    persons: dict = field(default_factory=dict)  # gaining, losing, newly_eligible, no_longer_eligible, all
    # gain in fen → [Σ weight] over gaining households
    gains: Histogram = field(default_factory=lambda: Histogram.empty(1))
    # per-capita income in fen → [Σ w·members, Σ w, Σ w·change]
    incomes: Histogram = field(default_factory=lambda: Histogram.empty(3))
    poverty: dict = field(default_factory=dict)  # scenario → stage → {households, persons, gap}
    reason: str | None = None

    @classmethod
    def from_arrays(
        cls,
        weight: np.ndarray,
        masks: dict[str, np.ndarray],
        change: np.ndarray,
        totals: tuple[np.ndarray, np.ndarray],
        incomes: dict,
    ) -> Distribution:
        """``masks``: households gaining, losing, newly / no longer eligible; ``totals``: each scenario's
        household total over the period; ``incomes``: :func:`household_incomes` of the baseline."""
        if "reason" in incomes:
            return cls(reason=incomes["reason"])
        members = incomes["persons"]
        people = weight * members
        persons = {name: exact_sum(np.where(mask, people, 0.0)) for name, mask in masks.items()}
        persons["all"] = exact_sum(people)
        gaining = masks["gaining"]
        gains = Histogram.from_rows(np.round(change[gaining] * FEN).astype(np.int64), [weight[gaining]])
        per_capita = incomes["income"] / members
        keys = np.round(per_capita * FEN).astype(np.int64)
        histogram = Histogram.from_rows(keys, [people, weight, weight * change])
        poverty = {}
        for scenario, total in zip(("baseline", "reform"), totals):
            poverty[scenario] = {}
            for stage, income in (("before", per_capita), ("after", (incomes["income"] + total) / members)):
                gap = incomes["line"] - income
                poor = gap > TOLERANCE
                poverty[scenario][stage] = {
                    "households": exact_sum(np.where(poor, weight, 0.0)),
                    "persons": exact_sum(np.where(poor, people, 0.0)),
                    "gap": exact_sum(np.where(poor, people * gap, 0.0)),
                }
        return cls(persons, gains, histogram, poverty)

    @classmethod
    def combine(cls, parts: Iterable[Distribution]) -> Distribution:
        parts = list(parts)
        reasons = [p.reason for p in parts if p.reason]
        if reasons:
            return cls(reason=reasons[0])
        poverty: dict = {}
        for part in parts:
            for scenario, stages in part.poverty.items():
                for stage, sums in stages.items():
                    known = poverty.setdefault(scenario, {}).setdefault(stage, {})
                    poverty[scenario][stage] = _add(known, sums)
        persons: dict = {}
        for part in parts:
            persons = _add(persons, part.persons)
        gains = Histogram.merge((p.gains for p in parts), 1)
        return cls(persons, gains, Histogram.merge((p.incomes for p in parts), 3), poverty)

    def median_gain(self) -> float | None:
        """The weighted median yearly gain of gaining households, 元 (fen resolution)."""
        return weighted_median(self.gains)

    def person_counts(self) -> dict[str, float]:
        return {name: float(self.persons.get(name, 0)) for name in ("all", *_COUNTED)}

    def deciles(self) -> list[dict]:
        """Ten rows, poorest first: deciles of persons by per-capita income before assistance (weighted).

        A household's decile is that of its middle member in the weighted ranking (so ties stay together and
        a decile can be empty when many have the same income); its gain and cost share are the household's.
        """
        histogram = self.incomes
        if not histogram.nonnegative(0):
            return _deciles_key_by_key(dict(histogram.items()))
        count = len(histogram)
        people, weight, change = (histogram.cumulative(c) for c in range(3))
        total = people.at(count - 1)
        if total == 0:
            bounds = [0] + [count] * DECILES  # nobody to rank: every key in the first decile, as key by key
        else:
            # A key's middle member is at (2·below + its persons) / 2; it is in decile d + 1 or above when
            # 10 × that ≥ d × total, i.e. 5·(cumulative before + cumulative through) ≥ d·total. Persons ≥ 0,
            # so that grows with the key: one bisection per boundary, on exact integers.
            def middle(k: int) -> int:
                return 5 * (people.at(k - 1) + people.at(k))

            bounds = [0] + [_first(count, lambda k, d=d: middle(k) >= d * total) for d in range(1, DECILES)]
            bounds.append(count)
        total_change = change.fraction(change.at(count - 1))
        rows = []
        for d in range(DECILES):
            first, last = bounds[d], bounds[d + 1] - 1
            empty = first > last
            rows.append(
                {
                    "decile": d + 1,
                    "income_from": None if empty else int(histogram.keys[first]) / FEN,
                    "income_to": None if empty else int(histogram.keys[last]) / FEN,
                    "persons": people.fraction(people.at(last) - people.at(first - 1)),
                    "households": weight.fraction(weight.at(last) - weight.at(first - 1)),
                    "change": change.fraction(change.at(last) - change.at(first - 1)),
                }
            )
        return [_decile_row(row, total_change) for row in rows]

    def poverty_figures(self) -> dict[str, dict[str, dict[str, float]]]:
        """``{baseline|reform: {before|after: {households, persons, gap}}}``: weighted, the gap in 元 over the period."""
        return {
            scenario: {stage: {k: float(v) for k, v in sums.items()} for stage, sums in stages.items()}
            for scenario, stages in self.poverty.items()
        }


_COUNTED = ("gaining", "losing", "newly_eligible", "no_longer_eligible")


def _deciles_key_by_key(histogram: dict[int, list[Fraction]]) -> list[dict]:
    """:meth:`Distribution.deciles` key by key, for sums of persons of any sign (then the ranking can go back)."""
    total_people = sum((v[0] for v in histogram.values()), Fraction(0))
    total_change = sum((v[2] for v in histogram.values()), Fraction(0))
    zero = Fraction(0)
    rows = [
        {"decile": d, "income_from": None, "income_to": None, "persons": zero, "households": zero, "change": zero}
        for d in range(1, DECILES + 1)
    ]
    below = Fraction(0)
    for key, (people, weight, change) in sorted(histogram.items()):
        middle = below + people / 2
        below += people
        decile = min(DECILES - 1, int(middle * DECILES / total_people)) if total_people else 0
        row = rows[decile]
        income = key / FEN
        row["income_from"] = income if row["income_from"] is None else row["income_from"]
        row["income_to"] = income
        row["persons"] += people
        row["households"] += weight
        row["change"] += change
    return [_decile_row(row, total_change) for row in rows]


def _decile_row(row: dict, total_change: Fraction) -> dict:
    households, persons, change = row["households"], row["persons"], row["change"]
    return {
        "decile": row["decile"],
        "income_from": row["income_from"],  # 元 per person over the period, lowest and highest in the decile
        "income_to": row["income_to"],
        "households": float(households),
        "persons": float(persons),
        "change": float(change),  # 元 over the period, Σ weight × change of the household total
        "average_gain_per_household": float(change / households) if households else None,
        "average_gain_per_person": float(change / persons) if persons else None,
        "cost_share": float(change / total_change) if total_change else None,
    }
