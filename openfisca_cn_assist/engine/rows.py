"""The rows a formula is evaluated for, when its variable declares the rows it concerns (``defined_for``).

:class:`openfisca_cn_assist.engine.variable.Variable` hands a formula one of two views of its population:

* :class:`Rows`, the needed rows only (few of them): every read gives those rows' values, so the
  formula's arithmetic and its parameter lookups cost in proportion to the rows concerned;
* :class:`Masked`, every row with a mask of the needed ones (many of them): reads are the population's
  own, dense; only the parameter accessor looks at the mask (rows outside it need no value).

A formula written for one works for the other: it reads inputs with ``person("x", period)`` or
``person.household("x", period)``, parameters with :func:`openfisca_cn_assist.engine.accessor.jurisdictional`,
and names rows in an error with :meth:`rows_where`, which gives the full simulation's row numbers.
"""

from __future__ import annotations

import numpy as np


class Rows:
    """The rows ``rows`` (sorted simulation row numbers) of a population, as a population of their own."""

    def __init__(self, population, rows: np.ndarray):
        self.population = population
        self.rows = rows
        self.count = len(rows)
        self.entity = population.entity
        self.simulation = population.simulation

    @property
    def need(self) -> None:
        """Every row of the view is needed."""
        return None

    def __call__(self, variable: str, period=None, options=None) -> np.ndarray:
        return self.population(variable, period, options)[self.rows]

    def take(self, values: np.ndarray) -> np.ndarray:
        """This view's rows of an array over the whole population."""
        return np.asarray(values)[self.rows] if np.ndim(values) else values

    def rows_where(self, flags: np.ndarray) -> np.ndarray:
        """The simulation row numbers of this view's rows where ``flags`` is true."""
        return self.rows[np.asarray(flags, dtype=bool)]

    def __getattr__(self, name: str):
        # A person's group (person.household): its values for these persons' groups only. Anything else
        # sized by the whole population (members_entity_id, ids, …) would silently misalign: refuse it.
        if self.entity.is_person and name in self.simulation.populations and name != self.entity.key:
            group = _GroupOfRows(self.simulation.populations[name], self.rows)
            setattr(self, name, group)  # kept: each read of the group then reuses the rows' group numbers
            return group
        raise AttributeError(
            f"'{name}' is not available in a formula evaluated for some rows only (a variable with defined_for): "
            "read variables with person('x', period) or person.household('x', period)"
        )


class _GroupOfRows:
    """``person.household`` for some persons: the household's value for each of them."""

    def __init__(self, group, rows: np.ndarray):
        self.group = group
        self.index = group.members_entity_id[rows]  # each person's group, gathered once for every read

    def __call__(self, variable: str, period=None, options=None) -> np.ndarray:
        return self.group(variable, period, options)[self.index]


class Masked:
    """Every row of ``population``; ``need`` marks those whose values matter (the others are discarded)."""

    def __init__(self, population, need: np.ndarray):
        self.population = population
        self.need = need
        self.count = population.count
        self.entity = population.entity
        self.simulation = population.simulation

    def __call__(self, variable: str, period=None, options=None) -> np.ndarray:
        return self.population(variable, period, options)

    def take(self, values: np.ndarray) -> np.ndarray:
        return values

    def rows_where(self, flags: np.ndarray) -> np.ndarray:
        return np.flatnonzero(np.asarray(flags, dtype=bool) & self.need)

    def __getattr__(self, name: str):
        return getattr(self.population, name)


def population_of(view):
    """The simulation's own population behind ``view`` (itself when it is one)."""
    return view.population if isinstance(view, (Rows, Masked)) else view
