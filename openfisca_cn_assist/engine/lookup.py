"""Per-household lookups of jurisdictional parameters, for use inside formulas.

A lookup is ``table[jurisdiction_index]``: one numpy take from a table of the jurisdictions'
monthly values (see :mod:`openfisca_cn_assist.engine.resolver`). Three things keep it cheap at 10⁶
households (benchmarks/run.py; README "Performance"):

* a value that is the same for every jurisdiction present in the simulation (a national rule such
  as the 特困 age, 60) is returned as a read-only broadcast of that one value: no per-row array;
* yes/no parameters are turned into booleans on the table (3,000 rows), not on every person;
* :func:`where_by_jurisdiction` looks up only the rows that need a value when they are few (the
  members of 低保 households paid by class, orphans, 特困 persons …).

Results are the same numbers as a plain ``table[index]``. A broadcast result is read-only, so code
that would write into it fails loudly instead of changing a shared value.
"""

from __future__ import annotations

import numpy as np
from openfisca_core import periods

from openfisca_cn_assist.engine.cache import cache_on
from openfisca_cn_assist.engine.divisions_in_force import records_in_force
from openfisca_cn_assist.engine.horizons import note_carried
from openfisca_cn_assist.engine.resolver import ValuePastHorizonError, resolver_for

# Below this share of rows, where_by_jurisdiction gathers only the rows that need a value.
SPARSE_SHARE = 0.25


def jurisdiction_index(population, period) -> np.ndarray:
    """Integer jurisdiction index of each member of ``population`` (person or household) at ``period``.

    The input does not change over time, so its index (and, for persons, its projection from households) is
    computed once per simulation, as ``intp``: numpy takes from a table twice as fast with native indices as
    with the enum's int16 codes. In a dated registry a code names the record in force at the period's date
    (:func:`openfisca_cn_assist.engine.divisions_in_force.records_in_force`), checked once per date.
    """
    return _indices(population, period)[0]


def _indices(population, period) -> tuple[np.ndarray, np.ndarray]:
    """(index of every row, distinct indices present) at ``period``."""
    cache = cache_on(population.simulation, "jurisdiction_index")
    key = population.entity.key
    if key not in cache:
        if population.entity.is_person:
            codes = population.household("jurisdiction", period)
        else:
            codes = population("jurisdiction", period)
        index = np.asarray(codes).astype(np.intp)
        cache[key] = (index, present_indices(index))
    registry = population.simulation.tax_benefit_system.registry
    if not registry.dated:
        return cache[key]
    period = periods.period(period)
    dated = (key, str(period.start))
    if dated not in cache:
        cache[dated] = records_in_force(population, *cache[key], str(period.start))
    return cache[dated]


def present_indices(index: np.ndarray) -> np.ndarray:
    """The distinct indices in ``index``, sorted: a bincount over the registry is 10–50× faster than np.unique
    at 10⁶ rows (indices are small non-negative integers)."""
    if not len(index):
        return index[:0]
    return np.flatnonzero(np.bincount(index))


def _present(population, period) -> np.ndarray:
    """The jurisdiction indices that occur in ``population``."""
    return _indices(population, period)[1]


def _derived_table(resolved, date: str, kind, make) -> np.ndarray:
    """``make(resolved.table(date))``, cached on the resolved parameter per dated segment.

    A reformed or refreshed system has new resolved parameters, hence its own derived tables.
    """
    cache = cache_on(resolved, "derived_tables")
    key = (kind, resolved.segment(date))
    if key not in cache:
        cache[key] = make(resolved.table(date))
    return cache[key]


def _flag_table(resolved, date: str) -> np.ndarray:
    """A yes/no parameter as booleans by jurisdiction (False where none is in force)."""
    return _derived_table(resolved, date, "flag", lambda table: np.nan_to_num(table, nan=0.0) > 0)


def _filled_table(resolved, date: str, default: float) -> np.ndarray:
    return _derived_table(resolved, date, ("filled", default), lambda table: np.nan_to_num(table, nan=default))


