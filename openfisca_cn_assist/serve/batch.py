"""Many households, one vectorised simulation: the Web API's ``POST /calculate_batch``.

Two request formats, both answered with one result per household, in input order:

* **situations**, OpenFisca's ``/calculate`` format: one situation with many households, a list of
  situations, or ``{"situations": [...]}``. Each ``null`` asks for a value, as in ``/calculate``,
  and each result is what ``/calculate`` answers for that household sent alone, without the inputs
  it echoes: the household's members and every value asked for. The situations are read straight
  into entity arrays (:func:`openfisca_cn_assist.caseload.bulk.build_simulation`), never one
  ``SimulationBuilder`` per household.
* **rows**, the caseload tables (README, "Caseload files") as JSON:
  ``{"persons": [{"person_id": …, "household_id": …, "age": …}, …], "households": [...],
  "period": "2022-08", "variables": ["dibao_benefit", …]}``, checked by :mod:`openfisca_cn_assist.caseload.readers`.

Bad input raises :class:`BatchError` with the offending field (``persons.p1.age.2022-08``,
``situations[3].households.h1.members[0]``, ``persons[2].area``); nothing is dropped or defaulted silently.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from openfisca_core.errors import PeriodMismatchError
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import ETERNITY, MONTH, key_period_size
from openfisca_core.periods import period as as_period

from openfisca_cn_assist.caseload.bulk import build_simulation
from openfisca_cn_assist.caseload.model import HOUSEHOLD_ID, PERSON_ID, Caseload, CaseloadError
from openfisca_cn_assist.caseload.simulation import caseload_simulation
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.horizons import carried_by_output, carrying_forward, merge_carried
from openfisca_cn_assist.engine.inputs import INPUT_BOUNDS
from openfisca_cn_assist.engine.resolver import MissingParameterValueError

ROLE = "members"  # the household's one role (entities.py)
_ENTITIES = ("persons", "households")


class BatchError(InputError):
    """A request the batch cannot compute. ``field`` names the offending part; ``status`` is the HTTP code."""

    def __init__(self, message: str, field: str | None = None, status: int = 400, **details):
        super().__init__(message)
        self.field = field
        self.status = status
        self.details = details

    def to_dict(self) -> dict:
        body = {"error": str(self)}
        if self.field is not None:
            body["field"] = self.field
        body.update(self.details)
        return body


def _check_household_count(count: int, max_households: int) -> None:
    if count > max_households:
        raise BatchError(
            f"{count} households in one request; this server takes at most {max_households} "
            "(cn-assist serve --max-households): split the batch",
            "households",
            status=413,
        )


def _suggest(name: str, candidates) -> str:
    close = difflib.get_close_matches(str(name), list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def json_values(variable, values) -> list:
    """Computed values as JSON, as OpenFisca's ``/calculate`` writes them (floats through their shortest text)."""
    if variable.value_type is Enum:
        return values.decode_to_str().tolist()
    values = np.asarray(values)
    if variable.value_type is float:
        # /calculate writes float(str(np.float32(x))): the float32's shortest repr, read back as a double.
        return values.astype(str).astype(float).tolist()
    if variable.value_type is str:
        return values.astype(str).tolist()
    return values.tolist()


def check_period(variable, text: str, field: str) -> None:
    """Raise when ``variable`` cannot be computed for the period ``text`` (a month variable for a year …)."""
    try:
        period = as_period(text)
    except (ValueError, TypeError) as error:
        raise BatchError(f"{text!r} is not a period: {error}", field) from None
    unit = variable.definition_period
    if unit == ETERNITY:
        return
    if period.unit != unit or period.size != 1:
        example = "2022-08" if unit == MONTH else "2022"
        raise BatchError(
            f"{variable.name} is defined per {unit}; ask for one {unit} (such as {example}), not {text!r}", field
        )


