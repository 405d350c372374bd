"""Microsimulation over a caseload: every output, every household, every month; summaries and reform impact.

One vectorised simulation per scenario and partition (never one per household). An output whose
rule needs a figure no source gives for the caseload's jurisdictions (say the minimum wage behind
the 特困 care allowance) is reported as not computed, with the reason, instead of stopping the whole
run or counting as zero; outputs that depend on it (the total) are reported the same way. Bad input
still stops the run.

A caseload runs as partitions of whole households (:mod:`openfisca_cn_assist.analysis.partitions`), here
one after the other or on Dask workers (:mod:`openfisca_cn_assist.analysis.distributed`), through the same
two functions: :func:`run_partition` computes one partition and returns a small, picklable
:class:`PartitionResult` (weighted sums by output and jurisdiction, counts, optionally the household
rows), and :func:`combine` adds the results up after checking that every partition reported. Sums
are exact (:mod:`openfisca_cn_assist.analysis.exact`), so totals do not depend on the partitioning, the
number of workers or the order in which partitions finish.
"""

from __future__ import annotations

import gc
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
from openfisca_core.periods import period as as_period

from openfisca_cn_assist.analysis.exact import grouped_sums
from openfisca_cn_assist.analysis.outputs import MicrosimOutputs, builtin_outputs
from openfisca_cn_assist.analysis.partitions import PartitionedCaseload, partition_simulation, split_caseload
from openfisca_cn_assist.caseload.model import Caseload
from openfisca_cn_assist.engine.horizons import carried_by_output, carrying_forward, merge_carried
from openfisca_cn_assist.engine.programmes import check_known_in, is_calendar_year
from openfisca_cn_assist.engine.resolver import MissingParameterValueError

TOLERANCE = 0.005  # half a fen: amounts are in 元 with fen precision


def months_of(period_text: str) -> list:
    """The months of a year or month period, as OpenFisca periods."""
    period = as_period(period_text)
    if period.unit == "month" and period.size == 1:
        return [period]
    return list(period.get_subperiods("month"))


# --- Exact weighted sums by jurisdiction --------------------------------------------------------------


def _add(maps: Iterable[dict]) -> dict:
    total: dict = {}
    for mapping in maps:
        for key, value in mapping.items():
            total[key] = total.get(key, Fraction(0)) + value
    return dict(sorted(total.items()))


MAX_REASONS = 3  # distinct reasons kept per output: partitions' messages differ only in their counts and rows
_MORE = "… and other partitions' reasons like these"


def merge_not_computed(maps: Iterable[dict], order: list[str] | None = None) -> dict[str, str]:
    """The union of not-computed outputs, in output order (``order``, default the built-in system's), each with
    its first distinct reasons (one a line)."""
    reasons: dict[str, list[str]] = {}
    more: set[str] = set()
    for mapping in maps:
        for name, reason in mapping.items():
            known = reasons.setdefault(name, [])
            for line in str(reason).split("\n"):
                if line == _MORE or len(known) >= MAX_REASONS:
                    more.update([name] if line not in known else [])
                elif line not in known:
                    known.append(line)
    order = {name: i for i, name in enumerate(builtin_outputs().order if order is None else order)}
    return {
        name: "\n".join(reasons[name] + ([_MORE] if name in more else []))
        for name in sorted(reasons, key=lambda n: (order.get(n, len(order)), n))
    }