def _constant(population, period, table: np.ndarray):
    """The table's value if it is the same for every jurisdiction present (NaN if none has one), else None.

    Cached per simulation, table and entity: a table is one dated segment of one parameter.
    """
    cache = cache_on(population.simulation, "constant_tables")
    present = _present(population, period)  # one array per set of records in force: the same across months
    key = (id(table), population.entity.key, id(present))
    if key not in cache:
        values = table[present]
        first = values[0] if len(values) else table.dtype.type(0)
        if values.dtype.kind == "f" and np.isnan(first):
            same = bool(np.isnan(values).all())
        else:
            same = bool((values == first).all())
        cache[key] = (table, present, first if same else None)  # kept so that their ids stay their own
    return cache[key][2]


def _gather(population, period, table: np.ndarray, rows=None) -> np.ndarray:
    """``table[index]`` for every row (or for ``rows`` only), broadcast when the table is constant."""
    constant = _constant(population, period, table)
    count = population.count if rows is None else len(rows)
    if constant is not None:
        return np.broadcast_to(np.asarray(constant, dtype=table.dtype), (count,))
    index = jurisdiction_index(population, period)
    return np.take(table, index if rows is None else index[rows])


def _record(population, period, path: str, date: str, table: np.ndarray) -> None:
    """With ``simulation.trace = True``, record the lookup in OpenFisca's trace, on the variable being
    computed, as its own parameter tracer does: ``path``, the date and every row's monthly value (NaN
    where none is in force), before a missing value is raised. Explanations read it there."""
    simulation = population.simulation
    if simulation.trace:  # the only cost when not tracing
        simulation.tracer.record_parameter_access(path, date, table[jurisdiction_index(population, period)])


def _note_stale(population, period, resolved, date: str, where=None, rows=None) -> None:
    """In a system that carries values forward, record the stale values (past their horizon) that the
    rows in ``where`` (or ``rows``; every row if neither) use. Elsewhere stale values read as missing."""
    if not resolved.carry_forward:
        return
    stale = resolved.stale(date)
    if stale is None or not stale[_present(population, period)].any():
        return
    index = jurisdiction_index(population, period)
    if rows is not None:
        index = index[rows]
    elif where is not None:
        index = index[np.asarray(where, dtype=bool)]
    note_carried(population, resolved, date, stale, index)


def _check(population, period, resolved, date: str, table: np.ndarray, where) -> None:
    """Raise MissingParameterValueError when a row in ``where`` (every row if None) has no value."""
    # Only the jurisdictions present in the simulation can be missing; checking them is cheap.
    if not np.isnan(table[_present(population, period)]).any():
        return
    index = jurisdiction_index(population, period)
    missing = np.take(_derived_table(resolved, date, "missing", np.isnan), index)  # booleans: a cheaper gather
    if where is not None:
        missing &= np.asarray(where, dtype=bool)
    if missing.any():
        raise resolved.missing_error(date, index[missing], population.entity.key, np.flatnonzero(missing))


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
    _record(population, period, path, date, table)
    _note_stale(population, period, resolved, date, where)
    if required:
        _check(population, period, resolved, date, table, where)
    return _gather(population, period, table)


def _same_number(a, b) -> bool:
    """Equal, sign of zero included (np.where would keep a −0.0)."""
    return bool(a == b) and bool(np.signbit(a) == np.signbit(b))


def by_jurisdiction_or(population, period, path: str, default: float, where=None) -> np.ndarray:
    """``np.nan_to_num(by_jurisdiction(population, period, path, where), nan=default)``, filled on the table.

    Rows in ``where`` (every row if None) that have no value still raise MissingParameterValueError.
    """
    resolved = resolver_for(population.simulation.tax_benefit_system)[path]
    date = str(period.start)
    table = resolved.table(date)
    _record(population, period, path, date, table)
    _note_stale(population, period, resolved, date, where)
    _check(population, period, resolved, date, table, where)
    return _gather(population, period, _filled_table(resolved, date, default))


