"""What a caseload run reports: exact weighted sums by output and jurisdiction (:class:`Aggregate`), the
baseline against a reform household by household (:class:`Comparison`), and the analyst's views of them
(:class:`Results`, :class:`Impact`). Computing them is :mod:`openfisca_cn_assist.analysis.microsim`'s job."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from openfisca_cn_assist.analysis.exact import grouped_sums
from openfisca_cn_assist.analysis.outputs import MicrosimOutputs, builtin_outputs
from openfisca_cn_assist.engine.divisions_in_force import merge_mapped
from openfisca_cn_assist.engine.horizons import merge_carried

TOLERANCE = 0.005  # half a fen: amounts are in 元 with fen precision


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
    # [{code, name, mapped_to, mapped_to_name, rows, from}]: empty unless the system maps retired codes
    mapped_codes: list = field(default_factory=list)
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
            mapped_codes=list(frame.attrs.get("mapped_codes", [])),
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
            mapped_codes=merge_mapped(p.mapped_codes for p in parts),
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


def attach_rules(result: Results | Impact, scenarios, systems) -> Results | Impact:
    """Each scenario's results carry the rules that produced them (version, fingerprint, reforms)."""
    from openfisca_cn_assist.engine.fingerprint import rules

    parts = [result] if isinstance(result, Results) else [result.baseline, result.reform]
    for computed, scenario, system in zip(parts, scenarios, systems):
        computed.rules = rules(scenario.system(system))
    return result