@dataclass
class Aggregate:
    """One scenario's weighted sums over some households, by jurisdiction key; exact, so partitions add up exactly.

    ``spending[output][jurisdiction]`` is Σ weight × yearly amount (元), ``recipients`` Σ weight over
    households with an amount above 0, ``months`` Σ weight × months (status outputs). Outputs in
    ``not_computed`` have no sums.
    """

    households: int = 0
    persons: int = 0
    weight: dict = field(default_factory=dict)
    spending: dict = field(default_factory=dict)
    recipients: dict = field(default_factory=dict)
    months: dict = field(default_factory=dict)
    not_computed: dict = field(default_factory=dict)
    # {output: [value carried past its horizon, as a dict]}: empty unless the system carries values forward
    carried_forward: dict = field(default_factory=dict)
    outputs: MicrosimOutputs | None = None  # which outputs are summed (default: the built-in system's)

    def __post_init__(self):
        if self.outputs is None:
            self.outputs = builtin_outputs()

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, not_computed: dict, persons: int = 0, outputs: MicrosimOutputs | None = None
    ) -> Aggregate:
        """Sums over household rows as :func:`household_frame` makes them for a system with ``outputs``."""
        keys, codes = np.unique(frame["jurisdiction"].to_numpy(dtype=str), return_inverse=True)
        keys = keys.tolist()
        weight = frame["weight"].to_numpy(dtype=float)

        def by_jurisdiction(values) -> dict:
            return dict(zip(keys, grouped_sums(values, codes, len(keys))))

        aggregate = cls(
            len(frame),
            persons,
            by_jurisdiction(weight),
            not_computed=dict(not_computed),
            carried_forward=dict(frame.attrs.get("carried_forward", {})),
            outputs=outputs,
        )
        for name, _, _ in aggregate.outputs.money:
            if name not in not_computed:
                amount = frame[name].to_numpy(dtype=float)
                aggregate.spending[name] = by_jurisdiction(amount * weight)
                aggregate.recipients[name] = by_jurisdiction(np.where(amount > 0, weight, 0.0))
        for name, _, _ in aggregate.outputs.status:
            if name not in not_computed:
                aggregate.months[name] = by_jurisdiction(frame[f"{name}_months"].to_numpy(dtype=float) * weight)
        return aggregate

    @classmethod
    def combine(cls, parts: Iterable[Aggregate]) -> Aggregate:
        """The sums over all ``parts``; an output not computed in any part is not computed in the whole."""
        parts = list(parts)
        outputs = parts[0].outputs if parts else None
        not_computed = merge_not_computed((p.not_computed for p in parts), outputs.order if outputs else None)
        combined = cls(
            sum(p.households for p in parts),
            sum(p.persons for p in parts),
            _add(p.weight for p in parts),
            not_computed=not_computed,
            carried_forward=merge_carried(p.carried_forward for p in parts),
            outputs=outputs,
        )
        for attribute, listed in (
            ("spending", combined.outputs.money),
            ("recipients", combined.outputs.money),
            ("months", combined.outputs.status),
        ):
            sums = getattr(combined, attribute)
            for name, _, _ in listed:
                if name not in not_computed:
                    sums[name] = _add(getattr(p, attribute)[name] for p in parts)
        return combined

    def total(self, name: str) -> Fraction | None:
        if name in self.not_computed:
            return None
        return sum(self.spending[name].values(), Fraction(0))


def covered_outputs(outputs: MicrosimOutputs, *not_computed: dict) -> tuple[str, ...]:
    """Outputs whose sum is a household's total for gainers and losers: the total, or the programmes computed in every scenario."""
    missing = set().union(*not_computed)
    if outputs.total not in missing:
        return (outputs.total,)
    return tuple(p for p in outputs.parts if p not in missing)


def covered_label(covered: tuple[str, ...], total: str) -> str:
    return total if covered == (total,) else "sum of the computed programmes (" + ", ".join(covered) + ")"


def _household_total(frame: pd.DataFrame, covered: tuple[str, ...], total: str) -> np.ndarray:
    if covered == (total,):
        return frame[total].to_numpy(dtype=float)
    return frame[list(covered)].sum(axis=1).to_numpy(dtype=float)


def _eligible(frame: pd.DataFrame) -> np.ndarray:
    return ((frame["dibao_recipient_months"] > 0) | (frame["tekun_eligible_months"] > 0)).to_numpy()


