"""A caseload simulation's rows named as the caseload's reader names them: the 1-based row of the input table,
with the row's id (``6 (person_id 5)``), so that a message about the rules reads like one about the file.

The engine's errors keep the rows they concern as positions (:class:`~openfisca_cn_assist.engine.errors.NamesRows`);
:class:`InputRows` turns a position into that name. A partition of a larger caseload knows where its rows sit in
the input (its first household's row, its members' rows) and says so, so that a row is named the same whether
the caseload ran whole or in partitions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from openfisca_cn_assist.caseload.model import HOUSEHOLD_ID, PERSON_ID

ID_COLUMNS = {"person": PERSON_ID, "household": HOUSEHOLD_ID}


@dataclass(frozen=True, eq=False)
class InputRows:
    """Per entity: the ids of the simulation's rows and, where the rows come from a table, each one's 0-based row
    in it (``None``: not from a table, e.g. households derived from the persons table or a SYNTHETIC caseload,
    named by id alone) and the table's name when it is one file among several."""

    ids: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    household_of_person: np.ndarray | None = None  # names a person without an id by their household

    def namer(self, entity: str | None) -> Callable[[int], str]:
        ids, rows, table = self.ids.get(entity), self.rows.get(entity), self.tables.get(entity)
        column = ID_COLUMNS.get(entity, "id")
        households = self.ids.get("household")
        if ids is None and entity == "person" and self.household_of_person is not None and households is not None:
            return lambda position: f"a member of {HOUSEHOLD_ID} {households[self.household_of_person[position]]}"
        if ids is None:
            return str
        if rows is None:
            return lambda position: f"{column} {ids[position]}"
        where = f" of {table}" if table else ""
        return lambda position: f"{int(rows[position]) + 1}{where} ({column} {ids[position]})"

    def word(self, error, count: int | None = None) -> str:
        """``error``'s message with its rows named as the input's and the jurisdiction chains searched in front
        (a caseload's reader looks for its households' own chain first); ``count`` replaces its number of rows."""
        worded = getattr(error, "worded", None)
        if worded is None:
            return str(error)
        return worded(self.namer(getattr(error, "entity", None)), count, chains_first=True)

    def shifted(self, households: int, person_rows: np.ndarray | None) -> InputRows:
        """The same rows placed in a larger input: households from row ``households``, members at ``person_rows``."""
        rows = dict(self.rows)
        if rows.get("household") is not None:
            rows["household"] = rows["household"] + households
        if person_rows is not None and rows.get("person") is not None:
            rows["person"] = np.asarray(person_rows)[rows["person"]]
        return InputRows(self.ids, rows, self.tables, self.household_of_person)


def caseload_rows(caseload, household_ids, person_ids, table: bool = False) -> InputRows:
    """The rows of a simulation built from ``caseload`` (whose person and household rows follow its tables).

    ``table``: name the tables (a partition read from its own files, one file among several)."""
    persons = np.arange(len(person_ids))
    households = None if caseload.households_derived else np.arange(len(household_ids))
    tables = {}
    if table:
        tables = {"person": caseload.persons_source, "household": caseload.households_source}
    return InputRows(
        ids={"person": np.asarray(person_ids), "household": np.asarray(household_ids)},
        rows={"person": persons, "household": households},
        tables=tables,
    )


def id_rows(household_ids, person_ids=None, household_of_person=None) -> InputRows:
    """Rows named by id alone (a caseload given as arrays, a SYNTHETIC one); persons without ids by household."""
    persons = None if person_ids is None else np.asarray(person_ids)
    return InputRows(
        ids={"person": persons, "household": np.asarray(household_ids)},
        household_of_person=None if household_of_person is None else np.asarray(household_of_person),
    )


def input_rows(simulation) -> InputRows:
    """How ``simulation`` names its rows: as set where it was built, else by the ids it carries, else by position."""
    known = getattr(simulation, "input_rows", None)
    if known is not None:
        return known
    household_ids = getattr(simulation, "household_ids", None)
    person_ids = getattr(simulation, "person_ids", None)
    if household_ids is None or person_ids is None:
        return InputRows()
    return id_rows(household_ids, person_ids)
