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
number of workers or the order in which partitions finish. What a run reports (:class:`Results`,
:class:`Impact` and the sums behind them) is in :mod:`openfisca_cn_assist.analysis.results`.
"""

from __future__ import annotations

import gc
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from openfisca_cn_assist.analysis.household_frame import (  # noqa: F401 - household_frame, months_of: imported from here
    IncomeMonths,
    household_frame,
    months_of,
    progress_bar,
)
from openfisca_cn_assist.analysis.outputs import MicrosimOutputs, builtin_outputs
from openfisca_cn_assist.analysis.partitions import PartitionedCaseload, partition_simulation, split_caseload
from openfisca_cn_assist.analysis.results import (
    Aggregate,
    Comparison,
    Impact,
    Results,
    attach_rules,
    merge_not_computed,
    merged_reasons,
)
from openfisca_cn_assist.analysis.scenario import Scenario, check_scenarios, scenarios_for
from openfisca_cn_assist.caseload.input_rows import input_rows
from openfisca_cn_assist.caseload.model import Caseload
from openfisca_cn_assist.engine.errors import InputError


@dataclass(frozen=True)
class PartitionTask:
    """What to compute on every partition: each of ``scenarios`` (one, or the baseline then a reform).

    ``rows`` returns the household rows; ``rows_dir`` writes the first scenario's rows to
    ``<rows_dir>/<partition name>.parquet`` instead of returning them; ``changes`` keeps the
    households' changes (two scenarios); ``forced`` gives, per scenario, ``(output, reason)`` pairs
    to report as not computed, and ``forced_months`` ``(output, ((month, reason), …))`` pairs of months to
    leave out.
    """

    period: str
    scenarios: tuple[Scenario, ...] = (Scenario(),)
    rows: bool = False
    rows_dir: str | None = None
    changes: bool = False
    forced: tuple = ()
    progress: bool = False
    forced_months: tuple = ()


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
    """Compute one partition under each scenario's system (``systems[k]``, built for ``task.scenarios[k].reform``)."""
    if len(systems) != len(task.scenarios):
        raise ValueError(f"{len(task.scenarios)} scenarios but {len(systems)} systems")
    start = time.perf_counter()
    data = partition.load()
    frames, aggregates, incomes = [], [], None
    for k, (system, scenario) in enumerate(zip(systems, task.scenarios)):
        system = scenario.system(system)
        reform = scenario.reform
        simulation = partition_simulation(system, data, task.period)
        if hasattr(partition, "input_rows"):  # rows named by their place in the whole input
            simulation.input_rows = partition.input_rows(simulation)
        label = None
        if task.progress:
            label = f"{getattr(data, 'name', partition.name)} {task.period}" + (f" [{reform}]" if reform else "")
        # the baseline's incomes and 低保 standard, for deciles and poverty: read each month before it is released
        income_months = IncomeMonths() if k == 0 and len(systems) == 2 else None
        try:
            frame, not_computed = household_frame(
                simulation,
                task.period,
                dict(task.forced[k]) if task.forced else None,
                label,
                {name: dict(months) for name, months in task.forced_months[k]} if task.forced_months else None,
                income_months,
            )
        except InputError as error:  # an input a formula refuses: name its rows as the caseload's reader does
            error.args = (input_rows(simulation).word(error),)
            raise
        if income_months is not None:
            incomes = income_months.total
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
            incomes,
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
    bar = progress_bar(len(partitions), "partitions", progress and len(partitions) > 1, unit="partition")
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
    scenarios = range(len(task.scenarios))
    union, months = zip(*(_union(task.period, [results[p.name].scenarios[k] for p in partitions]) for k in scenarios))

    def differs(aggregate, k) -> bool:
        if {n: set(m) for n, m in aggregate.months_not_computed.items()} != {n: set(m) for n, m in months[k].items()}:
            return True  # the sums would mix months: always the same months everywhere
        return (task.rows or task.rows_dir or len(task.scenarios) > 1) and set(aggregate.not_computed) != set(union[k])

    stale = [p for p in partitions if any(differs(results[p.name].scenarios[k], k) for k in scenarios)]
    if stale:
        forced = tuple(tuple(union[k].items()) for k in scenarios)
        forced_months = tuple(tuple((n, tuple(m.items())) for n, m in months[k].items()) for k in scenarios)
        rerun = replace(task, forced=forced, forced_months=forced_months, progress=False)
        rerun_results = _collect(stale, rerun, execute, progress, reraise_single)
        for name, result in rerun_results.items():  # the rows needing each value were counted in the first run
            for again, first in zip(result.scenarios, results[name].scenarios):
                again.needs = first.needs
        results.update(rerun_results)
    return [results[p.name] for p in partitions]


