"""One traced simulation of a situation and what its trace says."""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.periods import period as as_period
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.outputs import declared_outputs, yearly_outputs
from openfisca_cn_assist.engine.programmes import check_known_in
from openfisca_cn_assist.engine.resolver import (
    MissingParameterValueError,
    resolver_for,
)
from openfisca_cn_assist.serve.explain.model import (
    _MISSING,
    HOUSEHOLD_STEPS,
    LABELS,
    PERSON_STEPS,
)

# ---------------------------------------------------------------------------------------------
# One traced simulation and what its trace says
# ---------------------------------------------------------------------------------------------


class _Missing(Exception):
    """A value the account needs is not in the trace: its computation failed (or never ran)."""

    def __init__(self, variable: str, period: str):
        super().__init__(variable)
        self.variable = variable
        self.period = period


class _Run:
    """A situation simulated for one month with the tracer on, and an index of its trace."""

    def __init__(self, system, situation: dict, period):
        self.system = system
        self.resolver = resolver_for(system)
        self.period = period
        self.month = str(period)
        self.date = str(period.start)
        self.simulation = SimulationBuilder().build_from_entities(system, situation)
        self.simulation.trace = True
        # what the user gave, before anything is computed (a formula variable may be given as an input)
        self.inputs = {
            (name, str(known))
            for population in self.simulation.populations.values()
            for name, holder in population._holders.items()
            for known in holder.get_known_periods()
        }
        self.errors: dict[str, Exception] = {}
        self.yearly = yearly_outputs(system)
        self.labels = _labels(system)
        for name in _stated(system):
            try:
                if name in self.yearly:  # paid once a year in an unknown month: known only when 0 all year
                    check_known_in(self.simulation, name, period)
                    continue
                self.simulation.calculate(name, period)
            except (MissingParameterValueError, InputError) as error:
                self.errors[name] = error
        # The first node of a (variable, period) in the trace with a value is where it was computed
        # (later requests read the cache); a node without a value is a computation that failed.
        self.nodes: dict[tuple[str, str], Any] = {}
        self.failed: dict[tuple[str, str], Any] = {}
        for node in self.simulation.tracer.browse_trace():
            key = (node.name, str(node.period))
            if node.value is not None:
                self.nodes.setdefault(key, node)
            else:
                self.failed.setdefault(key, node)

    def given(self, name: str, month: str | None = None) -> bool:
        return (name, month or self.month) in self.inputs

    def value(self, name: str, row: int, month: str | None = None):
        month = month or self.month
        node = self.nodes.get((name, month))
        if node is None:
            raise _Missing(name, month)
        values = node.value
        if isinstance(values, EnumArray):
            return str(values.decode_to_str()[row])
        value = values[row]
        if isinstance(value, (bool, np.bool_)):
            return bool(value)
        if isinstance(value, (int, np.integer)):
            return int(value)
        return float(value)

    def lookup(self, variable: str, path: str, row: int, month: str | None = None) -> float | None:
        """The value of jurisdictional parameter ``path`` that ``variable``'s formula looked up for ``row``."""
        month = month or self.month
        node = self.nodes.get((variable, month)) or self.failed.get((variable, month))
        if node is None:
            return None
        date = str(as_period(month).start)
        for parameter in reversed(node.parameters):
            if parameter.name == path and str(parameter.period) == date:
                return float(parameter.value[row])
        return None

    def cause(self, variable: str, month: str, rows: dict[str, list[int]]):
        """The computation that raised (the deepest failed node) and the lookups it found missing,
        as (parameter, date) pairs."""
        error = self.errors.get(variable)
        node = self.failed.get((variable, month))
        if node is None:
            return variable, [], error
        while True:
            failed_children = [c for c in node.children if c.value is None]
            if not failed_children:
                break
            node = failed_children[-1]  # the call that raised is the last one the formula made
        entity = self.system.variables[node.name].entity.key
        missing = []
        for parameter in node.parameters:
            values = np.asarray(parameter.value, dtype=float)[rows.get(entity, [])]
            if np.isnan(values).any() and (parameter.name, str(parameter.period)) not in missing:
                missing.append((parameter.name, str(parameter.period)))
        if not isinstance(error, MissingParameterValueError):
            return node.name, [], error
        if missing:
            # one lookup raised (the last); require_any raises after several optional ones
            return node.name, missing if str(error).startswith("None of the alternatives") else missing[-1:], error
        # raised after the lookups (a monthly series used outside its month): the error names them
        if getattr(error, "parameter", None) and getattr(error, "date", None):
            return node.name, [(error.parameter, error.date)], error
        return node.name, list(dict.fromkeys(_MISSING.findall(str(error)))), error


# ---------------------------------------------------------------------------------------------
# Building the account of one household
# ---------------------------------------------------------------------------------------------


def _stated(system) -> list[str]:
    """Every variable the account may state, in the order it is computed: each entity's steps, then its outputs."""
    return [
        *HOUSEHOLD_STEPS,
        *(o.name for o in declared_outputs(system, entity="household") if o.name not in HOUSEHOLD_STEPS),
        *PERSON_STEPS,
        *(o.name for o in declared_outputs(system, entity="person") if o.name not in PERSON_STEPS),
    ]


def _labels(system) -> dict[str, tuple[str, str]]:
    """The short (zh, en) label of each variable the account states: declared on the outputs, or LABELS."""
    return {
        **LABELS,
        **{o.name: o.declaration.short_label for o in declared_outputs(system) if o.declaration.short_label},
    }


def _split_label(text: str | None) -> tuple[str, str]:
    if not text:
        return "", ""
    zh, _, en = text.partition(" / ")
    return zh.strip(), (en or zh).strip()
