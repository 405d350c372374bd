"""Caseloads: a persons table and a households table (CSV or Parquet), checked, then one simulation.

File format (docs/analysts.md, "Caseload files"):

* **persons**: ``person_id``, ``household_id`` and person inputs (``age``, ``wage_income`` …);
* **households**: ``household_id``, optional ``weight`` (default 1) and household inputs
  (``jurisdiction``, ``area`` …). Without a households file, household inputs and ``weight`` may
  be columns of the persons file; they must then be equal for all members of a household.

Column names are variable names. Enum columns take member names (``area``: ``urban``/``rural``;
``jurisdiction``: registry keys; ``dibao_class``: ``unclassified``/``a``/``b``/``c``), booleans
take ``true``/``false``/``1``/``0``, amounts are 元 per month. A monthly input applies to every
month of the simulated period; a column suffixed with a month (``wage_income_2022_07``) applies
to that month only and overrides the unsuffixed column there (an empty cell does not override).
The 渐退 state inputs (:data:`STATE_INPUTS`) describe the state at the start of the simulation, so
an unsuffixed one applies to the first month only. Month columns outside the simulated period have
no effect. :data:`REQUIRED_COLUMNS` must be given; an input left out takes the variable's default
for everyone, and a given column must have a value on every row (a month column may have blanks).
Variables computed by the model are not accepted, except :data:`COMPUTED_INPUTS`.

Every problem stops the read with a :class:`CaseloadError` naming the file, the column and the
rows (1-based data rows, with the CSV line and the id). Nothing is dropped: the simulation has one
household per row of the households table, in its order (:attr:`Caseload.household_ids`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import ETERNITY

from openfisca_cn_assist.caseload.bulk import rows_of, strictly_increasing
from openfisca_cn_assist.caseload.model import (
    COMPUTED_INPUTS,
    HOUSEHOLD_ID,
    PERSON_ID,
    REQUIRED_COLUMNS,
    STATE_INPUTS,
    WEIGHT,
    Caseload,
    CaseloadError,
)
from openfisca_cn_assist.caseload.typed import TypedColumns
from openfisca_cn_assist.engine.enums import allowed_values, member_lookup
from openfisca_cn_assist.engine.inputs import input_bounds, out_of_range, range_text

_MONTH_SUFFIX = re.compile(r"^(\d{4})_(\d{2})$")
_TRUE = {"true", "1", "1.0"}
_FALSE = {"false", "0", "0.0"}


def _show(value) -> str:
    value = value.item() if isinstance(value, np.generic) else value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


@dataclass
class _Table:
    """A table with what an error message needs to point at a row: its source and its ids."""

    frame: pd.DataFrame
    source: str
    id_column: str

    @property
    def lines(self) -> bool:
        return self.source.lower().endswith(".csv")

    def row(self, r: int) -> str:
        details = [f"line {r + 2}"] if self.lines else []
        if self.id_column in self.frame:
            value = self.frame[self.id_column].iat[r]
            if not _is_empty(value):
                details.append(f"{self.id_column} {_show(value)}")
        return f"{r + 1}" + (f" ({', '.join(details)})" if details else "")

    def rows(self, rows, limit: int = 5) -> str:
        rows = np.asarray(rows)
        shown = ", ".join(self.row(int(r)) for r in rows[:limit])
        more = f" … ({len(rows)} rows in all)" if len(rows) > limit else ""
        return ("row " if len(rows) == 1 else "rows ") + shown + more

    def error(self, problem: str, column: str | None = None, rows=None) -> CaseloadError:
        """``file, column 'x', row 3 (line 4, person_id 'p3'): problem``; a column's own problem names the header."""
        where = self.source
        if column is not None:
            where += f", column {column!r}"
        if rows is not None and len(rows):
            where += ", " + self.rows(rows)
        elif column is not None:
            where += " (header)"
        error = CaseloadError(f"{where}: {problem}")
        error.source, error.column = self.source, column
        error.rows = [int(r) for r in np.asarray(rows)[:5]] if rows is not None and len(rows) else None
        return error