def _union(period: str, aggregates: list[Aggregate]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The outputs not computed in some partition, and the months not computed of the others; an output whose
    months add up to the whole period is not computed at all."""
    order = aggregates[0].outputs.order
    not_computed, months = merged_reasons(aggregates, order)
    months = {n: m for n, m in months.items() if n not in not_computed}
    every = len(months_of(period))
    whole = {n: next(iter(m.values())) for n, m in months.items() if len(m) == every}
    if whole:
        not_computed = merge_not_computed([not_computed, whole], order)
    return not_computed, {n: m for n, m in months.items() if n not in whole}


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
    scenarios: Sequence[Scenario],
    execute: Execute,
    *,
    rows: bool = False,
    rows_dir: str | None = None,
    changes: bool = False,
    progress: bool = False,
    reraise_single: bool = False,
) -> Results | Impact:
    """Run ``caseload`` under each of ``scenarios`` with ``execute``: Results for one scenario, Impact for the
    baseline and a reform."""
    scenarios = check_scenarios(scenarios)
    single = len(caseload) == 1
    task = PartitionTask(period, scenarios, rows=rows, rows_dir=rows_dir, changes=changes, progress=progress and single)
    results = run_partitions(caseload, task, execute, progress, reraise_single)
    combined = combine(results, [p.name for p in caseload.partitions])
    stats = [{"partition": r.name, "worker": r.worker, "seconds": r.seconds, "peak_rss": r.peak_rss} for r in results]
    computed = [
        Results(
            period,
            scenario.reform,
            caseload.name,
            caseload.synthetic,
            combined.rows[k] if combined.rows else None,
            dict(aggregate.not_computed),
            aggregate,
            combined.partitions,
            rows_dir,
            stats,
        )
        for k, (scenario, aggregate) in enumerate(zip(scenarios, combined.scenarios))
    ]
    if len(computed) == 1:
        return computed[0]
    return Impact(computed[0], computed[1], combined.comparison)


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
    map_retired_codes: bool = False,
) -> Results:
    """Compute every output for every household and month of ``period``, in this process.

    ``caseload`` is a :class:`Caseload` (cut into partitions of ``partition_size`` households,
    default :data:`~openfisca_cn_assist.analysis.partitions.DEFAULT_PARTITION_SIZE`, run one after the other)
    or a :class:`PartitionedCaseload`. The household rows are kept.
    """
    partitioned = _partitioned(caseload, partition_size, system)
    scenarios = scenarios_for(reform, carry_forward=carry_forward, map_retired_codes=map_retired_codes)
    result = run(
        partitioned, period, scenarios, in_process([system]), rows=True, progress=progress, reraise_single=True
    )
    return attach_rules(result, scenarios, [system])


def impact(
    baseline_system,
    reformed_system,
    caseload,
    period: str,
    reform: str,
    progress: bool = False,
    partition_size: int | None = None,
    carry_forward: bool = False,
    map_retired_codes: bool = False,
) -> Impact:
    """Baseline against reform on the same caseload and period, in this process (household rows kept)."""
    partitioned = _partitioned(caseload, partition_size, baseline_system)
    execute = in_process([baseline_system, reformed_system])
    scenarios = scenarios_for(reform, compare=True, carry_forward=carry_forward, map_retired_codes=map_retired_codes)
    result = run(
        partitioned, period, scenarios, execute, rows=True, changes=True, progress=progress, reraise_single=True
    )
    return attach_rules(result, scenarios, [baseline_system, reformed_system])


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
