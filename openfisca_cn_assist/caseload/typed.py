"""A checked caseload's columns as the readers return them: numbers, booleans and member names.

Made only when read (:class:`TypedColumns`): a simulation never reads them, and at 10⁶ households making
them took a third of a caseload's build.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from openfisca_core.indexed_enums import Enum


class TypedColumns(Mapping):
    """Column → typed Series, made when read: a simulation never reads them (the readers do)."""

    def __init__(self) -> None:
        self.parsed: dict[str, tuple] = {}  # column → (variable, values, given)

    def __getitem__(self, column: str) -> pd.Series:
        return typed_series(*self.parsed[column])

    def __iter__(self):
        return iter(self.parsed)

    def __len__(self) -> int:
        return len(self.parsed)


def typed_series(variable, values: np.ndarray, given: np.ndarray) -> pd.Series:
    """A parsed column as the reader returns it: numbers, booleans, member names; missing where empty."""
    complete = bool(given.all())
    if variable.value_type is Enum:
        names = np.array([member.name for member in variable.possible_values], dtype=object)[values]
        return pd.Series(np.where(given, names, None), dtype=object)
    if variable.value_type is bool:
        return pd.Series(values) if complete else pd.Series(values, dtype="boolean").where(pd.Series(given))
    if variable.value_type is int:
        values = values.astype(np.int64)  # numbers kept in the file's own dtype read as int64, as they always have
        return pd.Series(values) if complete else pd.Series(values, dtype="Int64").where(pd.Series(given))
    return pd.Series(np.where(given, values.astype(float), np.nan), dtype=float)