@dataclass
class Comparison:
    """Baseline against reform over some households: weighted counts and changes, exact.

    ``changes`` (kept on request, for the chart) holds each household's change of the total where it
    moved by more than half a fen, in household order.
    """

    covered: tuple[str, ...]
    total: str  # the output that adds up the others
    households: Fraction = Fraction(0)
    gaining: Fraction = Fraction(0)
    losing: Fraction = Fraction(0)
    newly_eligible: Fraction = Fraction(0)
    no_longer_eligible: Fraction = Fraction(0)
    gain: Fraction = Fraction(0)  # Σ weight × change over gaining households
    by_jurisdiction: dict = field(default_factory=dict)
    changes: np.ndarray | None = None

    @property
    def label(self) -> str:
        return covered_label(self.covered, self.total)

    @classmethod
    def from_frames(
        cls,
        baseline: pd.DataFrame,
        base_missing: dict,
        reform: pd.DataFrame,
        reform_missing: dict,
        keep_changes: bool = False,
        outputs: MicrosimOutputs | None = None,
    ) -> Comparison:
        outputs = outputs or builtin_outputs()
        covered = covered_outputs(outputs, base_missing, reform_missing)
        total = outputs.total
        change = _household_total(reform, covered, total) - _household_total(baseline, covered, total)
        weight = baseline["weight"].to_numpy(dtype=float)
        before, after = _eligible(baseline), _eligible(reform)
        gaining = change > TOLERANCE
        groups = np.zeros(len(weight), dtype=np.int64)
        keys, codes = np.unique(baseline["jurisdiction"].to_numpy(dtype=str), return_inverse=True)
        masks = [np.ones(len(weight), dtype=bool), gaining, change < -TOLERANCE, ~before & after, before & ~after]
        households, gaining_w, losing, newly, no_longer = (
            grouped_sums(np.where(m, weight, 0.0), groups, 1)[0] for m in masks
        )
        weighted_change = change * weight
        return cls(
            covered=covered,
            total=total,
            households=households,
            gaining=gaining_w,
            losing=losing,
            newly_eligible=newly,
            no_longer_eligible=no_longer,
            gain=grouped_sums(np.where(gaining, weighted_change, 0.0), groups, 1)[0],
            by_jurisdiction=dict(zip(keys.tolist(), grouped_sums(weighted_change, codes, len(keys)))),
            changes=change[np.abs(change) > TOLERANCE] if keep_changes else None,
        )

    @classmethod
    def combine(cls, parts: Iterable[Comparison]) -> Comparison:
        parts = list(parts)
        covered = {p.covered for p in parts}
        if len(covered) != 1:
            raise ValueError(f"partitions counted gainers on different totals: {sorted(covered)}")
        changes = [p.changes for p in parts]
        return cls(
            covered=parts[0].covered,
            total=parts[0].total,
            households=sum((p.households for p in parts), Fraction(0)),
            gaining=sum((p.gaining for p in parts), Fraction(0)),
            losing=sum((p.losing for p in parts), Fraction(0)),
            newly_eligible=sum((p.newly_eligible for p in parts), Fraction(0)),
            no_longer_eligible=sum((p.no_longer_eligible for p in parts), Fraction(0)),
            gain=sum((p.gain for p in parts), Fraction(0)),
            by_jurisdiction=_add(p.by_jurisdiction for p in parts),
            changes=None if any(c is None for c in changes) else np.concatenate(changes) if changes else np.zeros(0),
        )

    def counts(self) -> dict[str, float]:
        return {
            "households": float(self.households),
            "gaining": float(self.gaining),
            "losing": float(self.losing),
            "newly_eligible": float(self.newly_eligible),
            "no_longer_eligible": float(self.no_longer_eligible),
            "mean_gain_per_gaining_household": float(self.gain / self.gaining) if self.gaining else 0.0,
        }


# --- Results ---------------------------------------------------------------------------------------


