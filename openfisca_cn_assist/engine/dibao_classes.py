"""Class amounts (分档发放) of persons whose 低保 is paid by class."""

import numpy as np

from openfisca_cn_assist.engine.enums import DibaoClass
from openfisca_cn_assist.engine.errors import InputError, rows_text
from openfisca_cn_assist.engine.lookup import at_rows


def class_amounts(person, period, needed: np.ndarray, who: str) -> np.ndarray:
    """Each needed person's class amount (0 for the others); an unclassified needed person is an input error."""
    amount = np.zeros(person.count)
    rows = np.flatnonzero(needed)
    amount[rows] = class_amounts_at(person, period, rows, who)
    return amount


def class_amounts_at(person, period, rows: np.ndarray, who: str) -> np.ndarray:
    """The class amounts of the persons at ``rows`` (sorted), who all need one.

    Only those rows are read and looked up: a few per cent of all persons.
    """
    classes = np.asarray(person("dibao_class", period))[rows]
    unclassified = classes == DibaoClass.unclassified.index
    if unclassified.any():
        raise InputError(
            f"dibao_class: {who} in a jurisdiction that pays 低保 by class (分档发放) need class a, b or c; "
            f"person rows {rows_text(rows[unclassified])} are 'unclassified' in {period}."
        )
    amount = np.zeros(len(rows))
    for name in ("a", "b", "c"):
        in_class = classes == DibaoClass[name].index
        amount[in_class] = at_rows(person, period, f"dibao.class_amount_{name}", rows[in_class])
    return amount