def _is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _native(series: pd.Series) -> bool:
    """A column held as a plain numpy array of booleans or numbers: read in place, no NA but NaN."""
    return isinstance(series.dtype, np.dtype) and series.dtype.kind in "biuf"


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series.dtype)


def _empty_mask(series: pd.Series) -> np.ndarray:
    mask = series.isna().to_numpy(dtype=bool).copy()
    if _is_text(series):
        blank = series.astype("string").str.strip().eq("")
        mask |= blank.fillna(False).to_numpy(dtype=bool)
    return mask


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _values_text(values, limit: int = 5) -> str:
    return ", ".join(_show(v) for v in list(values)[:limit])


# --- Columns -------------------------------------------------------------------------------------


@dataclass
class _Column:
    column: str  # as written in the file
    variable: object  # openfisca Variable
    month: str | None  # "2022-07" for a month-suffixed column


def _input_variables(system) -> dict:
    """Variables a caseload may give: those without a formula, and the documented computed inputs."""
    return {
        name: variable
        for name, variable in system.variables.items()
        if not variable.formulas or name in COMPUTED_INPUTS
    }


def _suggest(name: str, candidates) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _classify(system, table: _Table, entity: str, reserved: tuple, household_columns_allowed: bool, other: str):
    """Sort the table's columns into this entity's inputs and (persons only) household inputs."""
    inputs = _input_variables(system)
    own, household = [], []
    names = [str(c) for c in table.frame.columns]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise table.error(f"columns {duplicated} appear more than once")
    for column in names:
        if column in reserved:
            continue
        spec = _column_spec(system, inputs, table, column, reserved)
        variable_entity = spec.variable.entity.key
        if variable_entity == entity:
            own.append(spec)
        elif household_columns_allowed and variable_entity == "household":
            household.append(spec)
        else:
            raise table.error(
                f"{spec.variable.name} is a {variable_entity} input; it belongs in {other}, not here",
                column,
            )
    return own, household


def _column_spec(system, inputs: dict, table: _Table, column: str, reserved: tuple) -> _Column:
    if column in inputs:
        return _Column(column, inputs[column], None)
    if column in system.variables:
        raise table.error(
            f"{column} is computed by the model, not an input; remove the column "
            f"(inputs a caseload may give instead of a formula: {', '.join(sorted(COMPUTED_INPUTS))})",
            column,
        )
    # A month suffix: the longest input name that the column starts with, then _YYYY_MM.
    prefixes = [name for name in inputs if column.startswith(name + "_") or column.startswith(name + "-")]
    if prefixes:
        name = max(prefixes, key=len)
        suffix = column[len(name) + 1 :]
        if any(ch.isdigit() for ch in suffix):
            match = _MONTH_SUFFIX.match(suffix)
            if not match or not 1 <= int(match.group(2)) <= 12:
                raise table.error(
                    f"bad month suffix {suffix!r}: a month column is <variable>_YYYY_MM, e.g. {name}_2022_07",
                    column,
                )
            variable = inputs[name]
            if variable.definition_period == ETERNITY:
                raise table.error(f"{name} holds for all time and cannot be given for one month", column)
            return _Column(column, variable, f"{match.group(1)}-{match.group(2)}")
    raise table.error(
        f"unknown column{_suggest(column, list(inputs) + list(reserved))}; columns are {', '.join(reserved)} "
        "and input variables (docs/analysts.md, 'Caseload files')",
        column,
    )


# --- Values --------------------------------------------------------------------------------------


def _default(variable):
    default = variable.default_value
    return default.index if variable.value_type is Enum else default