@dataclass
class Results:
    """One scenario over a caseload: the sums (``aggregate``) and, when kept, one row per input household.

    ``households`` holds the rows in input order (yearly sums of money outputs, months of status
    outputs); it is None for a run whose rows were written to a folder (``rows_dir``) or not kept.
    """

    period: str
    reform: str | None
    caseload: str
    synthetic: bool
    households: pd.DataFrame | None
    not_computed: dict[str, str] = field(default_factory=dict)
    aggregate: Aggregate | None = None
    partitions: int = 1
    rows_dir: str | None = None
    stats: list = field(default_factory=list)  # per partition: name, worker, seconds, peak_rss (bytes)

    def __post_init__(self):
        if self.aggregate is None:
            if self.households is None:
                raise ValueError("Results need the household rows or their aggregate")
            self.aggregate = Aggregate.from_frame(self.households, self.not_computed)  # the built-in outputs

    @property
    def household_count(self) -> int:
        return self.aggregate.households

    @property
    def carried_forward(self) -> dict[str, list[dict]]:
        """``{output: [value used past its horizon, …]}``: empty unless the run carried values forward."""
        return self.aggregate.carried_forward

    def exact_total(self, variable: str) -> Fraction | None:
        """The weighted sum of a money output over the period, in 元, as an exact fraction (None when not computed)."""
        return self.aggregate.total(variable)

    def weighted_total(self, variable: str) -> float | None:
        total = self.exact_total(variable)
        return None if total is None else float(total)

    def totals(self) -> dict[str, float | None]:
        """Each money output's weighted sum over the period, in 元 (None when not computed)."""
        return {name: self.weighted_total(name) for name, _, _ in self.aggregate.outputs.money}

    def summary(self) -> pd.DataFrame:
        """Recipients (weighted households with any amount) and spending in 万元, by programme and jurisdiction."""
        rows = []
        aggregate = self.aggregate
        for name, _, label in aggregate.outputs.money:
            if name in aggregate.not_computed:
                rows.append(
                    {
                        "programme": label,
                        "output": name,
                        "jurisdiction": "all",
                        "recipients": np.nan,
                        "spending_10k_yuan": np.nan,
                    }
                )
                continue
            spending, recipients = aggregate.spending[name], aggregate.recipients[name]
            groups = [("all", sum(spending.values(), Fraction(0)), sum(recipients.values(), Fraction(0)))]
            groups += [(key, spending[key], recipients[key]) for key in sorted(aggregate.weight)]
            for jurisdiction, paid, count in groups:
                rows.append(
                    {
                        "programme": label,
                        "output": name,
                        "jurisdiction": jurisdiction,
                        "recipients": float(count),
                        "spending_10k_yuan": float(paid / 10_000),
                    }
                )
        return pd.DataFrame(rows)


@dataclass
class Impact:
    """Baseline against reform on the same households."""

    baseline: Results
    reform: Results
    comparison: Comparison | None = None

    def __post_init__(self):
        if self.comparison is None:
            if self.baseline.households is None or self.reform.households is None:
                raise ValueError("Impact needs both scenarios' household rows or their comparison")
            self.comparison = Comparison.from_frames(
                self.baseline.households,
                self.baseline.not_computed,
                self.reform.households,
                self.reform.not_computed,
                keep_changes=True,
                outputs=self.baseline.aggregate.outputs,
            )

    @property
    def changes(self) -> dict[str, float | None]:
        changes = {}
        for name, _, _ in self.baseline.aggregate.outputs.money:
            base, new = self.baseline.exact_total(name), self.reform.exact_total(name)
            changes[name] = None if base is None or new is None else float(new - base)
        return changes

    @property
    def carried_forward(self) -> dict[str, dict[str, list[dict]]]:
        """Per scenario (``baseline``, ``reform``), the outputs that rest on values past their horizon."""
        return {"baseline": self.baseline.carried_forward, "reform": self.reform.carried_forward}

    @property
    def covered(self) -> str:
        """What the household total for gainers and losers covers."""
        return self.comparison.label

    def household_change(self) -> tuple[np.ndarray, str]:
        """Each household's change of the total (needs the household rows), and what the total covers."""
        if self.baseline.households is None or self.reform.households is None:
            raise ValueError("the household rows were not kept; use counts(), by_jurisdiction() or gains()")
        covered, total = self.comparison.covered, self.comparison.total
        change = _household_total(self.reform.households, covered, total) - _household_total(
            self.baseline.households, covered, total
        )
        return change, covered_label(covered, total)

    def gains(self) -> np.ndarray:
        """The households' changes of the total beyond half a fen (gains and losses), for the chart."""
        if self.comparison.changes is not None:
            return self.comparison.changes
        change, _ = self.household_change()
        return change[np.abs(change) > TOLERANCE]

    def counts(self) -> dict[str, float]:
        """Weighted households gaining, losing, newly eligible and no longer eligible (低保 or 特困)."""
        return self.comparison.counts()

    def by_jurisdiction(self) -> pd.Series:
        """Weighted yearly change of the household total in 元, by jurisdiction key."""
        items = self.comparison.by_jurisdiction
        series = pd.Series({k: float(v) for k, v in items.items()}, name="change", dtype=float)
        series.index.name = "jurisdiction"
        return series

    def by_programme(self) -> pd.DataFrame:
        rows = []
        for name, _, label in self.baseline.aggregate.outputs.money:
            base, new = self.baseline.exact_total(name), self.reform.exact_total(name)
            rows.append(
                {
                    "programme": label,
                    "output": name,
                    "baseline_10k_yuan": None if base is None else float(base / 10_000),
                    "reform_10k_yuan": None if new is None else float(new / 10_000),
                    "change_10k_yuan": None if base is None or new is None else float((new - base) / 10_000),
                }
            )
        return pd.DataFrame(rows)


