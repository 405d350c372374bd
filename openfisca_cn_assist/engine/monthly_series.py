"""Monthly series parameters (price indices): a value counts only for the month it is dated.

An OpenFisca value stays in force until the next dated value. For a standard that is right; for
a monthly index it would silently reuse last month's figure. Here a series value is used only
in the month of its own date (own or inherited from a parent jurisdiction); any other month reads
NaN, and the formula that needs the figure stops with MissingParameterValueError.
"""

from __future__ import annotations

import numpy as np

from openfisca_cn_assist.engine.cache import cache_on
from openfisca_cn_assist.engine.lookup import by_jurisdiction, jurisdiction_index
from openfisca_cn_assist.engine.resolver import ResolvedParameter, resolver_for


def _dated_in_month(resolved: ResolvedParameter, date: str) -> np.ndarray:
    """Per jurisdiction: is the value in force on ``date`` dated in that same month? Cached per date."""
    cache = cache_on(resolved, "dated_in_month")
    if date not in cache:
        registry = resolved.registry
        own_fresh = np.zeros(len(registry), dtype=bool)
        for key in resolved.own:  # jurisdictions with a file of their own, not every jurisdiction
            entry = resolved._own_entry(key, date)
            own_fresh[registry.index[key]] = (
                entry is not None and entry.value is not None and entry.instant_str[:7] == date[:7]
            )
        sources = resolved.sources_at(date)
        cache[date] = (sources >= 0) & own_fresh[np.maximum(sources, 0)]
    return cache[date]


def month_value(population, period, path: str) -> np.ndarray:
    """The value of series ``path`` dated in ``period``'s month, for each row; NaN where there is none."""
    resolved = resolver_for(population.simulation.tax_benefit_system)[path]
    values = by_jurisdiction(population, period, path, required=False)
    fresh = _dated_in_month(resolved, str(period.start))
    return np.where(fresh[jurisdiction_index(population, period)], values, np.nan)


def require_month_value(population, period, values: np.ndarray, where, path: str, variable: str, purpose: str) -> None:
    """Raise MissingParameterValueError when ``values`` (variable ``variable``) is NaN on a row in ``where``."""
    missing = np.isnan(values) & np.asarray(where, dtype=bool)
    if missing.any():
        resolved = resolver_for(population.simulation.tax_benefit_system)[path]
        index = jurisdiction_index(population, period)
        rows = np.flatnonzero(missing)
        error = resolved.missing_error(str(period.start), index[missing], population.entity.key, rows)
        raise error.prefixed(
            f"{variable} for {str(period)[:7]} is needed {purpose}, and a monthly series value counts only "
            "for the month it is dated (give it as an input, or add the month to the series). "
        )
