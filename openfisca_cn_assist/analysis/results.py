"""What a caseload run reports: exact weighted sums by output and jurisdiction (:class:`Aggregate`), the
baseline against a reform household by household (:class:`Comparison`), and the analyst's views of them
(:class:`Results`, :class:`Impact`). Computing them is :mod:`openfisca_cn_assist.analysis.microsim`'s job."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from openfisca_cn_assist.analysis.distribution import Distribution
from openfisca_cn_assist.analysis.exact import exact_sum, grouped_sums
from openfisca_cn_assist.analysis.not_computed import (  # noqa: F401 - merge_months, merge_not_computed: imported from here
    merge_months,
    merge_needs,
    merge_not_computed,
    merged_reasons,
)
from openfisca_cn_assist.analysis.outputs import MicrosimOutputs, builtin_outputs
from openfisca_cn_assist.caseload.simulation import merge_month_states
from openfisca_cn_assist.engine.divisions_in_force import merge_mapped
from openfisca_cn_assist.engine.horizons import merge_carried

TOLERANCE = 0.005  # half a fen: amounts are in 元 with fen precision
YUAN_PER_WAN = 10_000  # 万元: the unit of every spending table


def _scale(unit: str) -> int:
    if unit not in ("万元", "元"):
        raise ValueError(f"unit is 万元 or 元, got {unit!r}")
    return YUAN_PER_WAN if unit == "万元" else 1


# --- Exact weighted sums by jurisdiction --------------------------------------------------------------


def _add(maps: Iterable[dict]) -> dict:
    total: dict = {}
    for mapping in maps:
        for key, value in mapping.items():
            total[key] = total.get(key, Fraction(0)) + value
    return dict(sorted(total.items()))


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
    # [{code, name, mapped_to, mapped_to_name, rows, from}]: empty unless the system maps retired codes
    mapped_codes: list = field(default_factory=list)
    # where the 渐退 state at the start comes from (caseload.simulation.month_state_report); {}: not known
    month_state: dict = field(default_factory=dict)
    outputs: MicrosimOutputs | None = None  # which outputs are summed (default: the built-in system's)
    # {output: {month: reason}}: outputs computed in some months of the period only (their sums cover those)
    months_not_computed: dict = field(default_factory=dict)
    # {output: {message template: {count, rows, places, reasons}}}: the rows that lacked a value, so that the
    # reasons can be worded with counts and first rows over all partitions (analysis/not_computed.py)
    needs: dict = field(default_factory=dict)

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
            mapped_codes=list(frame.attrs.get("mapped_codes", [])),
            month_state=dict(frame.attrs.get("month_state", {})),
            outputs=outputs,
            months_not_computed={k: dict(v) for k, v in frame.attrs.get("months_not_computed", {}).items()},
            needs={k: dict(v) for k, v in frame.attrs.get("needs", {}).items()},
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
        not_computed, months = merged_reasons(parts, outputs.order if outputs else None)
        needs = {"*": merge_needs(p.needs for p in parts)}  # any output's: the shape of a part's, to combine again
        combined = cls(
            sum(p.households for p in parts),
            sum(p.persons for p in parts),
            _add(p.weight for p in parts),
            not_computed=not_computed,
            carried_forward=merge_carried(p.carried_forward for p in parts),
            mapped_codes=merge_mapped(p.mapped_codes for p in parts),
            month_state=merge_month_states(p.month_state for p in parts),
            outputs=outputs,
            months_not_computed=months,
            needs=needs,
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
    distribution: Distribution | None = None  # persons, deciles, poverty: when the run read the incomes

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
        incomes: dict | None = None,
    ) -> Comparison:
        """``incomes`` (:func:`~openfisca_cn_assist.analysis.distribution.household_incomes` of the baseline)
        adds the distributional sums."""
        outputs = outputs or builtin_outputs()
        covered = covered_outputs(outputs, base_missing, reform_missing)
        total = outputs.total
        base_total, reform_total = _household_total(baseline, covered, total), _household_total(reform, covered, total)
        change = reform_total - base_total
        weight = baseline["weight"].to_numpy(dtype=float)
        before, after = _eligible(baseline), _eligible(reform)
        gaining = change > TOLERANCE
        keys, codes = np.unique(baseline["jurisdiction"].to_numpy(dtype=str), return_inverse=True)
        masks = [np.ones(len(weight), dtype=bool), gaining, change < -TOLERANCE, ~before & after, before & ~after]
        households, gaining_w, losing, newly, no_longer = (exact_sum(np.where(m, weight, 0.0)) for m in masks)
        weighted_change = change * weight
        distribution = None
        if incomes is not None:
            named = dict(zip(("gaining", "losing", "newly_eligible", "no_longer_eligible"), masks[1:]))
            distribution = Distribution.from_arrays(weight, named, change, (base_total, reform_total), incomes)
        return cls(
            covered=covered,
            total=total,
            households=households,
            gaining=gaining_w,
            losing=losing,
            newly_eligible=newly,
            no_longer_eligible=no_longer,
            gain=exact_sum(np.where(gaining, weighted_change, 0.0)),
            by_jurisdiction=dict(zip(keys.tolist(), grouped_sums(weighted_change, codes, len(keys)))),
            changes=change[np.abs(change) > TOLERANCE] if keep_changes else None,
            distribution=distribution,
        )

    @classmethod
    def combine(cls, parts: Iterable[Comparison]) -> Comparison:
        parts = list(parts)
        covered = {p.covered for p in parts}
        if len(covered) != 1:
            raise ValueError(f"partitions counted gainers on different totals: {sorted(covered)}")
        changes = [p.changes for p in parts]
        distributions = [p.distribution for p in parts]
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
            distribution=None if any(d is None for d in distributions) else Distribution.combine(distributions),
        )

    def counts(self) -> dict[str, float]:
        counts = {
            "households": float(self.households),
            "gaining": float(self.gaining),
            "losing": float(self.losing),
            "newly_eligible": float(self.newly_eligible),
            "no_longer_eligible": float(self.no_longer_eligible),
            "mean_gain_per_gaining_household": float(self.gain / self.gaining) if self.gaining else 0.0,
        }
        if self.distribution is not None and self.distribution.reason is None:
            counts["median_gain_per_gaining_household"] = self.distribution.median_gain() or 0.0
        return counts


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
    # which rules produced these results: package version, rules fingerprint, reforms (engine/fingerprint.py)
    rules: dict = field(default_factory=dict)

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

    @property
    def mapped_codes(self) -> list[dict]:
        """Retired division codes read as their successor (code, mapped_to, rows …): empty unless asked for."""
        return self.aggregate.mapped_codes

    @property
    def month_state(self) -> dict:
        """Where the 渐退 state at the start of the run comes from (given, a lead-in, or assumed and how many
        households that could change): see :func:`openfisca_cn_assist.caseload.simulation.month_state_report`."""
        return self.aggregate.month_state

    def exact_total(self, variable: str) -> Fraction | None:
        """The weighted sum of a money output over the period, in 元, as an exact fraction (None when not computed)."""
        return self.aggregate.total(variable)

    def weighted_total(self, variable: str) -> float | None:
        total = self.exact_total(variable)
        return None if total is None else float(total)

    def totals(self) -> dict[str, float | None]:
        """Each money output's weighted sum over the period, in 元 (None when not computed)."""
        return {name: self.weighted_total(name) for name, _, _ in self.aggregate.outputs.money}

    @property
    def partial(self) -> dict[str, dict[str, str]]:
        """``{output: {month: reason}}``: outputs computed for some months of the period only; their sums
        cover the other months (a whole year is not lost to one month without a value)."""
        return self.aggregate.months_not_computed

    def summary(self, by_jurisdiction: bool = False) -> pd.DataFrame:
        """Recipients (weighted households with any amount) and spending in 万元 by programme: one row each for
        the whole caseload, or (``by_jurisdiction``) one per programme and jurisdiction and no total rows.

        An output not computed has NaN in every row it has (so a table shows it as not computed);
        ``months_not_computed`` names the months an output lacks, if any.
        """
        rows = []
        aggregate = self.aggregate
        keys = sorted(aggregate.weight) if by_jurisdiction else [None]
        for name, _, label in aggregate.outputs.money:
            partial = ", ".join(aggregate.months_not_computed.get(name, {}))
            for key in keys:
                row = {"programme": label, "output": name} | ({"jurisdiction": key} if by_jurisdiction else {})
                if name in aggregate.not_computed:
                    paid = count = None
                elif key is None:
                    paid = sum(aggregate.spending[name].values(), Fraction(0))
                    count = sum(aggregate.recipients[name].values(), Fraction(0))
                else:
                    paid, count = aggregate.spending[name][key], aggregate.recipients[name][key]
                row["recipients"] = np.nan if count is None else float(count)
                row["spending_10k_yuan"] = np.nan if paid is None else float(paid / YUAN_PER_WAN)
                row["months_not_computed"] = partial
                rows.append(row)
        return pd.DataFrame(rows)