# --- One partition ------------------------------------------------------------------------------------


def _progress(total: int, description: str, enabled: bool, unit: str = "output-month"):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=unit, leave=False)


def household_frame(
    simulation, period: str, forced: dict | None = None, progress: str | None = None
) -> tuple[pd.DataFrame, dict]:
    """One row per household of ``simulation``: yearly sums of money outputs, months of status outputs.

    ``frame.attrs["carried_forward"]`` lists, per output, the values it used past their horizon (only a
    system that carries values forward uses any).

    Outputs in ``forced`` are reported not computed with the given reason, without computing them
    (so that every partition reports the outputs some partition could not compute). Yearly outputs
    (declared ``month_not_known``: paid once in a month no source gives) are
    computed once for a calendar year, and added to the year's total; for any other period they are 0
    where no jurisdiction present pays them in the year, else reported not computed (the payment month
    is unknown), and the total is that of the monthly benefits.
    """
    months = months_of(period)
    households = simulation.populations["household"]
    frame = pd.DataFrame(
        {
            "household_id": simulation.household_ids,
            "jurisdiction": households("jurisdiction", months[0]).decode_to_str(),
            "weight": np.asarray(simulation.household_weights, dtype=float),
        }
    )
    not_computed: dict[str, str] = dict(forced or {})
    declared = MicrosimOutputs.of(simulation.tax_benefit_system)
    yearly_outputs = declared.yearly
    outputs = [(o, True) for o in declared.money] + [(o, False) for o in declared.status]
    bar = _progress(len(outputs) * len(months), progress or "", progress is not None)
    whole_year = as_period(period) if is_calendar_year(as_period(period)) else None
    yearly = np.zeros(households.count)  # the yearly outputs, which the monthly totals leave out
    for (name, entity, _), is_money in outputs:
        column = np.zeros(households.count)
        if name in yearly_outputs:  # paid once in the year, month unknown: computed once, for a whole year only
            if name not in not_computed:
                try:
                    if whole_year is None:  # 0 where no jurisdiction pays in the year; else the month is unknown
                        check_known_in(simulation, name, as_period(period))
                    else:
                        column = households.sum(simulation.calculate(name, whole_year).astype(float))
                except MissingParameterValueError as error:
                    not_computed[name] = str(error)
                else:
                    yearly += column
            if bar:
                bar.update(len(months))
        for month in months if name not in yearly_outputs else ():
            if name not in not_computed:
                try:
                    values = simulation.calculate(name, month).astype(float)
                except MissingParameterValueError as error:
                    not_computed[name] = str(error)
                else:
                    column += households.sum(values) if entity == "person" else values
            if bar:
                bar.update(1)
        if name == declared.total and whole_year is not None:
            # A year's total adds the yearly outputs once; a month's total (the variable) cannot hold them.
            column = column + yearly
            missing = [n for n in yearly_outputs if n in not_computed]
            if missing and name not in not_computed:
                not_computed[name] = f"{', '.join(missing)} not computed, so the year's total is not either"
        frame[name if is_money else f"{name}_months"] = np.nan if name in not_computed else column
    if bar:
        bar.close()
    frame.attrs["carried_forward"] = carried_by_output(simulation, [name for (name, _, _), _ in outputs], months)
    return frame, merge_not_computed([not_computed], declared.order)


