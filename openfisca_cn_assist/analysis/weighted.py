"""A weighted microsimulation in the shape PolicyEngine users know: ``Microsimulation(caseload, reforms=[...])``.

    from openfisca_cn_assist.api import Microsimulation
    sim = Microsimulation("xishuangbanna_2022", reforms=["raise_tekun_1050"], period="2022")
    benefit = sim.calc("dibao_benefit")              # per household, summed over the year's months
    benefit.sum(), benefit.mean(), benefit.median()   # weighted: Σ weight × value, …
    (benefit > 0).sum()                               # weighted households receiving it
    benefit.groupby("jurisdiction").sum()             # or any input: "area", "dibao_class" …
    sim.calc("tekun_basic_allowance", map_to="person")  # a household amount shown on each member
    impact = sim.compare()                            # baseline against the reforms: an Impact

It is the same machinery as :func:`openfisca_cn_assist.api.run` / ``compare``: the caseload is cut into
the same partitions and each partition simulated by
:func:`~openfisca_cn_assist.analysis.partitions.partition_simulation`; :meth:`Microsimulation.compare`
and :meth:`Microsimulation.results` run through
:func:`~openfisca_cn_assist.analysis.distributed.run_caseload` (in this process or on Dask). Sums are exact
(:mod:`openfisca_cn_assist.analysis.exact`), so ``calc(...).sum()`` equals the run's total to the last bit.

A value is weighted by its household's weight (a person by the weight of their household). A monthly
variable asked for a year is summed over its months (a true/false one counts the months it holds);
an enumeration or text takes its value in the first month. A value no source gives stops ``calc`` with
:class:`~openfisca_cn_assist.engine.resolver.MissingParameterValueError` (``results()`` and ``compare()``
report such outputs as not computed instead).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np
import pandas as pd
from openfisca_core.periods import ETERNITY, MONTH

from openfisca_cn_assist.analysis.exact import exact_sum, grouped_sums
from openfisca_cn_assist.analysis.partitions import PartitionedCaseload, as_partitioned, partition_simulation
from openfisca_cn_assist.analysis.results import Impact, Results
from openfisca_cn_assist.analysis.scenario import Scenario
from openfisca_cn_assist.caseload.model import Caseload
from openfisca_cn_assist.engine.programmes import months_of
from openfisca_cn_assist.engine.system import builtin_system


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value at which the cumulative weight reaches ``q`` of the total (no interpolation)."""
    if not 0 <= q <= 1:
        raise ValueError(f"a quantile is between 0 and 1, got {q}")
    keep = weights > 0
    values, weights = values[keep], weights[keep]
    if not len(values):
        return float("nan")
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    position = min(int(np.searchsorted(cumulative, q * cumulative[-1], side="left")), len(values) - 1)
    return float(values[order][position])


class WeightedSeries:
    """One value per household or person, with its weight: sums, means and quantiles are weighted.

    ``values`` and ``weights`` are pandas Series on the same index (household or person ids);
    ``context`` holds what to group by without a lookup (``jurisdiction``); other names are looked up
    with ``lookup`` (the simulation's variable at the same level and period).
    """

    def __init__(
        self,
        values: pd.Series,
        weights: pd.Series,
        context: pd.DataFrame | None = None,
        lookup: Callable[[str], WeightedSeries] | None = None,
    ):
        self.values = values
        self.weights = weights.astype(float)
        self.context = context if context is not None else pd.DataFrame(index=values.index)
        self._lookup = lookup

    @property
    def name(self) -> str | None:
        return self.values.name

    def __len__(self) -> int:
        return len(self.values)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)

    def __repr__(self) -> str:
        return f"<WeightedSeries {self.name!r}: {len(self)} rows, Σ weight {self.weights.sum():,.2f}>\n{self.values!r}"

    def _numbers(self) -> np.ndarray:
        return self.values.to_numpy(dtype=float)

    def sum(self) -> float:
        """Σ weight × value (exact, then rounded once to a float)."""
        return float(exact_sum(self._numbers() * self.weights.to_numpy()))

    def count(self) -> float:
        """Σ weight: the weighted number of households or persons (``(s > 0).sum()`` counts those with a value)."""
        return float(exact_sum(self.weights.to_numpy()))

    def mean(self) -> float:
        total = exact_sum(self.weights.to_numpy())
        return float(exact_sum(self._numbers() * self.weights.to_numpy()) / total) if total else float("nan")

    def quantile(self, q: float) -> float:
        return weighted_quantile(self._numbers(), self.weights.to_numpy(), q)

    def median(self) -> float:
        return self.quantile(0.5)

    def to_frame(self) -> pd.DataFrame:
        """Values, weights and context in one table."""
        return pd.concat([self.values, self.weights.rename("weight"), self.context], axis=1)

    def _by(self, by) -> np.ndarray:
        if isinstance(by, str):
            if by in self.context:
                return self.context[by].to_numpy()
            if self._lookup is None:
                raise KeyError(f"nothing to group by named {by!r}")
            return np.asarray(self._lookup(by))
        if isinstance(by, WeightedSeries):
            return np.asarray(by.values)
        by = np.asarray(by)
        if len(by) != len(self):
            raise ValueError(f"{len(by)} group labels for {len(self)} rows")
        return by

    def groupby(self, by) -> WeightedGroupBy:
        """Group by a context column (``"jurisdiction"``), any variable at this level (an input such as
        ``"area"``, ``"dibao_class"``, or an output), a WeightedSeries or an array."""
        return WeightedGroupBy(self, self._by(by), by if isinstance(by, str) else None)

    def _derive(self, values: pd.Series) -> WeightedSeries:
        return WeightedSeries(values, self.weights, self.context, self._lookup)

    def _operate(self, other, function) -> WeightedSeries:
        if isinstance(other, WeightedSeries):
            if not other.values.index.equals(self.values.index):
                raise ValueError("the two series are not on the same households or persons")
            other = other.values
        return self._derive(function(self.values, other))


