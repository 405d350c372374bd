"""Month-to-month state of 低保 households, for the gradual exit (渐退).

Whether a household is in its exit period depends on previous months. OpenFisca forbids a
formula from asking for the same variable at an earlier month (a "spiral"), so the state is
carried forward here, month by month, in plain numpy, from the first simulated month: the
earliest month for which the simulation holds inputs. Each month's facts (eligibility, the
regular benefit, the exit length) come from ordinary variables, which do not depend on this
state; the state at the first simulated month comes from inputs, or from defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from openfisca_core.periods import ETERNITY

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.cache import cache_on


@dataclass(frozen=True)
class ExitState:
    """A household's state at the start of a month."""

    recipient_last_month: np.ndarray  # bool: received 低保 (regular or 渐退) last month
    months_above_last_month: np.ndarray  # int: consecutive months above the standard while on 低保, up to last month
    base_benefit: np.ndarray  # float: the regular benefit of the last month before the exit period; NaN if unknown


def month_is_simulated(simulation, month) -> bool:
    """True when some input (not computed) monthly variable has a value for ``month``."""
    cache = cache_on(simulation, "simulated_months")
    if month not in cache:
        cache[month] = any(
            holder.variable.definition_period != ETERNITY
            and not holder.variable.formulas
            and any(known.contains(month) for known in holder.get_known_periods())
            for population in simulation.populations.values()
            for holder in population._holders.values()
        )
    return cache[month]


def _input(simulation, name: str, month):
    """An input the user set for ``month``, without running the variable's formula."""
    return simulation.get_holder(name).get_array(month)


def facts(household, month):
    """What a month contributes to the state, from variables that do not depend on it."""
    eligible = household("dibao_eligible", month)
    # 渐退 is for income that rose; property over the limits ends 低保 at once.
    counted = (household("dibao_unit_size", month) > 0) & household("property_within_limits", month)
    above = ~eligible & counted
    return eligible, above


def months_above(recipient_last_month, months_above_last_month, above) -> np.ndarray:
    """Consecutive months above the standard while on 低保, this month included."""
    return np.where(above & recipient_last_month, months_above_last_month + 1, 0)


def exit_active(household, month, recipient_last_month, above, count) -> np.ndarray:
    """On 低保 last month, above the standard now, and within the jurisdiction's exit length."""
    in_exit_window = above & recipient_last_month
    length = jurisdictional(household, month).dibao.only(in_exit_window).gradual_exit_months
    return in_exit_window & (count <= np.nan_to_num(length, nan=0))


def exit_state(household, month) -> ExitState:
    """The state at the start of ``month``, carried forward from the first simulated month."""
    simulation = household.simulation
    cache = cache_on(simulation, "exit_states")
    if month in cache:
        return cache[month]
    previous = month.last_month
    if not month_is_simulated(simulation, previous):
        state = _initial_state(simulation, household.count, month)
    else:
        before = exit_state(household, previous)
        given = _input(simulation, "dibao_recipient_last_month", previous)
        if given is not None:
            before = ExitState(given, before.months_above_last_month, before.base_benefit)
        eligible, above = facts(household, previous)
        count = _input(simulation, "dibao_months_above_standard", previous)
        if count is None:
            count = months_above(before.recipient_last_month, before.months_above_last_month, above)
        in_exit = exit_active(household, previous, before.recipient_last_month, above, count)
        regular = household("dibao_regular_benefit", previous)
        state = ExitState(
            recipient_last_month=eligible | in_exit,
            months_above_last_month=count,
            base_benefit=np.where(eligible, regular, before.base_benefit),
        )
    cache[month] = state
    return state


def forget_states_before(simulation, month) -> None:
    """Drop the states of the months before ``month`` (kept: ``month``'s, from which later ones follow); a state
    asked for again is worked out again from the first simulated month."""
    cache = cache_on(simulation, "exit_states")
    for known in [m for m in cache if m.start < month.start]:
        del cache[known]


def _initial_state(simulation, count: int, month) -> ExitState:
    recipient = _input(simulation, "dibao_recipient_last_month", month)
    base = _input(simulation, "dibao_exit_base_benefit", month)
    return ExitState(
        recipient_last_month=np.zeros(count, dtype=bool) if recipient is None else recipient,
        months_above_last_month=np.zeros(count, dtype=np.int32),
        base_benefit=np.full(count, np.nan) if base is None else base,
    )
