"""Payments made once in a year, in a month no source gives: a monthly result reports them as not computed.

Which outputs these are, their amount parameter and why their month is not known are declared on the variables
(``amount_parameter``, ``month_not_known``: openfisca_cn_assist.engine.outputs). A monthly total cannot include
them; a yearly microsimulation adds them to the year's total once (openfisca_cn_assist.analysis.microsim).
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
from openfisca_core.periods import period as as_period

from openfisca_cn_assist.engine.outputs import declaration, total_output, yearly_outputs
from openfisca_cn_assist.engine.resolver import MissingParameterValueError, resolver_for


def is_calendar_year(period) -> bool:
    return period.unit == "year" and period.size == 1 and period.start.month == 1 and period.start.day == 1


def month_not_known(name: str, period, system=None) -> MissingParameterValueError:
    """The error that reports yearly output ``name`` of ``system`` (default the built-in one) as not computed for
    ``period`` (not a calendar year)."""
    reason = yearly_outputs(system if system is not None else _builtin())[name][1]
    return MissingParameterValueError(
        f"{name} not computed for {period}: the payment month is not known ({reason}); "
        f"it is computed for a whole calendar year, such as {str(period.start)[:4]}"
    )


def check_known_in(simulation, name: str, period) -> None:
    """For a period that is not a calendar year: return when no household's jurisdiction pays ``name`` in any
    year the period touches (then it is 0 in every month: nothing is unknown), else raise month_not_known."""
    from openfisca_cn_assist.engine.lookup import jurisdiction_index

    households = simulation.populations["household"]
    present = np.unique(jurisdiction_index(households, period))
    system = simulation.tax_benefit_system
    resolved = resolver_for(system)[yearly_outputs(system)[name][0]]
    years = sorted({month.start.year for month in months_of(period)})
    for year in years:
        amounts = np.asarray(resolved.table(f"{year}-01-01"), dtype=float)[present]
        if not (amounts == 0).all():  # a payment (or no value at all) in that year: its month is unknown
            raise month_not_known(name, period, system)


def monthly_zeros(simulation, name: str, period) -> np.ndarray:
    """The person values of yearly output ``name`` for a month where it is known to be 0 everywhere (see above)."""
    check_known_in(simulation, name, period)
    return np.zeros(simulation.persons.count)


def months_of(period) -> list:
    """The months of a month or a longer period (a year, several months), as OpenFisca periods."""
    period = as_period(period)
    return [period] if period.unit == "month" and period.size == 1 else list(period.get_subperiods("month"))


@functools.cache
def _builtin():
    from openfisca_cn_assist.engine.system import builtin_system

    return builtin_system()


def _person_benefits(system) -> tuple[str, ...]:
    total = total_output(system)
    return tuple(p for p in declaration(system.variables[total]).adds if system.variables[p].entity.key == "person")


# Deprecated names (0.2): the lists are declared on the variables now; these are the built-in system's.
_DEPRECATED = {
    "PERSON_BENEFITS": (_person_benefits, "the person parts of the total's adds (engine.outputs.total_output)"),
    "YEARLY_OUTPUTS": (yearly_outputs, "openfisca_cn_assist.engine.outputs.yearly_outputs(system)"),
}


def __getattr__(name: str):
    if name not in _DEPRECATED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    build, instead = _DEPRECATED[name]
    warnings.warn(f"{__name__}.{name} is deprecated: use {instead}", DeprecationWarning, stacklevel=2)
    return build(_builtin())
