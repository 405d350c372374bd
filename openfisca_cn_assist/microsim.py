"""Microsimulation over a caseload: every output, every household, every month; summaries and reform impact.

One vectorised simulation per scenario (never one per household). An output whose rule needs a
figure no source gives for the caseload's jurisdictions (say the minimum wage behind the 特困 care
allowance) is reported as not computed, with the reason, instead of stopping the whole run or
counting as zero; outputs that depend on it (the total) are reported the same way. Bad input still
stops the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from openfisca_core.periods import period as as_period

from .caseload import Caseload, caseload_simulation
from .resolver import MissingParameterValueError

# Money outputs: (variable, entity, programme label). Person amounts are summed per household.
MONEY_OUTPUTS: list[tuple[str, str, str]] = [
    ("dibao_regular_benefit", "household", "低保 (regular)"),
    ("dibao_gradual_exit_benefit", "household", "低保 渐退"),
    ("dibao_single_person_benefit", "person", "低保 单人户"),
    ("dibao_benefit", "household", "低保 total"),
    ("tekun_basic_allowance", "person", "特困 basic"),
    ("tekun_care_allowance", "person", "特困 care"),
    ("orphan_allowance", "person", "孤儿 / 事实无人抚养"),
    ("disability_living_subsidy", "person", "残疾人生活补贴"),
    ("disability_care_subsidy", "person", "残疾人护理补贴"),
    ("one_off_living_subsidy", "person", "一次性生活补贴"),
    ("price_subsidy", "person", "价格临时补贴"),
    ("social_assistance_total", "household", "Total"),
]
# Status outputs: counted in months (household) or person-months (person).
STATUS_OUTPUTS: list[tuple[str, str, str]] = [
    ("dibao_recipient", "household", "低保 household"),
    ("dibao_gradual_exit_active", "household", "in 渐退"),
    ("dibao_marginal_family", "household", "低保边缘"),
    ("dibao_covered_person", "person", "低保 person"),
    ("tekun_eligible", "person", "特困 person"),
]
TOTAL = "social_assistance_total"
PROGRAMME_OUTPUTS = [name for name, _, _ in MONEY_OUTPUTS if name not in ("dibao_benefit", TOTAL)]


def months_of(period_text: str) -> list:
    """The months of a year or month period, as OpenFisca periods."""
    period = as_period(period_text)
    if period.unit == "month" and period.size == 1:
        return [period]
    return list(period.get_subperiods("month"))


@dataclass
class Results:
    """One row per input household (input order): yearly sums of money outputs, months of status outputs."""

    period: str
    reform: str | None
    caseload: str
    synthetic: bool
    households: pd.DataFrame
    not_computed: dict[str, str] = field(default_factory=dict)

    def weighted_total(self, variable: str) -> float | None:
        if variable in self.not_computed:
            return None
        return float((self.households[variable] * self.households["weight"]).sum())

    def totals(self) -> dict[str, float | None]:
        """Each money output's weighted sum over the period, in 元 (None when not computed)."""
        return {name: self.weighted_total(name) for name, _, _ in MONEY_OUTPUTS}

    def summary(self) -> pd.DataFrame:
        """Recipients (weighted households with any amount) and spending in 万元, by programme and jurisdiction."""
        rows = []
        frame = self.households
        for name, _, label in MONEY_OUTPUTS:
            if name in self.not_computed:
                rows.append({"programme": label, "output": name, "jurisdiction": "all", "recipients": np.nan, "spending_10k_yuan": np.nan})
                continue
            for jurisdiction, group in [("all", frame), *frame.groupby("jurisdiction", sort=True)]:
                paid = group[name] > 0
                rows.append(
                    {
                        "programme": label,
                        "output": name,
                        "jurisdiction": jurisdiction,
                        "recipients": float(group["weight"][paid].sum()),
                        "spending_10k_yuan": float((group[name] * group["weight"]).sum() / 10_000),
                    }
                )
        return pd.DataFrame(rows)


def _progress(total: int, description: str, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit="output-month", leave=False)


