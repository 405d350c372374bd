"""Jurisdictional parameters read the way the parameter tree is shaped.

``p = jurisdictional(person, period).tekun`` then ``p.basic_standard_urban`` is the monthly value of
``parameters/tekun/basic_standard_urban/`` for each row of ``person``, as a dense array: the same
numbers, checks, trace records and horizon records as :mod:`openfisca_cn_assist.engine.lookup`, which
does the work (the resolver stays the single source of truth, so reforms, ``openfisca test`` and the
Web API see what formulas use).

* Attribute access walks the tree. A folder whose ``index.yaml`` says ``by_jurisdiction: true`` is a
  leaf and gives its lookup; a folder above such leaves is a node; anything else (a national
  parameter) raises :class:`NotJurisdictionalError`, since ``parameters(period)`` reads it already.
* **Breakdowns.** Sibling leaves that share a prefix (``care_rate_self_care``, ``care_rate_partial_care``
  …) read as one table: ``p.care_rate.partial_care`` is one column, ``p.care_rate[level]`` picks for
  each row the column named by its enum member (``SelfCareLevel.partial_care``), looking each column
  up only for the rows of that member. No folder is moved.
* **Needed rows.** In a formula of a variable that declares the rows it concerns (``defined_for``,
  :mod:`openfisca_cn_assist.engine.variable`), only those rows need a value: only they raise
  MissingParameterValueError, and when they are few only they are looked up. ``p.only(mask)`` narrows
  that further for one read (a limit that matters only for one disability category).
* **Absent values.** ``p.optional.x`` gives NaN where no jurisdiction in the chain has a value (also
  past its horizon): for alternatives, checked together by :meth:`Node.require_any`. ``p.if_set.x``
  is for a breakdown only some jurisdictions make (a grade-2 amount): NaN where none in the chain sets
  one, but a value past its horizon still raises, rather than let the general value stand in.
  ``p.only(mask).otherwise(0).x`` reads 0 for the rows outside the mask that have no value (a rate
  that only the employed use), filled on the jurisdictions' table as ``lookup.by_jurisdiction_or`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from openfisca_core.parameters import ParameterNode

from openfisca_cn_assist.engine import lookup
from openfisca_cn_assist.engine.resolver import resolver_for
from openfisca_cn_assist.engine.rows import Masked, Rows, population_of

REQUIRED, OPTIONAL, IF_SET = "required", "optional", "if_set"


class NotJurisdictionalError(AttributeError):
    """The path names a parameter or folder that is not jurisdictional (no ``by_jurisdiction`` below it)."""


class MissingBreakdownEntryError(ValueError):
    """Rows need a column of a breakdown that has none for their enum member."""


@dataclass(frozen=True)
class _Context:
    view: object  # a population, or a rows view of one (engine.rows)
    period: object
    mode: str = REQUIRED
    otherwise: float | None = None  # read for rows that need no value and have none (None: NaN)
    only: np.ndarray | None = None  # booleans over the view's rows: the rows that need this read

    def need(self) -> np.ndarray | None:
        """Booleans over the view's rows that need a value (None: all of them)."""
        outer = self.view.need if isinstance(self.view, Masked) else None
        if outer is None or self.only is None:
            return self.only if outer is None else outer
        return outer & self.only