def _operator(function):
    return lambda self, other: self._operate(other, function)


for _name, _function in {
    "__add__": operator.add,
    "__sub__": operator.sub,
    "__mul__": operator.mul,
    "__truediv__": operator.truediv,
    "__gt__": operator.gt,
    "__ge__": operator.ge,
    "__lt__": operator.lt,
    "__le__": operator.le,
    "__eq__": operator.eq,
    "__ne__": operator.ne,
    "__and__": operator.and_,
    "__or__": operator.or_,
}.items():
    setattr(WeightedSeries, _name, _operator(_function))
WeightedSeries.__radd__ = _operator(lambda a, b: b + a)
WeightedSeries.__rmul__ = _operator(lambda a, b: b * a)
WeightedSeries.__rsub__ = _operator(lambda a, b: b - a)
WeightedSeries.__neg__ = lambda self: self._derive(-self.values)
WeightedSeries.__hash__ = None  # == compares values, as in pandas


class WeightedGroupBy:
    """A :class:`WeightedSeries` split by group: each statistic is a pandas Series indexed by the groups."""

    def __init__(self, series: WeightedSeries, labels: np.ndarray, name: str | None):
        self.series, self.name = series, name
        self.groups, self.codes = np.unique(
            labels.astype(str) if labels.dtype == object else labels, return_inverse=True
        )

    def _series(self, result: list[float], label: str) -> pd.Series:
        named = dict(zip(self.groups.tolist(), result))
        series = pd.Series(named, name=f"{self.series.name}_{label}" if self.series.name else label, dtype=float)
        series.index.name = self.name
        return series

    def _sums(self, weighted: bool) -> list[Fraction]:
        """Per group, exactly: Σ weight × value (``weighted``) or Σ weight, in one pass: the same sums as each
        group's :meth:`WeightedSeries.sum` and :meth:`WeightedSeries.count`, without a series per group."""
        weights = self.series.weights.to_numpy()
        terms = self.series._numbers() * weights if weighted else weights
        return grouped_sums(terms, self.codes, len(self.groups))

    def sum(self) -> pd.Series:
        return self._series([float(s) for s in self._sums(True)], "sum")

    def mean(self) -> pd.Series:
        totals, weights = self._sums(True), self._sums(False)
        return self._series([float(s / w) if w else float("nan") for s, w in zip(totals, weights)], "mean")

    def median(self) -> pd.Series:
        # One sort, then a slice per group: a mask per group would cost groups × rows (2,455 counties × 10⁶).
        order = np.argsort(self.codes, kind="stable")
        values, weights = self.series._numbers()[order], self.series.weights.to_numpy()[order]
        bounds = np.searchsorted(self.codes[order], np.arange(len(self.groups) + 1))
        return self._series(
            [
                weighted_quantile(values[bounds[c] : bounds[c + 1]], weights[bounds[c] : bounds[c + 1]], 0.5)
                for c in range(len(self.groups))
            ],
            "median",
        )

    def count(self) -> pd.Series:
        return self._series([float(w) for w in self._sums(False)], "count")