@dataclass(frozen=True)
class PartitionTask:
    """What to compute on every partition: one scenario per entry of ``reforms`` (None: the baseline).

    ``rows`` returns the household rows; ``rows_dir`` writes the first scenario's rows to
    ``<rows_dir>/<partition name>.parquet`` instead of returning them; ``changes`` keeps the
    households' changes (two scenarios); ``forced`` gives, per scenario, ``(output, reason)`` pairs
    to report as not computed.
    """

    period: str
    reforms: tuple = (None,)
    rows: bool = False
    rows_dir: str | None = None
    changes: bool = False
    forced: tuple = ()
    progress: bool = False
    carry_forward: bool = False  # use values past their horizon, and list the outputs that rest on them


@dataclass
class PartitionResult:
    """What one partition reports: small and picklable (unless it carries rows)."""

    name: str
    index: int
    scenarios: list[Aggregate]
    comparison: Comparison | None = None
    rows: list | None = None
    rows_file: str | None = None
    seconds: float = 0.0
    peak_rss: int = 0  # bytes: the high-water mark of the process that ran it
    worker: str = ""


def peak_rss() -> int:
    """This process's largest resident memory so far, in bytes (0 where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def _write_rows(frame: pd.DataFrame, rows_dir: str, name: str) -> str:
    path = Path(rows_dir) / f"{name}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    frame.to_parquet(partial, index=False)
    os.replace(partial, path)  # a partition's file appears whole or not at all
    return str(path)


def run_partition(partition, task: PartitionTask, systems: list) -> PartitionResult:
    """Compute one partition under each scenario's system (``systems[k]`` for ``task.reforms[k]``)."""
    if len(systems) != len(task.reforms):
        raise ValueError(f"{len(task.reforms)} scenarios but {len(systems)} systems")
    start = time.perf_counter()
    data = partition.load()
    frames, aggregates = [], []
    for k, (system, reform) in enumerate(zip(systems, task.reforms)):
        if task.carry_forward:
            system = carrying_forward(system)
        simulation = partition_simulation(system, data, task.period)
        label = None
        if task.progress:
            label = f"{getattr(data, 'name', partition.name)} {task.period}" + (f" [{reform}]" if reform else "")
        frame, not_computed = household_frame(
            simulation, task.period, dict(task.forced[k]) if task.forced else None, label
        )
        persons = simulation.persons.count
        del simulation
        gc.collect()  # a simulation is a reference cycle: free it now, so one partition at a time is in memory
        frames.append(frame)
        aggregates.append(Aggregate.from_frame(frame, not_computed, persons, MicrosimOutputs.of(system)))
    comparison = None
    if len(frames) == 2:
        comparison = Comparison.from_frames(
            frames[0],
            aggregates[0].not_computed,
            frames[1],
            aggregates[1].not_computed,
            task.changes,
            aggregates[0].outputs,
        )
    rows_file = _write_rows(frames[0], task.rows_dir, partition.name) if task.rows_dir else None
    return PartitionResult(
        name=partition.name,
        index=partition.index,
        scenarios=aggregates,
        comparison=comparison,
        rows=frames if task.rows else None,
        rows_file=rows_file,
        seconds=time.perf_counter() - start,
        peak_rss=peak_rss(),
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )


# --- Many partitions -------------------------------------------------------------------------------


class PartitionError(RuntimeError):
    """Partitions failed or never reported; ``failures`` maps each partition's name to what happened."""

    def __init__(self, failures: dict[str, str]):
        self.failures = dict(failures)
        lines = [f"partition {name}: {problem}" for name, problem in self.failures.items()]
        noun = "partition" if len(lines) == 1 else f"{len(lines)} partitions"
        super().__init__(f"{noun} failed; no total was produced:\n  " + "\n  ".join(lines))


# An executor runs (partition, task) pairs and yields (partition, PartitionResult or the exception), in any order.
Execute = Callable[[list], Iterator]


def in_process(systems: list) -> Execute:
    """Run partitions one after the other in this process, with ``systems`` (one per scenario)."""

    def execute(pairs):
        for partition, task in pairs:
            try:
                outcome = run_partition(partition, task, systems)
            except Exception as error:  # reported by partition name by the caller
                outcome = error
            yield partition, outcome

    return execute