def _parse(table: _Table, spec: _Column, allow_empty: bool) -> tuple[np.ndarray, np.ndarray]:
    """The column's values in the variable's type (enum indices for enums), and where they are given."""
    series = table.frame[spec.column].reset_index(drop=True)
    variable = spec.variable
    factorised = None
    if _native(series):  # no text to strip, no NA but NaN: no copy
        values = series.to_numpy()
        empty = np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), dtype=bool)
    elif _is_text(series) and variable.value_type in (Enum, bool):
        # One factorisation finds the blank cells and, below, each distinct value's member or truth value.
        factorised = pd.factorize(series, use_na_sentinel=True)
        blank = np.array([_is_empty(v) for v in factorised[1]] + [True], dtype=bool)
        empty = blank[factorised[0]]  # code -1 (missing) picks the last entry
    else:
        empty = _empty_mask(series)
    nan_default = variable.value_type is float and np.isnan(float(variable.default_value))
    if empty.any() and not (allow_empty or nan_default):
        default = variable.default_value.name if variable.value_type is Enum else _default(variable)
        required = any(variable.name in names for names in REQUIRED_COLUMNS.values())
        hint = "" if required else f" (or leave out the column: every row then takes the default, {_show(default)})"
        raise table.error(f"empty cell; give a value on every row{hint}", spec.column, np.flatnonzero(empty))
    given = ~empty
    kind = variable.value_type
    if kind is Enum:
        return _parse_enum(table, spec, series, given, factorised), given
    if kind is bool:
        return _parse_bool(table, spec, series, given, factorised), given
    if kind in (int, float):
        return _parse_number(table, spec, series, given, kind), given
    raise table.error(
        f"{variable.name} has value type {kind.__name__}, which caseload files do not support", spec.column
    )


def _parse_number(table, spec, series, given, kind) -> np.ndarray:
    if pd.api.types.is_bool_dtype(series.dtype):
        raise table.error("expected numbers, found true/false values", spec.column)
    # Numbers already (not floats for whole numbers): checked and kept in their own dtype, no copy.
    native = _native(series) and series.dtype.itemsize >= 4 and not (kind is int and series.dtype.kind == "f")
    if native:
        numbers = series.to_numpy()
    else:
        numbers = pd.to_numeric(series.where(pd.Series(given)), errors="coerce").to_numpy(dtype=float)
        bad = given & np.isnan(numbers)
        if bad.any():
            rows = np.flatnonzero(bad)
            unit = " (元 per month)" if getattr(spec.variable, "unit", None) == "currency-CNY" else ""
            raise table.error(f"not a number{unit}: {_values_text(series.iloc[rows])}", spec.column, rows)
    bad = given & ~np.isfinite(numbers) if numbers.dtype.kind == "f" else None
    if bad is not None and bad.any():
        rows = np.flatnonzero(bad)
        raise table.error(f"not a finite number: {_values_text(series.iloc[rows])}", spec.column, rows)
    if kind is int and not native:
        bad = given & (numbers != np.round(numbers))
        if bad.any():
            rows = np.flatnonzero(bad)
            raise table.error(f"not a whole number: {_values_text(numbers[rows])}", spec.column, rows)
    checked = numbers if given.all() else np.where(given, numbers, 0)
    if checked.dtype.kind == "f" and any(checked.dtype.type(b) != b for b in input_bounds(spec.variable)):
        checked = checked.astype(float)  # a bound float32 cannot hold exactly: compare as float64 does
    bad = given & out_of_range(spec.variable, checked)
    if bad.any():
        rows = np.flatnonzero(bad)
        expected = range_text(spec.variable, symbols=True)
        raise table.error(
            f"{_values_text(numbers[rows])} outside the allowed range: expected a number {expected}", spec.column, rows
        )
    if kind is int and not native:
        return np.where(given, numbers, 0).astype(np.int64)
    return numbers


def _parse_bool(table, spec, series, given, factorised=None) -> np.ndarray:
    if pd.api.types.is_bool_dtype(series.dtype):  # numpy booleans as they are (no copy); missing ones false
        return series.to_numpy() if _native(series) else series.fillna(False).to_numpy(dtype=bool)
    positions, uniques = pd.factorize(series, use_na_sentinel=True) if factorised is None else factorised
    text = [str(v).strip().lower() for v in uniques] + ["none"]  # as str(None) for the missing cells
    true = np.array([t in _TRUE for t in text], dtype=bool)[positions]
    bad = given & ~true & ~np.array([t in _FALSE for t in text], dtype=bool)[positions]
    if bad.any():
        rows = np.flatnonzero(bad)
        raise table.error(f"expected true, false, 1 or 0, found {_values_text(series.iloc[rows])}", spec.column, rows)
    return true & given


