"""Reading inputs with their allowed ranges, so bad input stops with a message naming the field and rows."""

from __future__ import annotations

import numpy as np

from openfisca_cn_assist.engine.cache import cache_on
from openfisca_cn_assist.engine.errors import SHOWN, InputError
from openfisca_cn_assist.engine.rows import Rows

# Inclusive bounds; None means unbounded. Net business and property income may be negative (a loss).
INPUT_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "wage_income": (0, None),
    "transfer_income": (0, None),
    "basic_pension_income": (0, None),
    "medical_expenses": (0, None),
    "education_expenses": (0, None),
    "age": (0, 130),
    "disability_grade": (0, 4),
    "hardship_area_class": (0, 6),
}

# Every number given as input, whatever its variable, lies within ±AMOUNT_LIMIT a month (times the months of the
# variable's period): a realistic ceiling for 元 amounts that also keeps float32 sums far from overflow, where
# 1e38 元 became ±Infinity or NaN and a household silently ineligible. Caseload files, the Web API and
# formulas all read their bounds from :func:`input_bounds`.
AMOUNT_LIMIT = 1e9
_MONTHS_IN = {"month": 1, "year": 12}


def input_bounds(variable) -> tuple[float, float]:
    """The inclusive range of values ``variable`` accepts as input: its :data:`INPUT_BOUNDS` within ±AMOUNT_LIMIT."""
    low, high = INPUT_BOUNDS.get(variable.name, (None, None))
    limit = AMOUNT_LIMIT * _MONTHS_IN.get(str(variable.definition_period), 1)
    return (-limit if low is None else max(low, -limit)), (limit if high is None else min(high, limit))


def range_text(variable, symbols: bool = False) -> str:
    """``between 0 and 130``, or for an amount ``at least 0 and at most 1000000000`` (``≥ 0 and ≤ …``)."""
    low, high = input_bounds(variable)
    shown = [f"{int(x)}" if float(x).is_integer() else f"{x}" for x in (low, high)]
    if variable.name in INPUT_BOUNDS and INPUT_BOUNDS[variable.name][1] is not None:
        return f"between {shown[0]} and {shown[1]}"
    return f"≥ {shown[0]} and ≤ {shown[1]}" if symbols else f"at least {shown[0]} and at most {shown[1]}"


def out_of_range(variable, values: np.ndarray) -> np.ndarray:
    """A mask of the ``values`` of ``variable`` outside :func:`input_bounds` or not finite."""
    values = np.asarray(values)
    if variable.value_type not in (int, float):
        return np.zeros(values.shape, dtype=bool)
    low, high = input_bounds(variable)
    bad = (values < low) | (values > high)
    if np.issubdtype(values.dtype, np.floating):
        bad |= ~np.isfinite(values)
    return bad


def checked(population, name: str, period) -> np.ndarray:
    """``population(name, period)``, raising InputError for values outside the variable's allowed range.

    An array is checked once per simulation: a caseload's input given once for the twelve months
    of a year is one array, read by several formulas every month.
    """
    if isinstance(population, Rows):  # a formula run for some rows: check the input, and name rows, as a whole
        return population.take(checked(population.population, name, period))
    values = population(name, period)
    seen = cache_on(population.simulation, "checked_inputs")
    if seen.get((name, id(values))) is values:
        return values
    variable = population.simulation.tax_benefit_system.variables[name]
    bad = out_of_range(variable, values)
    if bad.any():
        rows = np.flatnonzero(bad)
        expected = range_text(variable)
        raise InputError.at_rows(
            f"{name}: {population.entity.key} rows {{rows}} have {values[rows[:SHOWN]].tolist()} in {period}; "
            f"expected a number {expected}.",
            population.entity.key,
            rows,
        )
    seen[(name, id(values))] = values  # kept, so that its id is not reused by another array
    return values
