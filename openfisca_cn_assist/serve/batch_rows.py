"""The rows format of ``/calculate_batch``: caseload tables as JSON, checked like caseload files
(see :mod:`openfisca_cn_assist.serve.batch`)."""

from __future__ import annotations

import pandas as pd
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import MONTH
from openfisca_core.periods import period as as_period

from openfisca_cn_assist.caseload.model import HOUSEHOLD_ID, PERSON_ID, REQUIRED_COLUMNS, Caseload, CaseloadError
from openfisca_cn_assist.caseload.simulation import caseload_simulation, month_state_report
from openfisca_cn_assist.engine.divisions_in_force import mapped_codes
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.horizons import carried_by_output
from openfisca_cn_assist.engine.resolver import MissingParameterValueError
from openfisca_cn_assist.serve.batch_common import (
    BatchError,
    _check_household_count,
    _show,
    _suggest,
    check_period,
    input_error,
    json_values,
    missing_value_error,
    while_computing,
)

# --- Rows ----------------------------------------------------------------------------------------------


ROW_KEYS = ("persons", "households", "period", "variables")  # and carry_forward, taken out before


def _rows_frame(system, payload: dict, key: str) -> pd.DataFrame | None:
    rows = payload.get(key)
    if rows is None and key == "households":
        return None
    if not isinstance(rows, list) or not rows:
        raise BatchError(f"{key} must be a non-empty list of rows (objects)", key)
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise BatchError(f"a row must be an object of column: value, not {_show(row)}", f"{key}[{i}]")
    return pd.DataFrame.from_records(_with_defaults(system, rows))


def _with_defaults(system, rows: list) -> list:
    """Rows where a key some rows leave out is given its variable's default, as a column left out is.

    A key given as ``null`` stays a blank cell (an error unless the column allows blanks), and so does a
    left-out required column (age, has_able_supporter, jurisdiction, area) or one that is not a variable.
    """
    keys = set().union(*map(dict.keys, rows))
    if all(len(row) == len(keys) for row in rows):  # the usual case: every row has every key
        return rows
    required = {name for names in REQUIRED_COLUMNS.values() for name in names}
    defaults = {}
    for name in keys - required:
        variable = system.variables.get(name)
        if variable is not None:
            default = variable.default_value
            defaults[name] = default.name if variable.value_type is Enum else default
    if not defaults:
        return rows
    return [row if len(row) == len(keys) else {**defaults, **row} for row in rows]


def _requested(system, payload: dict) -> tuple[str, list]:
    """The month and the variables the rows format asks for, checked; 400 naming the key otherwise."""
    for key in payload:
        if key not in ROW_KEYS:
            raise BatchError(
                f"unexpected key {key!r}: the rows format has {', '.join(ROW_KEYS)}{_suggest(key, ROW_KEYS)}", key
            )
    period = payload.get("period")
    if not isinstance(period, str):
        raise BatchError('give the month to compute, e.g. "period": "2022-08"', "period")
    try:
        parsed = as_period(period)
    except ValueError as error:
        raise BatchError(f"{period!r} is not a period: {error}", "period") from None
    if parsed.unit != MONTH or parsed.size != 1:
        raise BatchError(f"the rows format computes one month, e.g. 2022-08, not {period!r}", "period")
    names = payload.get("variables")
    if not isinstance(names, list) or not names:
        raise BatchError(
            'give the outputs to compute, e.g. "variables": ["dibao_eligible", "dibao_benefit"]', "variables"
        )
    variables = []
    for i, name in enumerate(names):
        if not isinstance(name, str) or name not in system.variables:
            raise BatchError(f"unknown variable {_show(name)}{_suggest(name, system.variables)}", f"variables[{i}]")
        check_period(system.variables[name], period, f"variables[{i}]")
        variables.append(system.variables[name])
    return period, variables


def calculate_rows(system, payload: dict, max_households: int) -> dict:
    """The rows format: caseload tables as JSON, checked like caseload files, one simulation."""
    period, variables = _requested(system, payload)
    persons = _rows_frame(system, payload, "persons")
    households = _rows_frame(system, payload, "households")
    if households is not None:
        count = len(households)
    elif HOUSEHOLD_ID in persons:
        count = persons[HOUSEHOLD_ID].nunique(dropna=True)
    else:
        count = 0
    _check_household_count(count, max_households)
    caseload = Caseload(
        persons=persons, households=households, name="request", persons_source="persons", households_source="households"
    )
    try:
        simulation = caseload_simulation(system, caseload, period)
    except CaseloadError as error:
        raise _caseload_error(error) from None

    household_ids = simulation.household_ids.tolist()
    person_ids = simulation.person_ids.tolist()

    def labels(entity: str, rows) -> list[str]:
        ids = person_ids if entity == "person" else household_ids
        return [
            f"{entity}s[{int(r)}] ({PERSON_ID if entity == 'person' else HOUSEHOLD_ID} {ids[int(r)]!r})" for r in rows
        ]

    def ids_of(entity: str, rows) -> list[str]:
        ids = person_ids if entity == "person" else household_ids
        return [f"{PERSON_ID if entity == 'person' else HOUSEHOLD_ID} {ids[int(r)]!r}" for r in rows]

    computed = {}
    try:
        for variable in variables:
            computed[variable.name] = json_values(variable, simulation.calculate(variable.name, period))
    except MissingParameterValueError as error:
        raise while_computing(
            missing_value_error(error, labels, ids_of), simulation.household.members_entity_id
        ) from None
    except InputError as error:  # raised by a formula: an input the rules cannot use
        raise while_computing(input_error(error, labels, ids_of), simulation.household.members_entity_id) from None

    results = [{HOUSEHOLD_ID: household_id} for household_id in household_ids]
    household_outputs = [v.name for v in variables if v.entity.key == "household"]
    person_outputs = [v.name for v in variables if v.entity.key == "person"]
    for name in household_outputs:
        for result, value in zip(results, computed[name]):
            result[name] = value
    if person_outputs:
        household_of_person = simulation.household.members_entity_id
        for result in results:
            result["persons"] = []
        columns = [computed[name] for name in person_outputs]
        for p, h in enumerate(household_of_person.tolist()):
            row = {PERSON_ID: person_ids[p]}
            for name, values in zip(person_outputs, columns):
                row[name] = values[p]
            results[h]["persons"].append(row)
    carried = carried_by_output(simulation, [v.name for v in variables], period)
    return {
        "count": len(results),
        "period": period,
        "results": results,
        "_carried": carried,
        "_mapped": mapped_codes(simulation),
        "_month_state": month_state_report(simulation),
    }


def _caseload_error(error: CaseloadError) -> BatchError:
    source = (error.source or "").split(" ")[0] or None
    field = source
    if source and error.rows:
        field = f"{source}[{error.rows[0]}]"
    if field and error.column:
        field += f".{error.column}"
    return BatchError(str(error), field)
