"""The caseload as data: its tables, the reserved column names, and the error every check raises.

The file format and the checks are described in :mod:`openfisca_cn_assist.caseload.columns`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from openfisca_cn_assist.engine.errors import InputError

PERSON_ID = "person_id"
HOUSEHOLD_ID = "household_id"
WEIGHT = "weight"
# Columns whose model defaults would silently change results (age 30; no able supporter, which makes
# every child and elderly person 特困; the national jurisdiction; urban): a caseload must give them.
REQUIRED_COLUMNS = {"person": ("age", "has_able_supporter"), "household": ("jurisdiction", "area")}
# The 渐退 state at the start of the first simulated month; later months carry it forward themselves.
STATE_INPUTS = frozenset({"dibao_recipient_last_month", "dibao_months_above_standard", "dibao_exit_base_benefit"})
# Variables with a formula that a caseload may give instead (docs/rules.md: "give it as an input").
COMPUTED_INPUTS = STATE_INPUTS | {
    "dibao_standard",
    "cpi_yoy",
    "food_cpi_yoy",
    "household_income_past_12_months",
    "previous_year_per_capita_disposable_income",
    "rigid_expenditure_to_income_threshold",
}
METADATA_KEY = b"openfisca_cn_assist"


class CaseloadError(InputError):
    """A caseload file the model cannot use; the message names the file, the column and the rows.

    ``source``, ``column`` and ``rows`` (0-based, when known) repeat them for programs (the Web API).
    """

    source: str | None = None
    column: str | None = None
    rows: list[int] | None = None


@dataclass
class Caseload:
    """Persons and households of a caseload, as DataFrames (see the module docstring for the columns).

    ``households`` may be None when household columns are on the persons table; reading or
    simulating then fills it in (one row per household, in order of first appearance) and sets
    ``households_derived``: the persons table stays the one to edit.
    """

    persons: pd.DataFrame
    households: pd.DataFrame | None = None
    name: str = "caseload"
    synthetic: bool = False
    description: str = ""
    persons_source: str = "persons table"
    households_source: str = "households table"
    metadata: dict = field(default_factory=dict)
    households_derived: bool = False

    @property
    def household_ids(self) -> np.ndarray:
        """Household ids in simulation order (the households table's order)."""
        if self.households is None:
            return pd.unique(self.persons[HOUSEHOLD_ID].to_numpy(dtype=object))
        return self.households[HOUSEHOLD_ID].to_numpy()

    @property
    def person_ids(self) -> np.ndarray:
        """Person ids in simulation order (the persons table's order)."""
        return self.persons[PERSON_ID].to_numpy()

    @property
    def weights(self) -> np.ndarray:
        if self.households is not None and WEIGHT in self.households:
            return self.households[WEIGHT].to_numpy(dtype=float)
        return np.ones(len(self.household_ids))

    def __repr__(self) -> str:
        kind = "SYNTHETIC " if self.synthetic else ""
        households = "?" if self.households is None else len(self.households)
        return f"<{kind}Caseload {self.name!r}: {len(self.persons)} persons, {households} households>"


# --- Error messages ------------------------------------------------------------------------------