@dataclass
class Impact:
    """Baseline against reform on the same households.

    ``reform_changes``: what the reforms changed, one dict per parameter, jurisdiction and date (reform, change,
    parameter, jurisdiction, name, from, before, after, as_written; a structural reform has one row saying so), as
    ``cn-assist impact --json`` writes it: set by the runners (``api.compare``, ``Microsimulation.compare``), None
    for an impact put together from household rows.
    """

    baseline: Results
    reform: Results
    comparison: Comparison | None = None
    reform_changes: list[dict] | None = None

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
    def rules(self) -> dict[str, dict]:
        """The rules of each side: ``{"baseline": …, "reform": …}`` (version, fingerprint, reforms)."""
        return {"baseline": self.baseline.rules, "reform": self.reform.rules}

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

    def by_jurisdiction(self, unit: str = "万元") -> pd.Series:
        """Weighted change of the household total over the period, by jurisdiction key: in 万元 like
        :meth:`by_programme` (``unit="元"`` for 元; before 0.3 this was in 元)."""
        scale = _scale(unit)
        items = self.comparison.by_jurisdiction
        name = "change_10k_yuan" if scale == YUAN_PER_WAN else "change_yuan"
        series = pd.Series({k: float(v / scale) for k, v in items.items()}, name=name, dtype=float)
        series.index.name = "jurisdiction"
        return series

    def cost_table(self) -> pd.DataFrame:
        """Spending by programme and jurisdiction, baseline, reform and change, all in 万元 (NaN: not computed)."""
        base, new = self.baseline.aggregate, self.reform.aggregate
        rows = []
        for name, _, label in base.outputs.money:
            for key in sorted(set(base.weight) | set(new.weight)):
                before = None if name in base.not_computed else base.spending[name].get(key, Fraction(0))
                after = None if name in new.not_computed else new.spending[name].get(key, Fraction(0))
                rows.append(
                    {
                        "programme": label,
                        "output": name,
                        "jurisdiction": key,
                        "baseline_10k_yuan": np.nan if before is None else float(before / YUAN_PER_WAN),
                        "reform_10k_yuan": np.nan if after is None else float(after / YUAN_PER_WAN),
                        "change_10k_yuan": np.nan
                        if None in (before, after)
                        else float((after - before) / YUAN_PER_WAN),
                    }
                )
        return pd.DataFrame(rows)

    @property
    def distribution(self) -> Distribution:
        """The distributional sums (persons, deciles, poverty); needs a run through the caseload runners."""
        distribution = self.comparison.distribution
        if distribution is None:
            raise ValueError("this impact has no distributional figures: run it with api.compare or Microsimulation")
        if distribution.reason is not None:
            raise ValueError(f"the incomes or the 低保 standard could not be computed: {distribution.reason}")
        return distribution

    def person_counts(self) -> dict[str, float]:
        """Weighted persons (Σ weight × members) in households gaining, losing, newly and no longer eligible."""
        counts = self.distribution.person_counts()
        counts["persons"] = counts.pop("all")
        return counts

    def deciles(self) -> pd.DataFrame:
        """Ten rows, poorest first: deciles of persons by per-capita countable income before assistance
        (元 per person over the period), each with its weighted households and persons, change of the household
        total (元), average gain per household and per person (元) and share of the cost."""
        return pd.DataFrame(self.distribution.deciles())

    def poverty(self) -> pd.DataFrame:
        """Poor households and persons (weighted) and the poverty gap (元 over the period) against the baseline
        低保 standard, before and after assistance, under the baseline and the reform."""
        rows = [
            {"scenario": scenario, "stage": stage, **figures}
            for scenario, stages in self.distribution.poverty_figures().items()
            for stage, figures in stages.items()
        ]
        return pd.DataFrame(rows).rename(columns={"gap": "gap_yuan"})

    def report(self) -> dict:
        """The figures ``cn-assist impact --json`` writes: totals, households, persons, deciles, poverty."""
        report = {
            "totals": {"baseline": self.baseline.totals(), "reform": self.reform.totals(), "change": self.changes},
            "households": self.counts(),
        }
        distribution = self.comparison.distribution
        if distribution is None or distribution.reason is not None:
            reason = "not computed: " + (distribution.reason if distribution else "no incomes were read")
            return report | {"persons": reason, "deciles": reason, "poverty": reason}
        return report | {
            "persons": self.person_counts(),
            "deciles": distribution.deciles(),
            "poverty": distribution.poverty_figures(),
        }

    def unchanged_programmes(self) -> list[str]:
        """Programmes whose spending changes by less than 0.005 万元 (50 元) on this caseload, as the report lists them."""
        table = self.by_programme()
        change = pd.to_numeric(table["change_10k_yuan"], errors="coerce")
        return table["programme"][change.abs() < 0.005].tolist()

    def __repr__(self) -> str:
        """What the reforms changed, spending by programme and what did not change: the head of ``cn-assist impact``."""
        from openfisca_cn_assist.engine.reform_listing import describe_reform, describe_unaffected

        table = self.by_programme().to_string(index=False, na_rep="not computed", float_format=lambda v: f"{v:,.2f}")
        return "\n".join(
            [
                f"<Impact of {self.reform.reform!r} on {self.baseline.caseload}, period {self.baseline.period}, "
                f"{self.baseline.household_count} households>",
                *describe_reform(self.reform_changes),
                "Spending by programme, 万元 over the period:",
                table,
                *describe_unaffected(self.reform_changes, self.unchanged_programmes()),
            ]
        )

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


def attach_rules(result: Results | Impact, scenarios, systems) -> Results | Impact:
    """Each scenario's results carry the rules that produced them (version, fingerprint, reforms); an impact,
    what its reforms changed (listed once here, where every runner ends: the CLI reads it from the impact)."""
    from openfisca_cn_assist.engine.fingerprint import rules
    from openfisca_cn_assist.engine.reform_listing import reform_changes

    parts = [result] if isinstance(result, Results) else [result.baseline, result.reform]
    for computed, scenario, system in zip(parts, scenarios, systems):
        computed.rules = rules(scenario.system(system))
    if isinstance(result, Impact):
        reform = scenarios[1].reform
        reforms = list(reform) if isinstance(reform, (tuple, list)) else [reform]
        result.reform_changes = reform_changes(scenarios[0].system(systems[0]), reforms, result.baseline.period)
    return result