def jurisdictional(population, period) -> Node:
    """The root of the parameter tree, reading jurisdictional parameters for ``population``'s rows."""
    return Node(_Context(population, period), population.simulation.tax_benefit_system.parameters, "")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class Node:
    """A folder of the parameter tree, read for one population and period."""

    def __init__(self, context: _Context, node: ParameterNode, path: str):
        self._context = context
        self._node = node
        self._path = path

    @property
    def optional(self) -> Node:
        """The same folder, reading NaN where no value is in force (for alternatives; see require_any)."""
        return Node(replace(self._context, mode=OPTIONAL), self._node, self._path)

    @property
    def if_set(self) -> Node:
        """The same folder, reading NaN where no jurisdiction in the chain sets a value (a breakdown that
        only some make); a value past its horizon still raises ValuePastHorizonError."""
        return Node(replace(self._context, mode=IF_SET), self._node, self._path)

    def otherwise(self, value: float) -> Node:
        """The same folder, reading ``value`` where no jurisdiction in the chain has one, for the rows that
        need none (those that need one still raise): a rate that only some rows use, 0 elsewhere. Filled on
        the jurisdictions' table, so that a value the same everywhere stays one value (no per-row array)."""
        return Node(replace(self._context, otherwise=float(value)), self._node, self._path)

    def only(self, rows: np.ndarray) -> Node:
        """The same folder, where only ``rows`` (booleans over the formula's rows) need a value."""
        rows = np.asarray(rows, dtype=bool)
        only = rows if self._context.only is None else self._context.only & rows
        return Node(replace(self._context, only=only), self._node, self._path)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        resolver = resolver_for(self._context.view.simulation.tax_benefit_system)
        path = _join(self._path, name)
        if path in resolver.resolved:
            return _lookup(self._context, path)
        child = self._node.children.get(name)
        if child is not None:
            if isinstance(child, ParameterNode) and any(p.startswith(path + ".") for p in resolver.resolved):
                return Node(self._context, child, path)
            raise NotJurisdictionalError(
                f"'{path}' is not a jurisdictional parameter (no 'by_jurisdiction: true' in its index.yaml): "
                f"read it with parameters(period).{path}"
            )
        entries = {
            key[len(name) + 1 :]: _join(self._path, key)
            for key in self._node.children
            if key.startswith(name + "_") and _join(self._path, key) in resolver.resolved
        }
        if entries:
            return Breakdown(self._context, path, entries)
        raise AttributeError(
            f"'{path}' is not in the parameter tree (under '{self._path or 'the root'}': "
            f"{', '.join(sorted(self._node.children))})"
        )

    def require_any(self, values: np.ndarray, *names: str) -> np.ndarray:
        """``values``, after checking that every row that needs a value has one (is not NaN): otherwise
        raise MissingParameterValueError naming each of ``names`` (the alternatives, relative to this
        folder, a breakdown's column as ``basic_standard.urban``), or ValuePastHorizonError where an
        alternative has a value only past its horizon."""
        missing = np.isnan(values)
        need = self._context.need()
        if need is not None:
            missing &= need
        if missing.any():
            view = self._context.view
            population = population_of(view)
            rows = view.rows_where(missing) if isinstance(view, (Rows, Masked)) else np.flatnonzero(missing)
            where = np.zeros(population.count, dtype=bool)
            where[rows] = True
            paths = [self._path_of(name) for name in names]
            lookup.require_any(population, self._context.period, np.where(where, np.nan, 0.0), where, paths)
        return values

    def _path_of(self, name: str) -> str:
        resolved = resolver_for(self._context.view.simulation.tax_benefit_system).resolved
        for path in (_join(self._path, name), _join(self._path, name.replace(".", "_"))):
            if path in resolved:
                return path
        raise AttributeError(f"'{_join(self._path, name)}' is not a jurisdictional parameter")


class Breakdown:
    """Sibling jurisdictional parameters ``<name>_<entry>`` read as one table keyed by entry."""

    def __init__(self, context: _Context, path: str, entries: dict[str, str]):
        self._context = context
        self._path = path
        self._entries = entries

    def __getattr__(self, entry: str) -> np.ndarray:
        if entry.startswith("_"):
            raise AttributeError(entry)
        if entry not in self._entries:
            raise AttributeError(f"'{self._path}' has no entry '{entry}' (entries: {', '.join(self._entries)})")
        return _lookup(self._context, self._entries[entry])

    def __getitem__(self, selector) -> np.ndarray:
        """For each row, the entry named by its member of ``selector`` (an OpenFisca enum array), in the
        enum's order; each entry is looked up only for the rows of its member. Booleans when every entry
        is a yes/no parameter (False for a row of no entry), else numbers (NaN for a row of no entry)."""
        members = getattr(selector, "possible_values", None)
        if members is None:
            raise TypeError(
                f"'{self._path}[…]' takes an enum array (person('self_care_level', period)), not {selector!r}"
            )
        codes = np.asarray(selector)
        need = self._context.need()
        dense = not isinstance(self._context.view, Rows)
        if dense and need is None and all(member.name in self._entries for member in members):
            return self._every_row(members, codes)
        population = population_of(self._context.view)
        flags = all(_is_flag(population, path) for path in self._entries.values())
        out = np.zeros(len(codes), dtype=bool) if flags else np.full(len(codes), np.nan)
        for member in members:
            rows = codes == member.index
            if need is not None:
                rows &= need
            if member.name not in self._entries:
                if self._context.mode == REQUIRED and rows.any():
                    raise MissingBreakdownEntryError(
                        f"'{self._path}' has no entry '{member.name}' (entries: {', '.join(self._entries)}); "
                        f"rows {_rows_text(self._context.view, rows)} need one"
                    )
                continue
            path = self._entries[member.name]
            if isinstance(self._context.view, Rows):  # integer positions: a gather and a scatter, no masks
                positions = np.flatnonzero(rows)
                out[positions] = _at_positions(self._context, path, positions)
            else:  # every row: one selection over the rows, cheaper than a boolean gather and scatter
                out = np.where(rows, _lookup(replace(self._context, only=rows), path), out)
        return out

    def _every_row(self, members, codes: np.ndarray) -> np.ndarray:
        """Every row needed and every member has an entry: each row is some member's, so the last member's
        values are the base and the others are selected over it (one np.where for urban/rural, as a
        formula written by hand would do; NaN-filling first costs a selection more per member)."""
        looked_up = []
        for member in members:  # in the enum's order, so that the first missing value raised is the same
            rows = codes == member.index
            looked_up.append((rows, _lookup(replace(self._context, only=rows), self._entries[member.name])))
        out = looked_up[-1][1]
        if len(looked_up) == 1:
            return np.array(out)  # a copy: a lookup may be a read-only broadcast of one value
        for rows, values in reversed(looked_up[:-1]):
            out = np.where(rows, values, out)
        return out