class Microsimulation:
    """A caseload under the baseline or under ``reforms`` (names in reforms/ or .yaml/.py files, applied in order).

    ``period`` is the default period of :meth:`calc`, :meth:`results` and :meth:`compare` (a year or a
    month). ``carry_forward`` and ``map_retired_codes`` are as in :func:`openfisca_cn_assist.api.run`;
    ``dask`` (``"local:N"`` or an address) runs :meth:`results` and :meth:`compare` on Dask.
    """

    def __init__(
        self,
        caseload: Caseload | PartitionedCaseload | str,
        reforms: Sequence[str] | str | None = None,
        period: str | None = None,
        *,
        carry_forward: bool = False,
        map_retired_codes: bool = False,
        partition_size: int | None = None,
        dask: str | None = None,
    ):
        from openfisca_cn_assist.engine.reform_tools import apply_reform

        self.reforms: tuple[str, ...] = (reforms,) if isinstance(reforms, str) else tuple(reforms or ())
        self.period = None if period is None else str(period)
        self.options = {"carry_forward": carry_forward, "map_retired_codes": map_retired_codes}
        self.dask = dask
        self.baseline_system = builtin_system()
        self.reformed_system = apply_reform(self.baseline_system, list(self.reforms)) if self.reforms else None
        self.caseload = as_partitioned(caseload, self.period or "2022", self.baseline_system, partition_size)
        self._simulations: dict = {}

    @property
    def reform(self) -> str | tuple[str, ...] | None:
        """The reform as scenarios carry it: a name, or the names in order when there are several."""
        if not self.reforms:
            return None
        return self.reforms[0] if len(self.reforms) == 1 else self.reforms

    @property
    def system(self):
        """The system ``calc`` computes with: the reformed one, with the options applied."""
        return Scenario(self.reform, **self.options).system(self.reformed_system or self.baseline_system)

    def _period(self, period) -> str:
        period = self.period if period is None else str(period)
        if period is None:
            raise ValueError("give a period: Microsimulation(..., period='2022') or calc(variable, '2022')")
        return period

    def _simulation(self, partition, period: str):
        key = (partition.name, period)
        if key in self._simulations:
            return self._simulations[key]
        simulation = partition_simulation(self.system, partition.load(), period)
        if len(self.caseload) == 1:  # one partition stays in memory for the next calc; many are rebuilt
            self._simulations[key] = simulation
        return simulation

    def calc(self, variable: str, period: str | None = None, map_to: str | None = None) -> WeightedSeries:
        """``variable`` per household or person (``map_to``: "household" sums members' values, "person"
        shows a household's value on each member; default the variable's own entity), weighted."""
        period = self._period(period)
        definition = self.system.get_variable(variable, check_existence=True)
        level = map_to or definition.entity.key
        if level not in ("household", "person"):
            raise ValueError(f"map_to is 'household' or 'person', got {map_to!r}")
        parts = [self._calc_partition(p, variable, period, level) for p in self.caseload.partitions]
        values = pd.concat([p[0] for p in parts])
        weights = pd.concat([p[1] for p in parts])
        context = pd.concat([p[2] for p in parts])
        return WeightedSeries(values, weights, context, lambda name: self.calc(name, period, level).values.to_numpy())

    def _calc_partition(self, partition, variable: str, period: str, level: str):
        simulation = self._simulation(partition, period)
        households = simulation.populations["household"]
        values = _over_period(simulation, variable, period)
        entity = self.system.get_variable(variable).entity.key
        if entity != level:
            values = households.sum(values) if level == "household" else households.project(values)
        weights = np.asarray(simulation.household_weights, dtype=float)
        jurisdiction = households("jurisdiction", months_of(period)[0]).decode_to_str()
        if level == "person":
            weights, jurisdiction = households.project(weights), households.project(jurisdiction)
            index = pd.Index(np.asarray(simulation.person_ids), name="person_id")
        else:
            index = pd.Index(np.asarray(simulation.household_ids), name="household_id")
        return (
            pd.Series(values, index=index, name=variable),
            pd.Series(weights, index=index, name="weight"),
            pd.DataFrame({"jurisdiction": jurisdiction}, index=index),
        )

    def results(self, period: str | None = None, rows: bool | None = None) -> Results:
        """Every output for every household under this simulation's reforms (as :func:`api.run`)."""
        from openfisca_cn_assist.analysis.distributed import run_caseload

        scenarios = [Scenario(self.reform, **self.options)]
        systems = None if self.dask else [self.reformed_system or self.baseline_system]
        keep = not self.dask if rows is None else rows
        return run_caseload(self.caseload, self._period(period), scenarios, dask=self.dask, systems=systems, rows=keep)

    def compare(self, period: str | None = None, rows: bool | None = None) -> Impact:
        """The baseline against this simulation's reforms on the same caseload (as :func:`api.compare`)."""
        from openfisca_cn_assist.analysis.distributed import run_caseload

        if not self.reforms:
            raise ValueError("a Microsimulation without reforms has nothing to compare: give reforms=[...]")
        scenarios = [Scenario(None, **self.options), Scenario(self.reform, **self.options)]
        systems = None if self.dask else [self.baseline_system, self.reformed_system]
        keep = not self.dask if rows is None else rows
        return run_caseload(
            self.caseload, self._period(period), scenarios, dask=self.dask, systems=systems, rows=keep, changes=True
        )


def _over_period(simulation, variable: str, period: str) -> np.ndarray:
    """The variable over ``period``: summed over months when it is monthly and numeric, else its first month."""
    definition = simulation.tax_benefit_system.get_variable(variable)
    months = months_of(period)
    if definition.definition_period == ETERNITY:
        first = simulation.calculate(variable, months[0])
    elif definition.definition_period != MONTH:
        first = simulation.calculate(variable, period)
    else:
        first = simulation.calculate(variable, months[0])
    if hasattr(first, "decode_to_str"):  # an enumeration: its (first month's) member name
        return first.decode_to_str()
    if definition.definition_period != MONTH or first.dtype.kind not in "biuf" or len(months) == 1:
        return first
    total = first.astype(float)
    for month in months[1:]:
        total = total + simulation.calculate(variable, month).astype(float)
    return total


__all__ = ["Microsimulation", "WeightedSeries", "WeightedGroupBy", "weighted_quantile"]