def _describe(partition, error: BaseException) -> str:
    where = getattr(partition, "where", "")
    return f"({where}) {type(error).__name__}: {error}" if where else f"{type(error).__name__}: {error}"


def check_complete(expected: Iterable[str], results: dict) -> None:
    """Raise :class:`PartitionError` naming every expected partition without a result."""
    missing = [name for name in expected if name not in results]
    if missing:
        raise PartitionError(
            {name: "no result: the partition never reported, so the totals would miss it" for name in missing}
        )
    unexpected = sorted(set(results) - set(expected))
    if unexpected:
        raise PartitionError({name: "reported but not part of this caseload" for name in unexpected})


def _collect(partitions: list, task: PartitionTask, execute: Execute, progress: bool, reraise_single: bool) -> dict:
    results: dict[str, PartitionResult] = {}
    bar = _progress(len(partitions), "partitions", progress and len(partitions) > 1, unit="partition")
    outcomes = execute([(p, task) for p in partitions])
    try:
        for partition, outcome in outcomes:
            if isinstance(outcome, BaseException):
                if reraise_single and len(partitions) == 1:
                    raise outcome
                raise PartitionError({partition.name: _describe(partition, outcome)}) from outcome
            if outcome.name != partition.name:
                raise PartitionError({partition.name: f"reported as {outcome.name!r}"})
            results[outcome.name] = outcome
            if bar:
                bar.update(1)
    finally:
        close = getattr(outcomes, "close", None)
        if close:
            close()  # stops (or cancels) the partitions still to run
        if bar:
            bar.close()
    check_complete([p.name for p in partitions], results)
    return results


def run_partitions(
    caseload: PartitionedCaseload,
    task: PartitionTask,
    execute: Execute,
    progress: bool = False,
    reraise_single: bool = False,
) -> list[PartitionResult]:
    """Every partition's result, in partition order; the first failure stops the run with :class:`PartitionError`.

    When rows or a comparison are wanted, a partition that computed an output some other partition
    could not is run again with that output reported not computed, so that rows and gainers do not
    depend on how the caseload was partitioned (one simulation of the whole caseload would not have
    computed it either). ``reraise_single`` raises a single partition's own error unwrapped.
    """
    partitions = list(caseload.partitions)
    results = _collect(partitions, task, execute, progress, reraise_single)
    scenarios = range(len(task.reforms))
    union = [
        merge_not_computed(
            (results[p.name].scenarios[k].not_computed for p in partitions),
            results[partitions[0].name].scenarios[k].outputs.order,
        )
        for k in scenarios
    ]
    if task.rows or task.rows_dir or len(task.reforms) > 1:
        stale = [
            p
            for p in partitions
            if any(set(results[p.name].scenarios[k].not_computed) != set(union[k]) for k in scenarios)
        ]
        if stale:
            forced = tuple(tuple(union[k].items()) for k in scenarios)
            results.update(
                _collect(stale, replace(task, forced=forced, progress=False), execute, progress, reraise_single)
            )
    return [results[p.name] for p in partitions]


@dataclass
class Combined:
    """Partition results added up: one aggregate per scenario, the comparison, rows when kept."""

    scenarios: list[Aggregate]
    comparison: Comparison | None
    rows: list | None
    partitions: int


def combine(results: list[PartitionResult], expected: Iterable[str] | None = None) -> Combined:
    """Add up partition results (in the order given) after checking every ``expected`` partition reported once."""
    names = [r.name for r in results]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise PartitionError({n: "reported more than once" for n in duplicated})
    if expected is not None:
        check_complete(list(expected), {r.name: r for r in results})
    if not results:
        raise PartitionError({"(none)": "no partition reported"})
    scenarios = [Aggregate.combine(r.scenarios[k] for r in results) for k in range(len(results[0].scenarios))]
    comparisons = [r.comparison for r in results]
    comparison = None if any(c is None for c in comparisons) else Comparison.combine(comparisons)
    rows = None
    if all(r.rows is not None for r in results):
        rows = [pd.concat([r.rows[k] for r in results], ignore_index=True) for k in range(len(scenarios))]
    return Combined(scenarios, comparison, rows, len(results))


