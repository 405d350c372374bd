"""One partition's household frame: every output of a simulation summed per household, month by month.

:func:`household_frame` computes a month's outputs, adds them to each household's sums, lets a caller read
what else it needs from the month, then releases the month's results
(:mod:`openfisca_cn_assist.engine.memory`): memory holds one month of results whatever the period's length.
Outputs that cannot be computed are reported with their reason (the rows named as the caseload's reader names
them, :mod:`openfisca_cn_assist.caseload.input_rows`) instead of stopping the run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from openfisca_core.periods import period as as_period

from openfisca_cn_assist.analysis.distribution import household_incomes
from openfisca_cn_assist.analysis.not_computed import merge_not_computed
from openfisca_cn_assist.analysis.outputs import MicrosimOutputs
from openfisca_cn_assist.caseload.input_rows import input_rows
from openfisca_cn_assist.caseload.simulation import missing_reason, month_state_report
from openfisca_cn_assist.engine.divisions_in_force import mapped_codes
from openfisca_cn_assist.engine.horizons import carried_by_output
from openfisca_cn_assist.engine.memory import held, release_month
from openfisca_cn_assist.engine.programmes import check_known_in, is_calendar_year, months_of
from openfisca_cn_assist.engine.resolver import MissingParameterValueError

# --- One partition ------------------------------------------------------------------------------------


def progress_bar(total: int, description: str, enabled: bool, unit: str = "output-month"):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=unit, leave=False)


def household_frame(  # noqa: C901 - one pass over months and outputs; the branches are the cases the docstring lists
    simulation,
    period: str,
    forced: dict | None = None,
    progress: str | None = None,
    forced_months: dict | None = None,
    each_month: Callable | None = None,
) -> tuple[pd.DataFrame, dict]:
    """One row per household of ``simulation``: yearly sums of money outputs, months of status outputs.

    Month by month: every output of a month is computed and added to its household sums, ``each_month(simulation,
    month)`` (if given) reads what else it needs, then the month's results are released
    (:mod:`openfisca_cn_assist.engine.memory`), so that memory holds one month of results, not the period's.

    ``frame.attrs["carried_forward"]`` lists, per output, the values it used past their horizon (only a
    system that carries values forward uses any). An output that can be computed in some months of the
    period only is summed over those, and ``frame.attrs["months_not_computed"]`` gives ``{output: {month:
    reason}}`` (in every month: not computed); ``forced_months`` skips such months as another partition
    could not compute them. ``frame.attrs["needs"]`` counts, per output not computed, the rows that need
    the missing value, so that partitions' counts add up.

    Outputs in ``forced`` are reported not computed with the given reason, without computing them (so that
    every partition reports the outputs some partition could not compute). Yearly outputs: :func:`_add_yearly`.
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
    needs: dict[str, dict] = {}
    declared = MicrosimOutputs.of(simulation.tax_benefit_system)
    yearly_outputs = declared.yearly
    outputs = [(o, True) for o in declared.money] + [(o, False) for o in declared.status]
    bar = progress_bar(len(outputs) * len(months), progress or "", progress is not None)
    columns = {name: np.zeros(households.count) for (name, _, _), _ in outputs}
    failed: dict[str, dict[str, str]] = {name: {} for (name, _, _), _ in outputs if name not in yearly_outputs}
    month_state = None
    for month in months:
        held_before = held(simulation)
        for (name, entity, _), _ in outputs:
            if name in failed and name not in not_computed:
                skipped = (forced_months or {}).get(name, {})
                _add_month(simulation, name, entity, month, columns[name], skipped, failed[name], needs)
        if bar:
            bar.update(len(outputs))
        if each_month is not None:
            each_month(simulation, month)
        # what the report reads of the first month (the 渐退 facts), before that month is released
        month_state = month_state_report(simulation) if month_state is None else month_state
        release_month(simulation, month, held_before)
    whole_year = as_period(period) if is_calendar_year(as_period(period)) else None
    yearly = _add_yearly(simulation, period, whole_year, yearly_outputs, columns, not_computed, needs)
    partial: dict[str, dict[str, str]] = {}
    for (name, _, _), is_money in outputs:
        months_failed = failed.get(name, {})
        if months_failed and len(months_failed) == len(months):
            not_computed[name] = next(iter(months_failed.values()))
        elif months_failed:
            partial[name] = months_failed
        column = columns[name]
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
    frame.attrs["mapped_codes"] = mapped_codes(simulation)
    frame.attrs["month_state"] = month_state
    frame.attrs["months_not_computed"] = partial
    frame.attrs["needs"] = needs
    return frame, merge_not_computed([not_computed], declared.order)


def _add_yearly(simulation, period, whole_year, yearly_outputs, columns, not_computed, needs) -> np.ndarray:
    """Compute the yearly outputs (paid once in the year, month unknown) into ``columns``; their sum per household,
    which the monthly totals leave out and a year's total adds once (declared ``month_not_known``: computed for a
    calendar year only). For any other period each is 0 where no jurisdiction present pays it in the year, else
    not computed (the month is unknown), and the total is that of the monthly benefits."""
    households = simulation.populations["household"]
    yearly = np.zeros(households.count)
    for name in (n for n in yearly_outputs if n not in not_computed):
        try:
            if whole_year is None:
                check_known_in(simulation, name, as_period(period))
            else:
                columns[name] = households.sum(simulation.calculate(name, whole_year).astype(float))
                yearly += columns[name]
        except MissingParameterValueError as error:
            not_computed[name] = missing_reason(error, simulation)
            _count_needs(needs, name, error, simulation)
    return yearly


def _add_month(simulation, name, entity, month, column, skipped, failed, needs) -> None:
    """Add ``name`` in ``month`` to ``column`` (household sums), or record in ``failed`` why it cannot be computed
    (a month in ``skipped`` is not tried: another partition could not compute it) and count the rows in ``needs``."""
    if str(month) in skipped:
        failed[str(month)] = skipped[str(month)]
        return
    try:
        values = simulation.calculate(name, month).astype(float)
    except MissingParameterValueError as error:
        failed[str(month)] = missing_reason(error, simulation)
        _count_needs(needs, name, error, simulation)
    else:
        column += simulation.populations["household"].sum(values) if entity == "person" else values


def _count_needs(needs: dict, name: str, error, simulation) -> None:
    """Record, for ``name``'s first failure with this message (keyed by its template: the message with slots for
    the count and the rows), how many rows need the value and the first rows' names, so that partitions' reasons
    can be worded once with the count and the first rows over the whole caseload (:func:`~openfisca_cn_assist.analysis.
    not_computed.with_total_count`)."""
    if error.rows is None or error.template is None:
        return
    needs.setdefault(name, {}).setdefault(
        error.template,
        {
            "count": len(error.rows),
            "rows": error.row_names(input_rows(simulation).namer(error.entity)),
            "places": list(error.places),
            "reasons": [missing_reason(error, simulation)],
        },
    )


class IncomeMonths:
    """:func:`~openfisca_cn_assist.analysis.distribution.household_incomes` added up month by month (``total``)."""

    def __init__(self):
        self.total: dict | None = None

    def __call__(self, simulation, month) -> None:
        if self.total is not None and "reason" in self.total:
            return  # a month without the standard: no deciles or poverty for the period
        month_incomes = household_incomes(simulation, [month])
        if self.total is None or "reason" in month_incomes:
            self.total = month_incomes
            return
        self.total["income"] = self.total["income"] + month_incomes["income"]
        self.total["line"] = self.total["line"] + month_incomes["line"]