def missing_value_error(error: MissingParameterValueError, name_rows) -> BatchError:
    """A 422 naming the households that need a value no jurisdiction has (``name_rows(entity, rows)`` → labels)."""
    details = {}
    rows = getattr(error, "rows", None)
    if rows is not None and getattr(error, "entity", None):
        labels = name_rows(error.entity, np.asarray(rows)[:5])
        details = {"parameter": error.parameter, "date": error.date, error.entity + "s": labels}
        if getattr(error, "horizon", None):  # a value past its horizon: the request may opt in to carrying it
            details.update(
                horizon=error.horizon, value=error.value, carry_forward='send "carry_forward": true to use it'
            )
    message = str(error)
    if details:
        message += " (rows count the request's " + error.entity + "s from 0, in input order)"
    field = details.get(error.entity + "s", [None])[0] if details else None
    return BatchError(message, field, status=422, **details)


# --- Situations ----------------------------------------------------------------------------------------


@dataclass
class _Entity:
    key: str
    plural: str
    variables: dict
    refs: list = field(default_factory=list)  # (situation index, id) per row
    objects: list = field(default_factory=list)  # the request's dict per row
    given: dict = field(default_factory=dict)  # variable → period key → [(row, value), …]
    appenders: dict = field(default_factory=dict)  # variable → period text → that list's append
    requests: dict = field(default_factory=dict)  # (variable, period text) → rows asking for it


