"""One vectorised simulation of a checked caseload, for a month or a year."""

from __future__ import annotations

from openfisca_core.periods import ETERNITY, MONTH, YEAR
from openfisca_core.periods import period as as_period
from openfisca_core.simulations import Simulation

from openfisca_cn_assist.caseload.bulk import build_simulation
from openfisca_cn_assist.caseload.columns import prepare_caseload
from openfisca_cn_assist.caseload.model import Caseload


def simulation_months(period) -> list:
    """The months of ``period``: a month, a year or several months."""
    period = as_period(period)
    if period.unit not in (MONTH, YEAR):
        raise ValueError(f"a caseload is simulated over months or years, not {period}")
    return list(period.get_subperiods(MONTH))


def caseload_simulation(system, caseload: Caseload, period) -> Simulation:
    """One vectorised simulation of the caseload for ``period`` ("2022" or "2022-08").

    Each monthly input is set for every month of the period (month columns override their
    month; 渐退 state inputs apply to the first month); ``jurisdiction`` is set once. Household
    rows follow the households table and person rows the persons table: the returned simulation
    carries ``household_ids``, ``person_ids`` and ``household_weights`` in that order.
    """
    prepared = prepare_caseload(system, caseload)
    months = [str(m) for m in simulation_months(period)]
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
    simulation.caseload_name = caseload.name
    return simulation