def run(
    caseload: PartitionedCaseload,
    period: str,
    reforms: tuple,
    execute: Execute,
    *,
    rows: bool = False,
    rows_dir: str | None = None,
    changes: bool = False,
    progress: bool = False,
    reraise_single: bool = False,
    carry_forward: bool = False,
) -> Results | Impact:
    """Run ``caseload`` under each scenario of ``reforms`` with ``execute``: Results for one scenario, Impact for (None, reform).

    ``carry_forward``: use values past their horizon (every scenario) and list what rests on them.
    """
    if len(reforms) not in (1, 2) or (len(reforms) == 2 and reforms[0] is not None):
        raise ValueError("reforms is (reform,) for one scenario or (None, reform) for an impact")
    single = len(caseload) == 1
    task = PartitionTask(
        period,
        tuple(reforms),
        rows=rows,
        rows_dir=rows_dir,
        changes=changes,
        progress=progress and single,
        carry_forward=carry_forward,
    )
    results = run_partitions(caseload, task, execute, progress, reraise_single)
    combined = combine(results, [p.name for p in caseload.partitions])
    stats = [{"partition": r.name, "worker": r.worker, "seconds": r.seconds, "peak_rss": r.peak_rss} for r in results]
    scenarios = [
        Results(
            period,
            reform,
            caseload.name,
            caseload.synthetic,
            combined.rows[k] if combined.rows else None,
            dict(aggregate.not_computed),
            aggregate,
            combined.partitions,
            rows_dir,
            stats,
        )
        for k, (reform, aggregate) in enumerate(zip(reforms, combined.scenarios))
    ]
    if len(scenarios) == 1:
        return scenarios[0]
    return Impact(scenarios[0], scenarios[1], combined.comparison)


def _partitioned(caseload, partition_size, system) -> PartitionedCaseload:
    if isinstance(caseload, PartitionedCaseload):
        return caseload
    if isinstance(caseload, Caseload):
        return split_caseload(caseload, partition_size, system)
    raise TypeError(f"expected a Caseload or a PartitionedCaseload, got {type(caseload).__name__}")


def simulate(
    system,
    caseload,
    period: str,
    reform: str | None = None,
    progress: bool = False,
    partition_size: int | None = None,
    carry_forward: bool = False,
) -> Results:
    """Compute every output for every household and month of ``period``, in this process.

    ``caseload`` is a :class:`Caseload` (cut into partitions of ``partition_size`` households,
    default :data:`~openfisca_cn_assist.analysis.partitions.DEFAULT_PARTITION_SIZE`, run one after the other)
    or a :class:`PartitionedCaseload`. The household rows are kept.
    """
    partitioned = _partitioned(caseload, partition_size, system)
    return run(
        partitioned,
        period,
        (reform,),
        in_process([system]),
        rows=True,
        progress=progress,
        reraise_single=True,
        carry_forward=carry_forward,
    )


def impact(
    baseline_system,
    reformed_system,
    caseload,
    period: str,
    reform: str,
    progress: bool = False,
    partition_size: int | None = None,
    carry_forward: bool = False,
) -> Impact:
    """Baseline against reform on the same caseload and period, in this process (household rows kept)."""
    partitioned = _partitioned(caseload, partition_size, baseline_system)
    execute = in_process([baseline_system, reformed_system])
    return run(
        partitioned,
        period,
        (None, reform),
        execute,
        rows=True,
        changes=True,
        progress=progress,
        reraise_single=True,
        carry_forward=carry_forward,
    )


# Deprecated names (0.2): the outputs are declared on the variables; these are the built-in system's.
_DEPRECATED = {
    "MONEY_OUTPUTS": lambda o: list(o.money),
    "STATUS_OUTPUTS": lambda o: list(o.status),
    "TOTAL": lambda o: o.total,
    "PROGRAMME_OUTPUTS": lambda o: list(o.parts),
    "OUTPUT_ORDER": lambda o: o.order,
}


def __getattr__(name: str):
    if name not in _DEPRECATED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import warnings

    warnings.warn(
        f"{__name__}.{name} is deprecated: use openfisca_cn_assist.analysis.outputs.MicrosimOutputs.of(system)",
        DeprecationWarning,
        stacklevel=2,
    )
    return _DEPRECATED[name](builtin_outputs())