def at_rows(population, period, path: str, rows: np.ndarray, required: bool = True) -> np.ndarray:
    """The value of ``path`` for the rows ``rows`` of ``population`` only; every one of them must have one.

    Same numbers and errors as ``by_jurisdiction(population, period, path, where=mask)[rows]``
    for the mask of ``rows``, without touching the other rows (``required=False``: NaN where none).
    """
    resolved = resolver_for(population.simulation.tax_benefit_system)[path]
    date = str(period.start)
    table = resolved.table(date)
    _record(population, period, path, date, table)
    _note_stale(population, period, resolved, date, rows=rows)
    values = _gather(population, period, table, rows)
    if required and np.isnan(table[_present(population, period)]).any():
        missing = np.isnan(values)
        if missing.any():
            index = jurisdiction_index(population, period)
            raise resolved.missing_error(date, index[rows[missing]], population.entity.key, rows[missing])
    return values


def breakdown_at_rows(population, period, path: str, rows: np.ndarray) -> np.ndarray:
    """For ``rows``, the value of ``path``, a breakdown that only some jurisdictions make (an amount for
    one grade or age band): NaN where no jurisdiction in the row's chain sets one, so that the caller
    falls back to its general value. A value past its horizon is not "not set": without carry-forward
    it raises ValuePastHorizonError, as :func:`at_rows` does, rather than let the general value stand in."""
    values = at_rows(population, period, path, rows, required=False)
    resolved = resolver_for(population.simulation.tax_benefit_system)[path]
    date = str(period.start)
    stale = None if resolved.carry_forward else resolved.stale(date)
    if stale is not None and stale[_present(population, period)].any():
        index = jurisdiction_index(population, period)[rows]
        past = stale[index]
        if past.any():
            raise resolved.missing_error(date, index[past], population.entity.key, rows[past])
    return values


def where_by_jurisdiction(population, period, path: str, where, otherwise=0.0) -> np.ndarray:
    """``np.where(where, by_jurisdiction(population, period, path, where=where), otherwise)``, as float64.

    When few rows need the value, only those are looked up, which at 3×10⁶ persons saves most of
    the cost for programmes that concern a few per cent of them (orphans, 特困, class-paid 低保).
    """
    where = np.asarray(where, dtype=bool)
    rows = np.flatnonzero(where)
    if len(rows) > SPARSE_SHARE * population.count:
        values = by_jurisdiction(population, period, path, where=where)
        if values.strides == (0,) and len(values) and _same_number(values[0], otherwise):
            return np.full(population.count, otherwise, dtype=np.float64)  # one value, and it is `otherwise`
        return np.where(where, values, otherwise)
    out = np.full(population.count, otherwise, dtype=np.float64)
    out[rows] = at_rows(population, period, path, rows)
    return out


def flag_by_jurisdiction(population, period, path: str, where=None, required: bool = True) -> np.ndarray:
    """A yes/no jurisdictional parameter as a boolean array (rows outside ``where`` read False if unknown;
    with ``required=False``, every row without a value reads False)."""
    resolved = resolver_for(population.simulation.tax_benefit_system)[path]
    date = str(period.start)
    _record(population, period, path, date, resolved.table(date))
    _note_stale(population, period, resolved, date, where)
    if required:
        _check(population, period, resolved, date, resolved.table(date), where)
    return _gather(population, period, _flag_table(resolved, date))


def require_any(population, period, values: np.ndarray, where, paths: list[str]) -> None:
    """Raise when ``values`` is NaN on a row in ``where``: none of ``paths`` gave it a value.

    Where an alternative has a value that is only past its horizon, the error is a
    ValuePastHorizonError carrying that value's fields, so callers can offer the carry-forward opt-in.
    """
    missing = np.isnan(values) & np.asarray(where, dtype=bool)
    if missing.any():
        resolver = resolver_for(population.simulation.tax_benefit_system)
        index = jurisdiction_index(population, period)
        rows = np.flatnonzero(missing)
        errors = [
            resolver[p].missing_error(str(period.start), index[missing], population.entity.key, rows) for p in paths
        ]
        stale = [e for e in errors if isinstance(e, ValuePastHorizonError)]
        first = stale[0] if stale else errors[0]
        combined = type(first)("")
        combined.__dict__.update(first.__dict__)  # the fields of the first (or the first stale) alternative
        # one message over every alternative, its rows and places named as each alternative's are
        template = "None of the alternatives has a value. " + " | ".join(e.template for e in errors)
        combined.name_rows(template, first.entity, first.rows, first.places)
        raise combined
