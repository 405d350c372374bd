"""Class amounts (分档发放) of persons whose 低保 is paid by class."""

import numpy as np

from .enums import DibaoClass
from .errors import InputError, rows_text
from .lookup import by_jurisdiction


def class_amounts(person, period, needed: np.ndarray, who: str) -> np.ndarray:
    """Each needed person's class amount; an unclassified needed person is an input error."""
    person_class = person("dibao_class", period)
    unclassified = needed & (person_class == DibaoClass.unclassified)
    if unclassified.any():
        raise InputError(
            f"dibao_class: {who} in a jurisdiction that pays 低保 by class (分档发放) need class a, b or c; "
            f"person rows {rows_text(np.flatnonzero(unclassified))} are 'unclassified' in {period}."
        )
    amount = np.zeros(len(person_class))
    for name in ("a", "b", "c"):
        in_class = needed & (person_class == DibaoClass[name])
        class_amount = by_jurisdiction(person, period, f"dibao.class_amount_{name}", where=in_class)
        amount = np.where(in_class, class_amount, amount)
    return amount