class SituationBatch:
    """Situations read into entity arrays, ready for one simulation."""

    def __init__(self, system, situations: list, listed: bool, max_households: int):
        self.system = system
        self.listed = listed
        by_entity = {}
        for variable in system.variables.values():
            by_entity.setdefault(variable.entity.key, {})[variable.name] = variable
        self.persons = _Entity("person", "persons", by_entity.get("person", {}))
        self.households = _Entity("household", "households", by_entity.get("household", {}))
        self._periods: dict[str, str] = {}
        self.situation_of_household: list[int] = []

        count = 0
        for s, situation in enumerate(situations):
            if not isinstance(situation, dict):
                raise BatchError("a situation must be an object with persons and households", self._where(s))
            households = situation.get("households")
            count += len(households) if isinstance(households, dict) else 0
        _check_household_count(count, max_households)
        household_of_person: list[int] = []
        for s, situation in enumerate(situations):
            self._read_situation(s, situation, household_of_person)
        if not self.households.refs:
            raise BatchError("no household: give at least one", self._where(None) + "households")
        self.household_of_person = np.asarray(household_of_person, dtype=np.int64)

    # Paths -----------------------------------------------------------------------------------------

    def _where(self, s: int | None) -> str:
        return f"situations[{s}]." if self.listed and s is not None else ""

    def path(self, entity: _Entity, row: int, *parts) -> str:
        s, instance_id = entity.refs[row]
        return self._where(s) + ".".join([entity.plural, str(instance_id), *map(str, parts)])

    def row_labels(self, entity_key: str, rows) -> list[str]:
        entity = self.persons if entity_key == "person" else self.households
        return [self.path(entity, int(r)) for r in rows]

    # Reading ---------------------------------------------------------------------------------------

    def _read_situation(self, s: int, situation: dict, household_of_person: list) -> None:
        where = self._where(s)
        for key in situation:
            if key not in _ENTITIES:
                hint = (
                    " (axes are not supported here: send the households themselves)"
                    if key == "axes"
                    else _suggest(key, _ENTITIES)
                )
                raise BatchError(
                    f"unexpected key {key!r}: a situation has persons and households{hint}", where + str(key)
                )
        persons, households = situation.get("persons"), situation.get("households")
        if not isinstance(persons, dict) or not persons:
            raise BatchError("persons must be a non-empty object of persons by id", where + "persons")
        if not isinstance(households, dict) or not households:
            raise BatchError(
                "households must be a non-empty object of households by id, each with its members: every person "
                "belongs to a household",
                where + "households",
            )
        first_person = len(self.persons.refs)
        rows = {}
        for person_id, instance in persons.items():
            rows[person_id] = self._read_instance(self.persons, s, person_id, instance)
        allocated = np.full(len(persons), -1, dtype=np.int64)
        for household_id, instance in households.items():
            if not isinstance(instance, dict):
                raise BatchError("a household must be an object", f"{where}households.{household_id}")
            members = instance.get(ROLE)
            if isinstance(members, (str, int)) and not isinstance(members, bool):
                members = [members]
            if not isinstance(members, list) or not members:
                raise BatchError(
                    f"give the household's {ROLE}: a non-empty list of person ids",
                    f"{where}households.{household_id}.{ROLE}",
                )
            row = self._read_instance(self.households, s, household_id, instance, skip=ROLE)
            self.situation_of_household.append(s)
            for i, person_id in enumerate(members):
                person_id = (
                    str(person_id) if isinstance(person_id, int) and not isinstance(person_id, bool) else person_id
                )
                if not isinstance(person_id, str) or person_id not in rows:
                    raise BatchError(
                        f"{person_id!r} is not a person of this situation{_suggest(person_id, rows)}",
                        f"{where}households.{household_id}.{ROLE}[{i}]",
                    )
                local = rows[person_id] - first_person
                if allocated[local] >= 0:
                    other = self.households.refs[allocated[local]][1]
                    raise BatchError(
                        f"person {person_id!r} is already a member of household {other!r}; a person belongs to one household",
                        f"{where}households.{household_id}.{ROLE}[{i}]",
                    )
                allocated[local] = row
        orphans = np.flatnonzero(allocated < 0)
        if len(orphans):
            ids = list(persons)
            names = ", ".join(repr(ids[i]) for i in orphans[:5])
            raise BatchError(
                f"{'person' if len(orphans) == 1 else 'persons'} {names} {'is' if len(orphans) == 1 else 'are'} in no "
                f"household; list every person in the {ROLE} of one household",
                f"{where}persons.{ids[orphans[0]]}",
            )
        household_of_person.extend(allocated.tolist())

    def _appender(self, entity: _Entity, row: int, name: str, text) -> object:
        """Where values of ``name`` for the period ``text`` go (checked once per distinct text)."""
        where = self.path(entity, row, name, text)
        if not isinstance(text, str):
            raise BatchError(f"{text!r} is not a period", where)
        try:
            key = str(as_period(text))
        except (ValueError, TypeError) as error:
            raise BatchError(f"{text!r} is not a period: {error}", where) from None
        self._periods[text] = key
        cell = entity.given.setdefault(name, {}).setdefault(key, [])
        append = entity.appenders[name][text] = cell.append
        return append

    def _request(self, entity: _Entity, row: int, name: str, text) -> None:
        targets = entity.requests.get((name, text))
        if targets is None:
            where = self.path(entity, row, name, text)
            if not isinstance(text, str):
                raise BatchError(f"{text!r} is not a period", where)
            check_period(entity.variables[name], text, where)
            targets = entity.requests[name, text] = []
        targets.append(row)

    def _read_instance(self, entity: _Entity, s: int, instance_id, instance, skip: str | None = None) -> int:
        """Record one person's or household's values: the hot loop of a large batch, kept lean."""
        row = len(entity.refs)
        entity.refs.append((s, instance_id))
        entity.objects.append(instance)
        if not isinstance(instance, dict):
            raise BatchError(f"a {entity.key} must be an object of variables", self.path(entity, row))
        appenders = entity.appenders
        for name, by_period in instance.items():
            by_text = appenders.get(name)
            if by_text is None:
                if name == skip:
                    continue
                if name not in entity.variables:
                    self._unknown_variable(entity, row, name)
                by_text = appenders[name] = {}
            if type(by_period) is not dict:
                raise BatchError(
                    f'{name} needs a value per period, e.g. {{"2022-08": …}} (or {{"ETERNITY": …}} for a value '
                    "that holds for all time)",
                    self.path(entity, row, name),
                )
            for text, value in by_period.items():
                if value is None:
                    self._request(entity, row, name, text)
                    continue
                append = by_text.get(text)
                if append is None:
                    append = self._appender(entity, row, name, text)
                append((row, value))
        return row

    def _unknown_variable(self, entity: _Entity, row: int, name: str):
        other = self.households if entity is self.persons else self.persons
        if name in other.variables:
            raise BatchError(
                f"{name} is a {other.key} variable; give it under {other.plural}", self.path(entity, row, name)
            )
        raise BatchError(
            f"unknown variable {name!r}{_suggest(name, entity.variables)}; the {entity.key} variables are listed at /variables",
            self.path(entity, row, name),
        )

    # Values ----------------------------------------------------------------------------------------

    def _field_of(self, entity: _Entity, name: str, key: str, row: int) -> str:
        by_period = entity.objects[row][name]
        text = next((t for t in by_period if self._periods.get(t) == key), key)
        return self.path(entity, row, name, text)

    def _array(self, entity: _Entity, variable, key: str, cell: list, count: int) -> np.ndarray:
        rows, values = zip(*cell)
        rows = np.asarray(rows, dtype=np.int64)

        def fail(i: int, message: str):
            raise BatchError(message, self._field_of(entity, variable.name, key, int(rows[i])))

        kind = variable.value_type
        types = set(map(type, values))  # the usual case, one JSON type, is converted without a Python loop
        if kind is Enum:
            members = [member.name for member in variable.possible_values]
            lookup = {name: i for i, name in enumerate(members)}
            if types == {str} and set(values) <= lookup.keys():
                codes = np.fromiter(map(lookup.__getitem__, values), dtype=np.int16, count=len(values))
            else:
                codes = np.empty(len(values), dtype=np.int16)
                for i, value in enumerate(values):
                    code = (
                        lookup.get(value, -1)
                        if isinstance(value, str)
                        else (value if type(value) is int and 0 <= value < len(members) else -1)
                    )
                    if code < 0:
                        allowed = ", ".join(members[:40]) + (f" … ({len(members)} in all)" if len(members) > 40 else "")
                        fail(
                            i,
                            f"unknown value {_show(value)} for {variable.name}{_suggest(value, members)}; allowed: {allowed}",
                        )
                    codes[i] = code
            array = np.full(count, variable.default_value.index, dtype=np.int16)
            array[rows] = codes
            return array
        if kind is bool:
            if types == {bool}:
                flags = np.array(values, dtype=bool)
            else:
                flags = np.empty(len(values), dtype=bool)
                for i, value in enumerate(values):
                    if type(value) in (bool, int, float) and value in (0, 1):
                        flags[i] = bool(value)
                    else:
                        fail(i, f"{variable.name} takes true or false, not {_show(value)}")
            array = np.full(count, variable.default_value, dtype=bool)
            array[rows] = flags
            return array
        if kind in (int, float):
            numbers = self._numbers(values, types, fail, variable)
            if kind is int:
                whole = numbers == np.round(numbers)
                if not whole.all():
                    i = int(np.flatnonzero(~whole)[0])
                    fail(i, f"{variable.name} takes a whole number, not {_show(values[i])}")
            low, high = INPUT_BOUNDS.get(variable.name, (None, None))
            bad = np.zeros(len(numbers), dtype=bool)
            if low is not None:
                bad |= numbers < low
            if high is not None:
                bad |= numbers > high
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                expected = f"between {low} and {high}" if high is not None else f"at least {low}"
                fail(
                    i, f"{variable.name} is {_show(values[i])}, outside the allowed range: expected a number {expected}"
                )
            array = np.full(count, variable.default_value, dtype=variable.dtype)
            array[rows] = numbers.astype(variable.dtype)
            return array
        # Other value types (none in this package today): OpenFisca's own check, value by value.
        array = variable.default_array(count)
        for i, value in enumerate(values):
            try:
                array[rows[i]] = variable.check_set_value(value)
            except ValueError as error:
                fail(i, f"{variable.name}: {error}")
        return array

    @staticmethod
    def _numbers(values: tuple, types: set, fail, variable) -> np.ndarray:
        unit = " (元 per month)" if getattr(variable, "unit", None) == "currency-CNY" else ""
        if not types <= {int, float}:  # numeric strings are read, as OpenFisca does; true/false are not numbers
            for i, value in enumerate(values):
                if type(value) not in (int, float, str):
                    fail(i, f"{variable.name} takes a number{unit}, not {_show(value)}")
        try:
            numbers = np.array(values, dtype=float)
        except (ValueError, OverflowError):
            numbers = None
        if numbers is None or numbers.shape != (len(values),):
            for i, value in enumerate(values):
                try:
                    float(value)
                except (ValueError, OverflowError):
                    fail(i, f"{variable.name} takes a number{unit}, not {_show(value)}")
        finite = np.isfinite(numbers)
        if not finite.all():
            i = int(np.flatnonzero(~finite)[0])
            fail(i, f"{variable.name} takes a finite number, not {_show(values[i])}")
        return numbers

    def _inputs(self, entity: _Entity) -> dict:
        count = len(entity.refs)
        inputs: dict[str, dict] = {}
        # Shorter periods first, as OpenFisca's builder does, so that a year's set_input fills only the other months.
        cells = [(name, key, cell) for name, by_key in entity.given.items() for key, cell in by_key.items()]
        for name, key, cell in sorted(cells, key=lambda item: key_period_size(as_period(item[1]))):
            inputs.setdefault(name, {})[key] = self._array(entity, entity.variables[name], key, cell, count)
        return inputs

    def inputs(self) -> tuple[dict, dict]:
        """Person and household inputs as arrays by variable and period; raises BatchError on a bad value."""
        return self._inputs(self.persons), self._inputs(self.households)

    def simulation(self):
        person_inputs, household_inputs = self.inputs()
        try:
            return build_simulation(self.system, self.household_of_person, person_inputs, household_inputs)
        except PeriodMismatchError as error:
            for entity in (self.persons, self.households):
                cell = entity.given.get(error.variable_name, {}).get(str(error.period))
                if cell:
                    raise BatchError(
                        error.message, self._field_of(entity, error.variable_name, str(error.period), cell[0][0])
                    ) from None
            raise BatchError(error.message) from None

    # Computing -------------------------------------------------------------------------------------

    def calculate(self) -> dict:
        """Compute every value asked for, once per (variable, period) over all households; see :meth:`results`."""
        simulation = self.simulation()
        computed = {}
        try:
            for entity in (self.persons, self.households):
                outputs = [{} for _ in entity.refs]
                for (name, text), rows in entity.requests.items():
                    values = json_values(entity.variables[name], simulation.calculate(name, text))
                    for row in rows:
                        by_period = outputs[row].get(name)
                        if by_period is None:
                            by_period = outputs[row][name] = {}
                        by_period[text] = values[row]
                computed[entity.key] = outputs
        except MissingParameterValueError as error:
            raise missing_value_error(error, self.row_labels) from None
        except InputError as error:  # raised by a formula: an input the rules cannot use
            raise BatchError(
                f"{error} (rows count the request's persons and households from 0, in input order)"
            ) from None
        answer = self.results(computed["person"], computed["household"])
        asked = {(name, text) for entity in (self.persons, self.households) for name, text in entity.requests}
        answer["_carried"] = merge_carried(carried_by_output(simulation, [name], text) for name, text in sorted(asked))
        return answer

    def results(self, person_outputs: list, household_outputs: list) -> dict:
        """One answer per household, in input order: /calculate's answer without the inputs it echoes.

        ``{"persons": {id: {variable: {period: value}}}, "households": {id: {"members": [...], variable: …}}}``
        with every value the household's situation asked for (``null``), and nothing else.
        """
        households = self.households
        order = np.argsort(self.household_of_person, kind="stable")
        bounds = np.searchsorted(self.household_of_person[order], np.arange(len(households.refs) + 1))
        person_refs = self.persons.refs
        results = []
        for h, (_, household_id) in enumerate(households.refs):
            members = order[bounds[h] : bounds[h + 1]].tolist()
            results.append(
                {
                    "persons": {person_refs[p][1]: person_outputs[p] for p in members},
                    "households": {household_id: {ROLE: households.objects[h][ROLE], **household_outputs[h]}},
                }
            )
        answer = {"count": len(results), "results": results}
        if self.listed:
            answer["situations"] = self.situation_of_household
        return answer