def _rows_text(view, flags: np.ndarray) -> str:
    rows = view.rows_where(flags) if isinstance(view, (Rows, Masked)) else np.flatnonzero(flags)
    return ", ".join(str(r) for r in rows[:5]) + (f" … ({len(rows)} in all)" if len(rows) > 5 else "")


def _is_flag(population, path: str) -> bool:
    node = resolver_for(population.simulation.tax_benefit_system)[path].node
    return (node.metadata or {}).get("unit") == "bool"


def _lookup(context: _Context, path: str) -> np.ndarray:
    """The value of ``path`` for the view's rows (NaN, or False for a yes/no parameter, outside ``only``)."""
    view, period = context.view, context.period
    population = population_of(view)
    flag = _is_flag(population, path)
    if isinstance(view, Rows):
        if context.only is None:
            return _at_rows(population, period, path, view.rows, context.mode, flag)
        positions = np.flatnonzero(context.only)
        out = np.zeros(view.count, dtype=bool) if flag else np.full(view.count, np.nan)
        out[positions] = _at_positions(context, path, positions)
        return out if flag or context.otherwise is None else np.nan_to_num(out, nan=context.otherwise)
    if context.otherwise is not None and context.mode == REQUIRED and not flag:
        return lookup.by_jurisdiction_or(population, period, path, context.otherwise, where=context.need())
    return _dense(population, period, path, context.need(), context.mode, flag)


def _at_positions(context: _Context, path: str, positions: np.ndarray) -> np.ndarray:
    """The value of ``path`` for the rows view's rows at ``positions`` only (integers into the view)."""
    population = population_of(context.view)
    rows = context.view.rows.take(positions)
    return _at_rows(population, context.period, path, rows, context.mode, _is_flag(population, path))


def _at_rows(population, period, path: str, rows: np.ndarray, mode: str, flag: bool) -> np.ndarray:
    if mode == IF_SET and not flag:
        return lookup.breakdown_at_rows(population, period, path, rows)
    values = lookup.at_rows(population, period, path, rows, required=mode == REQUIRED)
    return np.nan_to_num(values, nan=0.0) > 0 if flag else values


def _dense(population, period, path: str, need: np.ndarray | None, mode: str, flag: bool) -> np.ndarray:
    if flag:
        return lookup.flag_by_jurisdiction(population, period, path, where=need, required=mode == REQUIRED)
    values = lookup.by_jurisdiction(population, period, path, where=need, required=mode == REQUIRED)
    if mode == IF_SET:
        _raise_past_horizon(population, period, path, need)
    return values


def _raise_past_horizon(population, period, path: str, need: np.ndarray | None) -> None:
    """As :func:`lookup.breakdown_at_rows`: a value past its horizon is not "not set"."""
    resolved = resolver_for(population.simulation.tax_benefit_system)[path]
    date = str(period.start)
    stale = None if resolved.carry_forward else resolved.stale(date)
    if stale is None:
        return
    index = lookup.jurisdiction_index(population, period)
    past = stale[index] if need is None else stale[index] & need
    if past.any():
        raise resolved.missing_error(date, index[past], population.entity.key, np.flatnonzero(past))
