"""Which outputs rest on values carried past their horizon.

A value holds only as far as its source supports it (its horizon, :mod:`openfisca_cn_assist.engine.resolver`).
A system that carries values forward (the ``carry_forward`` reform: ``carry_forward=True`` in Python,
``--carry-forward`` on the CLI, ``"carry_forward": true`` over HTTP) uses them past it, and every lookup
that does so records a :class:`CarriedValue` on the variable being computed. The record travels up to
every variable that reads that one, cached reads included, through a thin wrapper around the
simulation's tracer: OpenFisca reports the start and end of every ``calculate`` call to the tracer, so
the wrapper sees the whole dependency chain without a full trace. Nothing is installed, and nothing
costs anything, until a lookup first uses a stale value.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from openfisca_cn_assist.engine.options import with_option

CARRY_FORWARD_REFORM = "carry_forward"
CARRY_FORWARD_FLAG = "carry_forward_past_horizons"


def carrying_forward(system):
    """``system`` with the carry_forward reform applied, built once per system (its lookup tables too)."""
    return with_option(system, CARRY_FORWARD_REFORM, CARRY_FORWARD_FLAG)


@dataclass(frozen=True, order=True)
class CarriedValue:
    """One parameter's value used past its horizon for one jurisdiction at one date."""

    parameter: str
    jurisdiction: str
    date: str
    value: float
    horizon: str
    source_jurisdiction: str
    start: str

    def as_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        inherited = (
            "" if self.source_jurisdiction == self.jurisdiction else f" (inherited from {self.source_jurisdiction})"
        )
        return (
            f"{self.parameter} for {self.jurisdiction}{inherited} on {self.date}: {self.value:g} from {self.start}, "
            f"supported by its source only until {self.horizon}"
        )


class CarriedValueTracker:
    """Wraps a simulation's tracer: keeps a stack of the variables being computed and, when one ends,
    hands the carried values it rests on to the variable that asked for it."""

    def __init__(self, inner):
        self._inner = inner
        self._frames: list[tuple[str, str]] = [(f["name"], str(f["period"])) for f in inner.stack]
        self.carried: dict[tuple[str, str], set[CarriedValue]] = {}

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def record_calculation_start(self, variable, period) -> None:
        self._frames.append((variable, str(period)))
        self._inner.record_calculation_start(variable, period)

    def record_calculation_end(self) -> None:
        frame = self._frames.pop()
        if self._frames and frame in self.carried:
            self.carried.setdefault(self._frames[-1], set()).update(self.carried[frame])
        self._inner.record_calculation_end()

    def note(self, values: set[CarriedValue]) -> None:
        if self._frames:
            self.carried.setdefault(self._frames[-1], set()).update(values)


def note_carried(population, resolved, date: str, stale: np.ndarray, rows_jurisdictions: np.ndarray) -> None:
    """Record that the rows in jurisdictions ``rows_jurisdictions`` use ``resolved``'s stale values at ``date``."""
    used = np.unique(rows_jurisdictions)
    used = used[stale[used]]
    if not len(used):
        return
    keys = resolved.registry.keys
    values = set()
    for index in used:
        source = resolved.source(keys[index], date)
        values.add(
            CarriedValue(
                parameter=resolved.path,
                jurisdiction=keys[index],
                date=date,
                value=float(source.value),
                horizon=source.horizon,
                source_jurisdiction=source.source_jurisdiction,
                start=source.start,
            )
        )
    simulation = population.simulation
    tracker = simulation.tracer
    if not isinstance(tracker, CarriedValueTracker):
        tracker = CarriedValueTracker(tracker)
        simulation.tracer = tracker
    tracker.note(values)


def carried_values(simulation, variable: str, periods) -> list[CarriedValue]:
    """The values past their horizon that ``variable`` rests on over ``periods`` (a period or several)."""
    tracker = simulation.tracer
    if not isinstance(tracker, CarriedValueTracker):
        return []
    single = isinstance(periods, str) or hasattr(periods, "start")  # an OpenFisca Period is itself a tuple
    wanted = {str(p) for p in ([periods] if single else periods)}
    found: set[CarriedValue] = set()
    for (name, period), values in tracker.carried.items():
        if name == variable and period in wanted:
            found |= values
    return sorted(found)


def carried_by_output(simulation, variables, periods) -> dict[str, list[dict]]:
    """``{output: [carried value as a dict, …]}`` for the outputs that rest on a value past its horizon."""
    report = {}
    for variable in variables:
        values = carried_values(simulation, variable, periods)
        if values:
            report[variable] = [v.as_dict() for v in values]
    return report


def merge_carried(reports) -> dict[str, list[dict]]:
    """Several ``carried_by_output`` reports (partitions, scenarios) as one, each value listed once."""
    merged: dict[str, dict[tuple, dict]] = {}
    for report in reports:
        for output, values in (report or {}).items():
            for value in values:
                merged.setdefault(output, {})[tuple(sorted(value.items()))] = value
    return {output: [values[k] for k in sorted(values)] for output, values in sorted(merged.items())}


def describe_carried(report: dict[str, list[dict]]) -> list[str]:
    """One line per value carried past its horizon, with the outputs that rest on it."""
    users: dict[CarriedValue, list[str]] = {}
    for output, values in report.items():
        for value in values:
            users.setdefault(CarriedValue(**value), []).append(output)
    return [f"{value.describe()}; used by {', '.join(outputs)}" for value, outputs in sorted(users.items())]
