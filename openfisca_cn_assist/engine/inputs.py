"""Reading inputs with their allowed ranges, so bad input stops with a message naming the field and rows."""

from __future__ import annotations

import numpy as np

from openfisca_cn_assist.engine.cache import cache_on
from openfisca_cn_assist.engine.errors import InputError, rows_text
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
    low, high = INPUT_BOUNDS.get(name, (None, None))
    bad = np.zeros(len(values), dtype=bool)
    if low is not None:
        bad |= values < low
    if high is not None:
        bad |= values > high
    if np.issubdtype(values.dtype, np.floating):
        bad |= ~np.isfinite(values)
    if bad.any():
        rows = np.flatnonzero(bad)
        expected = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InputError(
            f"{name}: {population.entity.key} rows {rows_text(rows)} have {values[rows[:5]].tolist()} in {period}; "
            f"expected a number {expected}."
        )
    seen[(name, id(values))] = values  # kept, so that its id is not reused by another array
    return values