def simulate(system, caseload: Caseload, period: str, reform: str | None = None, progress: bool = False) -> Results:
    """Compute every output for every household and month of ``period``."""
    months = months_of(period)
    simulation = caseload_simulation(system, caseload, period)
    households = simulation.populations["household"]
    frame = pd.DataFrame(
        {
            "household_id": caseload.households["household_id"].to_numpy(),
            "jurisdiction": households("jurisdiction", months[0]).decode_to_str(),
            "weight": caseload.households["weight"].to_numpy(dtype=float)
            if "weight" in caseload.households
            else np.ones(households.count),
        }
    )
    not_computed: dict[str, str] = {}
    outputs = [(o, True) for o in MONEY_OUTPUTS] + [(o, False) for o in STATUS_OUTPUTS]
    bar = _progress(len(outputs) * len(months), f"{caseload.name} {period}" + (f" [{reform}]" if reform else ""), progress)
    for (name, entity, _), is_money in outputs:
        column = np.zeros(households.count)
        for month in months:
            if name not in not_computed:
                try:
                    values = simulation.calculate(name, month).astype(float)
                except MissingParameterValueError as error:
                    not_computed[name] = str(error)
                else:
                    column += households.sum(values) if entity == "person" else values
            if bar:
                bar.update(1)
        frame[name if is_money else f"{name}_months"] = np.nan if name in not_computed else column
    if bar:
        bar.close()
    return Results(period, reform, caseload.name, caseload.synthetic, frame, not_computed)


def _computed_total(results: Results) -> tuple[np.ndarray, str]:
    """The household total used for gainers and losers, and a label saying what it covers."""
    if TOTAL not in results.not_computed:
        return results.households[TOTAL].to_numpy(), TOTAL
    parts = [p for p in PROGRAMME_OUTPUTS if p not in results.not_computed]
    total = results.households[parts].sum(axis=1).to_numpy()
    return total, "sum of the computed programmes (" + ", ".join(parts) + ")"


@dataclass
class Impact:
    baseline: Results
    reform: Results

    @property
    def changes(self) -> dict[str, float | None]:
        base, new = self.baseline.totals(), self.reform.totals()
        return {k: (None if base[k] is None or new[k] is None else new[k] - base[k]) for k in base}

    def household_change(self) -> tuple[np.ndarray, str]:
        base, label = _computed_total(self.baseline)
        new, label_reform = _computed_total(self.reform)
        if label != label_reform:
            raise ValueError(f"baseline and reform computed different outputs: {label} vs {label_reform}")
        return new - base, label

    def counts(self) -> dict[str, float]:
        """Weighted households gaining, losing, newly eligible and no longer eligible (低保 or 特困)."""
        change, _ = self.household_change()
        weight = self.baseline.households["weight"].to_numpy()
        tolerance = 0.005  # half a fen: amounts are in 元 with fen precision

        def eligible(results: Results) -> np.ndarray:
            frame = results.households
            return (frame["dibao_recipient_months"] > 0) | (frame["tekun_eligible_months"] > 0)

        before, after = eligible(self.baseline), eligible(self.reform)
        gaining = change > tolerance
        return {
            "households": float(weight.sum()),
            "gaining": float(weight[gaining].sum()),
            "losing": float(weight[change < -tolerance].sum()),
            "newly_eligible": float(weight[~before & after].sum()),
            "no_longer_eligible": float(weight[before & ~after].sum()),
            "mean_gain_per_gaining_household": float(np.average(change[gaining], weights=weight[gaining]))
            if gaining.any()
            else 0.0,
        }

    def by_jurisdiction(self) -> pd.Series:
        """Weighted yearly change of the household total in 元, by jurisdiction key."""
        change, _ = self.household_change()
        frame = pd.DataFrame(
            {"jurisdiction": self.baseline.households["jurisdiction"], "change": change * self.baseline.households["weight"]}
        )
        return frame.groupby("jurisdiction", sort=True)["change"].sum()

    def by_programme(self) -> pd.DataFrame:
        rows = []
        for name, _, label in MONEY_OUTPUTS:
            base, new = self.baseline.weighted_total(name), self.reform.weighted_total(name)
            rows.append(
                {
                    "programme": label,
                    "output": name,
                    "baseline_10k_yuan": None if base is None else base / 10_000,
                    "reform_10k_yuan": None if new is None else new / 10_000,
                    "change_10k_yuan": None if base is None or new is None else (new - base) / 10_000,
                }
            )
        return pd.DataFrame(rows)


def impact(baseline_system, reformed_system, caseload: Caseload, period: str, reform: str, progress: bool = False) -> Impact:
    """Baseline against reform on the same caseload and period."""
    return Impact(
        simulate(baseline_system, caseload, period, None, progress),
        simulate(reformed_system, caseload, period, reform, progress),
    )