# --- Rows ----------------------------------------------------------------------------------------------


ROW_KEYS = ("persons", "households", "period", "variables")  # and carry_forward, taken out before


def _rows_frame(payload: dict, key: str) -> pd.DataFrame | None:
    rows = payload.get(key)
    if rows is None and key == "households":
        return None
    if not isinstance(rows, list) or not rows:
        raise BatchError(f"{key} must be a non-empty list of rows (objects)", key)
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise BatchError(f"a row must be an object of column: value, not {_show(row)}", f"{key}[{i}]")
    return pd.DataFrame.from_records(rows)


def calculate_rows(system, payload: dict, max_households: int) -> dict:
    """The rows format: caseload tables as JSON, checked like caseload files, one simulation."""
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

    persons = _rows_frame(payload, "persons")
    households = _rows_frame(payload, "households")
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

    computed = {}
    try:
        for variable in variables:
            computed[variable.name] = json_values(variable, simulation.calculate(variable.name, period))
    except MissingParameterValueError as error:
        raise missing_value_error(error, labels) from None
    except InputError as error:  # raised by a formula: an input the rules cannot use
        raise BatchError(f"{error} (rows count the persons and households rows from 0)") from None

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
    return {"count": len(results), "period": period, "results": results, "_carried": carried}


def _caseload_error(error: CaseloadError) -> BatchError:
    source = (error.source or "").split(" ")[0] or None
    field = source
    if source and error.rows:
        field = f"{source}[{error.rows[0]}]"
    if field and error.column:
        field += f".{error.column}"
    return BatchError(str(error), field)


