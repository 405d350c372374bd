"""Lists of outputs shared by the rules, the explanations and the reports, kept in one place."""

from __future__ import annotations

import numpy as np

from openfisca_cn_assist.engine.resolver import MissingParameterValueError, resolver_for

# The person-level cash benefits that social_assistance_total adds to the household's 低保 (monthly ones).
PERSON_BENEFITS = (
    "tekun_basic_allowance",
    "tekun_care_allowance",
    "orphan_allowance",
    "disability_living_subsidy",
    "disability_care_subsidy",
    "price_subsidy",
)

# Person benefits paid once in a calendar year, in a month no source gives: yearly variables, computed for a
# whole calendar year. A monthly total cannot include them (the month is unknown); a yearly microsimulation
# adds them to the year's total once (openfisca_cn_assist.analysis.microsim). Output: (its amount parameter, what is
# not known).
YEARLY_OUTPUTS = {
    "one_off_living_subsidy": (
        "one_off.living_subsidy_amount",
        "the one-off living subsidy is paid once in the year (Xishuangbanna 2022, S0), in a month no source gives",
    ),
}


def is_calendar_year(period) -> bool:
    return period.unit == "year" and period.size == 1 and period.start.month == 1 and period.start.day == 1


def month_not_known(name: str, period) -> MissingParameterValueError:
    """The error that reports yearly output ``name`` as not computed for ``period`` (not a calendar year)."""
    return MissingParameterValueError(
        f"{name} not computed for {period}: the payment month is not known ({YEARLY_OUTPUTS[name][1]}); "
        f"it is computed for a whole calendar year, such as {str(period.start)[:4]}"
    )


def check_known_in(simulation, name: str, period) -> None:
    """For a period that is not a calendar year: return when no household's jurisdiction pays ``name`` in any
    year the period touches (then it is 0 in every month: nothing is unknown), else raise month_not_known."""
    from openfisca_cn_assist.engine.lookup import jurisdiction_index

    households = simulation.populations["household"]
    present = np.unique(jurisdiction_index(households, period))
    resolved = resolver_for(simulation.tax_benefit_system)[YEARLY_OUTPUTS[name][0]]
    years = sorted({month.start.year for month in _months(period)})
    for year in years:
        amounts = np.asarray(resolved.table(f"{year}-01-01"), dtype=float)[present]
        if not (amounts == 0).all():  # a payment (or no value at all) in that year: its month is unknown
            raise month_not_known(name, period)


def monthly_zeros(simulation, name: str, period) -> np.ndarray:
    """The person values of yearly output ``name`` for a month where it is known to be 0 everywhere (see above)."""
    check_known_in(simulation, name, period)
    return np.zeros(simulation.persons.count)


def _months(period):
    return [period] if period.unit == "month" and period.size == 1 else list(period.get_subperiods("month"))