def _parse_enum(table, spec, series, given, factorised=None) -> np.ndarray:
    enum = spec.variable.possible_values
    names = [member.name for member in enum]
    lookup = member_lookup(enum)
    positions, uniques = pd.factorize(series, use_na_sentinel=True) if factorised is None else factorised
    members = np.array([lookup.get(_stripped(v), -1) for v in uniques] + [-1], dtype=np.int16)
    codes = members[positions]  # code -1 (missing) picks the last entry, -1
    bad = given & (codes < 0)
    if bad.any():
        rows = np.flatnonzero(bad)
        unknown = pd.unique(series.iloc[rows].to_numpy(dtype=object))
        allowed = ", ".join(names[:40]) + (f" … ({len(names)} in all)" if len(names) > 40 else "")
        expected = allowed_values(enum, unknown[0]) or f"{_suggest(str(unknown[0]), names)}; allowed: {allowed}"
        raise table.error(
            f"unknown value{'s' if len(unknown) > 1 else ''} {_values_text(unknown)}{expected}",
            spec.column,
            rows,
        )
    return np.where(given, codes, _default(spec.variable)).astype(np.int16)


# --- Ids -----------------------------------------------------------------------------------------


def _id_keys(table: _Table, column: str) -> np.ndarray:
    """Ids to match on, after checking none is missing: integers when they are whole numbers, else stripped text."""
    if column not in table.frame:
        raise table.error(f"the column {column!r} is missing")
    series = table.frame[column].reset_index(drop=True)
    empty = _empty_mask(series)
    if empty.any():
        raise table.error("missing id", column, np.flatnonzero(empty))
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy().astype(str)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy()
        if values.dtype.kind in "iu":  # whole numbers already
            return values.astype(np.int64, copy=False)
        return values.astype(np.int64) if np.all(values == np.round(values)) else values.astype(str)
    return series.astype(str).str.strip().to_numpy(dtype=object)