# --- Entry point ---------------------------------------------------------------------------------------


CARRY_FORWARD_KEY = "carry_forward"


def _carry_forward_option(payload) -> bool:
    """Take the ``carry_forward`` option out of an object payload: true or false, nothing else."""
    if not isinstance(payload, dict) or CARRY_FORWARD_KEY not in payload:
        return False
    value = payload.pop(CARRY_FORWARD_KEY)
    if not isinstance(value, bool):
        raise BatchError(f"carry_forward must be true or false, got {_show(value)}", CARRY_FORWARD_KEY)
    return value


def calculate_batch(system, payload, max_households: int) -> dict:
    """Answer a ``/calculate_batch`` request (see the module docstring); raises :class:`BatchError`.

    ``"carry_forward": true`` (object payloads) uses values past their horizon instead of answering 422,
    and the answer's ``carried_forward`` lists, per output, the values it used past their horizon.
    """
    carry = _carry_forward_option(payload)
    if carry:
        system = carrying_forward(system)
    answer = _calculate_batch(system, payload, max_households)
    if carry:
        answer["carried_forward"] = answer.pop("_carried", {})
    else:
        answer.pop("_carried", None)
    return answer


def _calculate_batch(system, payload, max_households: int) -> dict:
    if isinstance(payload, list):
        return SituationBatch(system, payload, True, max_households).calculate()
    if not isinstance(payload, dict):
        raise BatchError("the request must be a JSON object or a list of situations")
    if "situations" in payload:
        extra = [k for k in payload if k != "situations"]
        if extra:
            raise BatchError(f"unexpected key {extra[0]!r} beside situations and carry_forward", extra[0])
        if not isinstance(payload["situations"], list) or not payload["situations"]:
            raise BatchError("situations must be a non-empty list of situations", "situations")
        return SituationBatch(system, payload["situations"], True, max_households).calculate()
    if isinstance(payload.get("persons"), list):
        return calculate_rows(system, payload, max_households)
    return SituationBatch(system, [payload], False, max_households).calculate()
