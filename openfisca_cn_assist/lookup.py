"""Per-household lookups of jurisdictional parameters, for use inside formulas."""

from __future__ import annotations

import numpy as np

from .resolver import MissingParameterValueError, resolver_for


def jurisdiction_index(population, period) -> np.ndarray:
    """Integer jurisdiction index of each member of ``population`` (person or household)."""
    if population.entity.is_person:
        codes = population.household("jurisdiction", period)
    else:
        codes = population("jurisdiction", period)
    return np.asarray(codes)


def by_jurisdiction(population, period, path: str, where=None, required: bool = True) -> np.ndarray:
    """Monthly value of jurisdictional parameter ``path`` for each member of ``population``.

    ``where`` marks the rows that actually need the value: a row outside it may lack one
    (a household with no employed member needs no employment-cost rate). Rows that need a
    value no jurisdiction in their chain has raise MissingParameterValueError; with
    ``required=False`` they get NaN instead, for a formula that falls back explicitly.
    """
    resolved = resolver_for(population.simulation.tax_benefit_system)[path]
    date = str(period.start)
    table = resolved.table(date)
    index = jurisdiction_index(population, period)
    values = table[index]
    if required and np.isnan(table).any():
        missing = np.isnan(values)
        if where is not None:
            missing &= np.asarray(where, dtype=bool)
        if missing.any():
            raise resolved.missing_error(date, index[missing], population.entity.key, np.flatnonzero(missing))
    return values


def flag_by_jurisdiction(population, period, path: str, where=None) -> np.ndarray:
    """A yes/no jurisdictional parameter as a boolean array (rows outside ``where`` read False if unknown)."""
    return np.nan_to_num(by_jurisdiction(population, period, path, where), nan=0.0) > 0


def require_any(population, period, values: np.ndarray, where, paths: list[str]) -> None:
    """Raise when ``values`` is NaN on a row in ``where``: none of ``paths`` gave it a value."""
    missing = np.isnan(values) & np.asarray(where, dtype=bool)
    if missing.any():
        resolver = resolver_for(population.simulation.tax_benefit_system)
        index = jurisdiction_index(population, period)
        errors = [
            str(resolver[p].missing_error(str(period.start), index[missing], population.entity.key, np.flatnonzero(missing)))
            for p in paths
        ]
        raise MissingParameterValueError("None of the alternatives has a value. " + " | ".join(errors))
