"""Month by month in bounded memory: release what a month's computation added once it is summed.

OpenFisca keeps every array it computes, for every period, until the simulation goes: a year of every
output holds twelve months of about a hundred variables (3.3 GB at 10⁶ households). A caller that sums
each month as it goes (the microsimulation) needs none of them afterwards, except

- the 渐退 state the next month starts from, which :func:`~openfisca_cn_assist.engine.history.exit_state`
  works out from this month's results: it is carried forward (a small per-household record) before the
  release, and the states of earlier months are forgotten;
- the monthly results a yearly output reads for each month of its year (declared on it as ``reads_months``:
  the one-off subsidy reads who was on 低保 or 特困 in each month), kept until the year is computed.

Inputs are never released (they cannot be computed again), and neither is anything held before the month
began. Asking again for a released array computes it again: the same numbers, later, never a wrong one.
"""

from __future__ import annotations

import numpy as np
from openfisca_core.periods import period as as_period

from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.history import exit_state, forget_states_before, month_is_simulated
from openfisca_cn_assist.engine.outputs import read_each_month
from openfisca_cn_assist.engine.resolver import MissingParameterValueError

Snapshot = dict  # (population key, variable name) → the periods held


def held(simulation) -> Snapshot:
    """What ``simulation`` holds now: for each computed variable, the periods it has arrays for."""
    return {
        (key, name): set(holder.get_known_periods())
        for key, population in simulation.populations.items()
        for name, holder in population._holders.items()
        if holder.variable.formulas
    }


def release_month(simulation, month, before: Snapshot) -> int:
    """Carry the 渐退 state into the month after ``month``, then drop the arrays computed since ``before`` (a
    :func:`held` snapshot), except those the yearly outputs read each month. Returns the bytes released."""
    following = as_period(month).offset(1)
    if month_is_simulated(simulation, as_period(month)):
        try:
            exit_state(simulation.populations["household"], following)
        except (MissingParameterValueError, InputError):
            pass  # the next month's outputs meet the same error, and report it where they are computed
        forget_states_before(simulation, following)
    kept = read_each_month(simulation.tax_benefit_system)
    released = 0
    for key, population in simulation.populations.items():
        for name, holder in population._holders.items():
            if not holder.variable.formulas or name in kept:
                continue
            known = before.get((key, name), set())
            for period in holder.get_known_periods():
                if period in known:
                    continue
                array = holder.get_array(period)
                released += getattr(array, "nbytes", 0) if isinstance(array, np.ndarray) else 0
                holder.delete_arrays(period)
    return released
