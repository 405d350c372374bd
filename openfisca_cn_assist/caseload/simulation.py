"""One vectorised simulation of a checked caseload, for a month or a year."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from openfisca_core.periods import ETERNITY, MONTH, YEAR
from openfisca_core.periods import period as as_period
from openfisca_core.simulations import Simulation

from openfisca_cn_assist.caseload.bulk import build_simulation
from openfisca_cn_assist.caseload.columns import prepare_caseload
from openfisca_cn_assist.caseload.input_rows import caseload_rows, input_rows
from openfisca_cn_assist.caseload.model import STATE_INPUTS, Caseload

STATE_INPUT_HINT = "dibao_recipient_last_month (with dibao_exit_base_benefit, dibao_months_above_standard)"


def simulation_months(period) -> list:
    """The months of ``period``: a month, a year or several months."""
    period = as_period(period)
    if period.unit not in (MONTH, YEAR):
        raise ValueError(f"a caseload is simulated over months or years, not {period}")
    return list(period.get_subperiods(MONTH))


@dataclass(frozen=True)
class MonthState:
    """Where the 渐退 (gradual exit) state at the start of a run comes from.

    ``source`` is ``"given"`` (the caseload has the state inputs), ``"lead_in"`` (the ``lead_in`` months
    before the first month were simulated, enough for the longest exit period: the first month's state is
    worked out as a run from January would) or ``"assumed"`` (every household is taken as not on 低保 in
    the month before ``start``, the first simulated month; with a lead-in shorter than the exit period,
    because a caseload describes its year and the lead-in does not reach into the year before).
    """

    source: str
    first_month: str
    start: str
    lead_in: tuple[str, ...] = ()
    needed: int = 0  # months of lead-in the longest exit period needs
    input: str = STATE_INPUT_HINT

    def to_dict(self) -> dict:
        return {**asdict(self), "lead_in": list(self.lead_in)}


def _exit_months(system, month: str) -> int:
    """The longest 渐退 period (months) of any jurisdiction at ``month``; 0 where none is known."""
    node = system.parameters.dibao.gradual_exit_months
    longest = 0
    for child in node.children.values():
        try:
            value = child(f"{month}-01")
        except Exception:  # noqa: BLE001 - a jurisdiction's file with no value at the date has no exit period
            value = None
        longest = max(longest, int(value or 0))
    return longest


def month_state_for(system, prepared, months: list[str]) -> MonthState:
    """The lead-in a run over ``months`` needs, clipped to January of the first month's year."""
    first = months[0]
    if any(name in prepared.inputs for name in STATE_INPUTS):
        return MonthState("given", first, first)
    needed = _exit_months(system, first) + 1
    start = as_period(first)
    lead = []
    while len(lead) < needed and start.start.month > 1:
        start = start.last_month
        lead.insert(0, str(start))
    source = "lead_in" if len(lead) >= needed else "assumed"
    return MonthState(source, first, lead[0] if lead else first, tuple(lead), needed)


def caseload_simulation(system, caseload: Caseload, period, *, lead_in: bool = False) -> Simulation:
    """One vectorised simulation of the caseload for ``period`` ("2022" or "2022-08").

    Each monthly input is set for every month of the period (month columns override their
    month; 渐退 state inputs apply to the first month); ``jurisdiction`` is set once. Household
    rows follow the households table and person rows the persons table: the returned simulation
    carries ``household_ids``, ``person_ids`` and ``household_weights`` in that order.

    ``lead_in``: when the caseload has no 渐退 state inputs, also set the inputs of the months before
    the period that the longest exit period needs (within the period's year), so that a month's
    run equals that month of the yearly run; ``simulation.month_state`` (a :class:`MonthState`) says
    where the first month's state comes from.
    """
    prepared = prepare_caseload(system, caseload)
    months = [str(m) for m in simulation_months(period)]
    state = month_state_for(system, prepared, months)
    if not lead_in:
        state = MonthState("given" if state.source == "given" else "assumed", months[0], months[0], (), state.needed)
    months = [*state.lead_in, *months]
    person_inputs, household_inputs = {}, {}
    for name, entry in prepared.inputs.items():
        by_month = {}
        for i, month in enumerate(months):
            values = entry.values(month, first=i == 0)
            if values is not None:
                by_month[month] = values
                if entry.variable.definition_period == ETERNITY:
                    break
        if by_month:
            target = person_inputs if entry.variable.entity.key == "person" else household_inputs
            target[name] = by_month
    simulation = build_simulation(system, prepared.household_of_person, person_inputs, household_inputs)
    simulation.household_ids = prepared.household_ids
    simulation.person_ids = prepared.person_ids
    simulation.household_weights = prepared.weights
    simulation.input_rows = caseload_rows(caseload, prepared.household_ids, prepared.person_ids)
    simulation.caseload_name = caseload.name
    simulation.month_state = state
    return simulation


def month_state_report(simulation) -> dict:
    """What the results say about the 渐退 state at the start of the run (JSON-ready; {} when unknown).

    When the state is assumed, ``affected_households`` / ``affected_weight`` count the households it could
    change: those at or above the 低保 standard in the first simulated month (so possibly in their exit period).
    """
    from openfisca_cn_assist.engine.history import facts
    from openfisca_cn_assist.engine.resolver import MissingParameterValueError

    state = getattr(simulation, "month_state", None)
    if state is None:
        return {}
    report = state.to_dict()
    if state.source == "assumed":
        try:
            _, above = facts(simulation.populations["household"], as_period(state.start))
        except MissingParameterValueError:
            report["affected_households"] = report["affected_weight"] = None
        else:
            weights = np.asarray(simulation.household_weights, dtype=float)
            report["affected_households"] = int(above.sum())
            report["affected_weight"] = float(weights[above].sum())
    return report


def merge_month_states(reports) -> dict:
    """The partitions' reports as one: the same source and months; affected households added up."""
    reports = [r for r in reports if r]
    if not reports:
        return {}
    merged = dict(reports[0])
    if merged.get("source") == "assumed":
        for key in ("affected_households", "affected_weight"):
            values = [r.get(key) for r in reports]
            merged[key] = None if any(v is None for v in values) else sum(values)
    return merged


def describe_month_state(report: dict, given_as: str = "columns") -> str | None:
    """One sentence for the results, or None when the caseload gave the state (``given_as``: how the state
    inputs are given, "columns" of a caseload file or "keys" of a request's rows)."""
    if not report or report.get("source") == "given":
        return None
    if report["source"] == "lead_in":
        return (
            f"渐退 state: the caseload gives none, so the {len(report['lead_in'])} months before {report['first_month']} "
            f"({report['lead_in'][0]} to {report['lead_in'][-1]}) were simulated first, enough for the longest exit "
            f"period ({report['needed'] - 1} months); {report['first_month']} is as in a run from January."
        )
    affected = report.get("affected_weight")
    count = "an unknown number of" if affected is None else f"{affected:,.0f} (weighted)"
    return (
        f"渐退 state: the caseload gives none, so every household is taken as not on 低保 in the month before "
        f"{report['start']}. This can change {count} households, those at or above the 低保 standard in "
        f"{report['start']} (they may be in their exit period); give {report['input']} as {given_as} to set it."
    )


def missing_reason(error, simulation, count: int | None = None) -> str:
    """A missing-value message that leads with the households' own jurisdiction chain and names rows as the
    caseload's reader does (1-based input rows with their ids: :mod:`openfisca_cn_assist.caseload.input_rows`);
    ``count`` replaces the number of rows that need the value (a count over several partitions)."""
    return input_rows(simulation).word(error, count)
