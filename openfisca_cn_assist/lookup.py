"""Per-household lookups of jurisdictional parameters, for use inside formulas."""

from __future__ import annotations

import numpy as np

from .resolver import MissingParameterValueError, resolver_for


def jurisdiction_index(population, period) -> np.ndarray:
    """Integer jurisdiction index of each member of ``population`` (person or household).

    The jurisdiction does not change over time, so the index (and, for persons, its
    projection from households) is computed once per simulation.
    """
    cache = population.simulation.__dict__.setdefault("_cn_jurisdiction_index", {})
    key = population.entity.key
    if key not in cache:
        if population.entity.is_person:
            codes = population.household("jurisdiction", period)
        else:
            codes = population("jurisdiction", period)
        index = np.asarray(codes)
        cache[key] = (index, np.unique(index))
    return cache[key][0]


def _present(population, period) -> np.ndarray:
    """The jurisdiction indices that occur in ``population``."""
    jurisdiction_index(population, period)
    return population.simulation.__dict__["_cn_jurisdiction_index"][population.entity.key][1]


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
    # Only the jurisdictions present in the simulation can be missing; checking them is cheap.
    if required and np.isnan(table[_present(population, period)]).any():
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
