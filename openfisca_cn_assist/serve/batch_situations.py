"""The situations format of ``/calculate_batch``: OpenFisca's ``/calculate`` situations read straight into
entity arrays, one simulation for all households (see :mod:`openfisca_cn_assist.serve.batch`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from openfisca_core.errors import PeriodMismatchError
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import key_period_size
from openfisca_core.periods import period as as_period

from openfisca_cn_assist.caseload.bulk import build_simulation
from openfisca_cn_assist.engine.divisions_in_force import mapped_codes
from openfisca_cn_assist.engine.enums import allowed_values, member_lookup
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.horizons import carried_by_output, merge_carried
from openfisca_cn_assist.engine.inputs import out_of_range, range_text
from openfisca_cn_assist.engine.resolver import MissingParameterValueError
from openfisca_cn_assist.serve.batch_common import (
    _ENTITIES,
    ROLE,
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

# --- Situations ----------------------------------------------------------------------------------------

_BAD_ID = re.compile(r"[/\x00-\x1f]")


def _check_id(instance_id: str, where: str) -> None:
    """An id is echoed as a JSON key and may name a row in a URL or a file: non-empty, without "/" or a control
    character (OpenFisca's builder and answers failed on them with a 500)."""
    if not instance_id or _BAD_ID.search(instance_id):
        raise BatchError(f"{_show(instance_id)} is not an id: give a non-empty name without '/'", where)


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

    def row_ids(self, entity_key: str, rows) -> list[str]:
        """Rows named by their ids alone (the same in any part of the request)."""
        entity = self.persons if entity_key == "person" else self.households
        return [f"{entity_key} {entity.refs[int(r)][1]!r}" for r in rows]

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
        for plural, instances in (("persons", persons), ("households", households)):
            for instance_id in instances:
                _check_id(instance_id, f"{where}{plural}.{instance_id}")
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
            lookup = member_lookup(variable.possible_values)
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
                        expected = allowed_values(variable.possible_values, value)
                        fail(
                            i,
                            f"unknown value {_show(value)} for {variable.name}"
                            + (expected or f"{_suggest(value, members)}; allowed: {allowed}"),
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
            bad = out_of_range(variable, numbers)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                expected = range_text(variable)
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
                except OverflowError:
                    fail(i, f"{variable.name} is {_show(value)}, outside the allowed range: {range_text(variable)}")
                except ValueError:
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
            raise while_computing(
                missing_value_error(error, self.row_labels, self.row_ids), self.household_of_person
            ) from None
        except InputError as error:  # raised by a formula: an input the rules cannot use
            raise while_computing(input_error(error, self.row_labels, self.row_ids), self.household_of_person) from None
        answer = self.results(computed["person"], computed["household"])
        asked = {(name, text) for entity in (self.persons, self.households) for name, text in entity.requests}
        answer["_carried"] = merge_carried(carried_by_output(simulation, [name], text) for name, text in sorted(asked))
        answer["_mapped"] = mapped_codes(simulation)
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


def check_situation(system, situation, max_households: int, prefix: str = "") -> SituationBatch:
    """Check one situation (OpenFisca's ``/calculate`` format) as ``/calculate_batch`` does, before any endpoint
    computes it: strict types (``"false"`` is not a boolean, 41.5 not an age), ranges, members, ids, periods.
    Raises :class:`BatchError` whose field is prefixed with ``prefix`` (``situation.`` in ``/explain``)."""
    try:
        batch = SituationBatch(system, [situation], False, max_households)
        batch.inputs()
    except BatchError as error:
        if error.field and prefix:
            error.field = prefix + error.field
        raise
    return batch