def _comparable(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ids of two files as one kind, so that 7 in a Parquet file matches '7' in a CSV file."""
    if (a.dtype.kind == "i") == (b.dtype.kind == "i"):
        return a, b
    return a.astype(str).astype(object), b.astype(str).astype(object)


def _check_unique(table: _Table, column: str, keys: np.ndarray) -> None:
    if strictly_increasing(keys):
        return
    duplicated = pd.Series(keys).duplicated(keep=False).to_numpy()
    if duplicated.any():
        rows = np.flatnonzero(duplicated)
        raise table.error(f"duplicate ids {_values_text(pd.unique(keys[rows]))}; each must appear once", column, rows)


# --- Preparing a caseload ---------------------------------------------------------------------------


@dataclass
class _Input:
    variable: object
    base: tuple[np.ndarray, np.ndarray] | None = None  # values, given
    months: dict = field(default_factory=dict)  # "2022-07" → (values, given)

    def values(self, month: str, first: bool) -> np.ndarray | None:
        """The values for ``month``, or None when nothing is given for it (the variable's default applies)."""
        base = self.base
        if base is not None and self.variable.name in STATE_INPUTS and not first:
            base = None
        override = self.months.get(month)
        if override is None:
            return None if base is None else base[0]
        values, given = override
        if base is None:
            if given.all():
                return values
            fill = _default(self.variable)
            return np.where(given, values, fill)
        return np.where(given, values, base[0])


@dataclass
class PreparedCaseload:
    """A checked caseload: household rows of persons, weights and inputs by variable and month."""

    household_ids: np.ndarray
    person_ids: np.ndarray
    household_of_person: np.ndarray
    weights: np.ndarray
    inputs: dict  # variable name → _Input
    person_columns: Mapping = field(default_factory=dict)  # column → typed Series, person rows
    household_columns: Mapping = field(default_factory=dict)  # column → typed Series, household rows


def prepare_caseload(system, caseload: Caseload) -> PreparedCaseload:
    """Check ``caseload`` against ``system``'s variables and registry; raise CaseloadError on the first problem.

    When the caseload has no households table, it is built from the persons table's household
    columns and stored in ``caseload.households``.
    """
    persons = _Table(caseload.persons, caseload.persons_source, PERSON_ID)
    if len(persons.frame) == 0:
        raise persons.error("the persons table has no rows")
    person_keys = _id_keys(persons, PERSON_ID)
    _check_unique(persons, PERSON_ID, person_keys)
    person_household_keys = _id_keys(persons, HOUSEHOLD_ID)
    single_file = caseload.households is None or caseload.households_derived
    if not single_file and WEIGHT in persons.frame:
        raise persons.error(f"{WEIGHT} is a household column; it belongs in {caseload.households_source}", WEIGHT)
    reserved = (PERSON_ID, HOUSEHOLD_ID, WEIGHT) if single_file else (PERSON_ID, HOUSEHOLD_ID)
    where_household = "the households table" if single_file else caseload.households_source
    person_columns, household_columns = _classify(system, persons, "person", reserved, single_file, where_household)
    inputs: dict[str, _Input] = {}
    typed_persons, typed_households = TypedColumns(), TypedColumns()
    _add_inputs(inputs, persons, person_columns, typed_persons)

    if single_file:
        households, household_of_person, weights, present = _households_from_persons(
            caseload, persons, person_household_keys, household_columns, inputs, typed_persons, typed_households
        )
    else:
        households, household_of_person, weights, present = _households_table(
            system, caseload, persons, person_household_keys, inputs, typed_households
        )
    _check_required(persons, households, {spec.column for spec in person_columns}, present, single_file)

    return PreparedCaseload(
        household_ids=caseload.households[HOUSEHOLD_ID].to_numpy(),
        person_ids=caseload.persons[PERSON_ID].to_numpy(),
        household_of_person=household_of_person.astype(np.int64, copy=False),
        weights=weights,
        inputs=inputs,
        person_columns=typed_persons,
        household_columns=typed_households,
    )


def _households_from_persons(
    caseload, persons, person_household_keys, household_columns, inputs, typed_persons, typed_households
):
    """One file: the households table is each household's first person's household columns, which must agree
    across its members; stored in ``caseload.households``."""
    household_of_person = pd.factorize(person_household_keys)[0]
    _, first = np.unique(household_of_person, return_index=True)  # each household's first person
    household_specs = household_columns + ([_Column(WEIGHT, _WEIGHT_VARIABLE, None)] if WEIGHT in persons.frame else [])
    households_frame = persons.frame.iloc[first][
        [HOUSEHOLD_ID] + [spec.column for spec in household_specs]
    ].reset_index(drop=True)
    weights = np.ones(len(first))
    for spec in household_specs:
        values, given = _parse(persons, spec, allow_empty=_blanks_allowed(spec))
        _check_constant(persons, spec.column, household_of_person, first, values, given)
        typed_persons.parsed[spec.column] = (spec.variable, values, given)
        values, given = values[first], given[first]
        typed_households.parsed[spec.column] = (spec.variable, values, given)
        if spec.column == WEIGHT:
            weights = _check_weights(persons, values, first)
        else:
            _store(inputs, spec, values, given)
    caseload.households = households_frame
    caseload.households_derived = True
    households = _Table(households_frame, f"{caseload.persons_source} (household columns)", HOUSEHOLD_ID)
    present = {spec.column for spec in household_columns}
    return households, household_of_person, weights, present


def _households_table(system, caseload, persons, person_household_keys, inputs, typed_households):
    """Two files: the households table, checked against the persons' household_id."""
    households = _Table(caseload.households, caseload.households_source, HOUSEHOLD_ID)
    if len(households.frame) == 0:
        raise households.error("the households table has no rows")
    if PERSON_ID in households.frame:
        raise households.error(f"{PERSON_ID} belongs in {caseload.persons_source}, not here", PERSON_ID)
    household_keys = _id_keys(households, HOUSEHOLD_ID)
    _check_unique(households, HOUSEHOLD_ID, household_keys)
    own, _ = _classify(system, households, "household", (HOUSEHOLD_ID, WEIGHT), False, caseload.persons_source)
    household_keys, person_household_keys = _comparable(household_keys, person_household_keys)
    household_of_person = rows_of(household_keys, person_household_keys)
    orphans = np.flatnonzero(household_of_person < 0)
    if len(orphans):
        missing = pd.unique(person_household_keys[orphans])
        raise persons.error(
            f"household_id {_values_text(missing)} {'is' if len(missing) == 1 else 'are'} not in "
            f"{caseload.households_source}",
            HOUSEHOLD_ID,
            orphans,
        )
    counts = np.bincount(household_of_person, minlength=len(household_keys))
    empty = np.flatnonzero(counts == 0)
    if len(empty):
        raise households.error(
            f"no person in {caseload.persons_source} belongs to this household; every household needs at "
            "least one person (remove the row or add its members)",
            HOUSEHOLD_ID,
            empty,
        )
    _add_inputs(inputs, households, own, typed_households)
    weights = np.ones(len(household_keys))
    if WEIGHT in households.frame:
        values, given = _parse(households, _Column(WEIGHT, _WEIGHT_VARIABLE, None), allow_empty=False)
        weights = _check_weights(households, values, np.arange(len(values)))
        typed_households.parsed[WEIGHT] = (_WEIGHT_VARIABLE, values, given)
    present = {spec.column for spec in own}
    return households, household_of_person, weights, present


def _check_required(persons, households, person_present: set, household_present: set, single_file: bool) -> None:
    """Raise when a column every caseload gives (REQUIRED_COLUMNS) is missing."""
    for entity, table, columns in (
        ("person", persons, person_present),
        ("household", households, household_present),
    ):
        missing = [c for c in REQUIRED_COLUMNS[entity] if c not in columns]
        if missing:
            where = table if entity == "person" or not single_file else persons
            raise where.error(
                f"required column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))} "
                f"missing: every caseload gives {entity} {', '.join(REQUIRED_COLUMNS[entity])}"
            )


class _WeightVariable:
    """Stands in for a Variable when parsing the ``weight`` column."""

    name = WEIGHT
    value_type = float
    default_value = 1.0
    unit = None
    definition_period = ETERNITY


_WEIGHT_VARIABLE = _WeightVariable()


def _check_weights(table: _Table, values: np.ndarray, rows_in_table: np.ndarray) -> np.ndarray:
    negative = np.flatnonzero(values < 0)
    if len(negative):
        raise table.error(
            f"negative weight {_values_text(values[negative])}; a weight counts households and must be ≥ 0",
            WEIGHT,
            rows_in_table[negative],
        )
    return values.astype(float)


def _check_constant(table: _Table, column: str, household_of_person, first, values, given) -> None:
    """A household column on the persons table must be equal for every member of a household."""
    head = first[household_of_person]
    same = (given == given[head]) & ((values == values[head]) | ~given)
    if values.dtype.kind == "f":
        same |= np.isnan(values) & np.isnan(values[head])
    differs = np.flatnonzero(~same)
    if len(differs):
        rows = np.unique(np.concatenate([head[differs[:1]], differs]))
        household = table.frame[HOUSEHOLD_ID].iat[int(differs[0])]
        raise table.error(
            f"members of household_id {_show(household)} differ; a household column on the persons table must be "
            "equal for all members of a household (or give a households table)",
            column,
            rows,
        )


def _blanks_allowed(spec: _Column) -> bool:
    """A blank in a month column keeps the other value; a computed input (a formula) is replaced whole, so it has none."""
    return spec.month is not None and not spec.variable.formulas


def _add_inputs(inputs: dict, table: _Table, specs: list, typed: dict) -> None:
    for spec in specs:
        values, given = _parse(table, spec, allow_empty=_blanks_allowed(spec))
        _store(inputs, spec, values, given)
        typed.parsed[spec.column] = (spec.variable, values, given)


def _store(inputs: dict, spec: _Column, values, given) -> None:
    entry = inputs.setdefault(spec.variable.name, _Input(spec.variable))
    if spec.month is None:
        entry.base = (values, given)
    else:
        entry.months[spec.month] = (values, given)
