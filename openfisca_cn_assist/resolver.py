"""Jurisdiction resolution: dated parameters inherited county → prefecture → province → china.

A *jurisdictional parameter* is a parameter node whose ``index.yaml`` carries
``metadata: {by_jurisdiction: true}`` and whose children are jurisdiction keys, one file
each (``parameters/dibao/standard_urban/xishuangbanna.yaml``). The OpenFisca parameter tree
stays the single source of truth; this module derives from it, once per system, dense
tables ``value[segment, jurisdiction]`` so that a formula's lookup is one numpy take,
whatever the number of jurisdictions.

A jurisdiction without its own value at a date takes its parent's value at that date.
Values given per year (``metadata: {period: year}``) are converted to per month here, the
one place where that happens.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from openfisca_core.parameters import Parameter, ParameterNode

from .jurisdictions import Registry

PERIOD_DIVISORS = {None: 1.0, "month": 1.0, "year": 12.0}


class MissingParameterValueError(ValueError):
    """No jurisdiction in a household's chain has a value in force at the date."""


class ParameterLayoutError(ValueError):
    """A jurisdictional parameter folder is malformed (unknown jurisdiction, bad period)."""


@dataclass(frozen=True)
class ValueSource:
    """Where a resolved value comes from: which jurisdiction, which file, which dated entry."""

    parameter: str
    jurisdiction: str
    source_jurisdiction: str
    start: str
    value: float | bool
    monthly_value: float
    period: str | None
    unit: str | None
    file_path: str | None
    reference: list | str | None
    confidence: str | None
    note: str | None

    @property
    def inherited(self) -> bool:
        return self.source_jurisdiction != self.jurisdiction


def _period(parameter: Parameter, entry) -> str | None:
    """A dated value may be quoted per year where the rest of its file is per month."""
    return entry.metadata.get("period", parameter.metadata.get("period"))


class ResolvedParameter:
    """One jurisdictional parameter resolved for every jurisdiction and every dated segment."""

    def __init__(self, path: str, node: ParameterNode, registry: Registry):
        self.path = path
        self.node = node
        self.registry = registry
        self.own: dict[str, Parameter] = {}
        for key, child in node.children.items():
            if key not in registry:
                raise ParameterLayoutError(
                    f"{getattr(child, 'file_path', path)}: '{key}' under '{path}' is not a jurisdiction "
                    f"in the registry (known: {', '.join(registry.keys)})"
                )
            if not isinstance(child, Parameter):
                raise ParameterLayoutError(f"'{path}.{key}' must be a single dated parameter file")
            for entry in child.values_list:
                period = _period(child, entry)
                if period not in PERIOD_DIVISORS:
                    raise ParameterLayoutError(
                        f"{child.file_path} ({entry.instant_str}): metadata.period must be one of "
                        f"{sorted(p for p in PERIOD_DIVISORS if p)}, got {period!r}"
                    )
            self.own[key] = child
        self.dates = sorted({v.instant_str for p in self.own.values() for v in p.values_list})
        self._build_tables()

    def _own_entry(self, key: str, date: str):
        for entry in self.own[key].values_list:  # newest first
            if entry.instant_str <= date:
                return entry
        return None

    def _build_tables(self) -> None:
        n, segments = len(self.registry), len(self.dates)
        self.values = np.full((segments, n), np.nan)
        self.sources = np.full((segments, n), -1, dtype=np.int64)
        for s, date in enumerate(self.dates):
            own_values = np.full(n, np.nan)
            for key, parameter in self.own.items():
                entry = self._own_entry(key, date)
                if entry is not None and entry.value is not None:
                    divisor = PERIOD_DIVISORS[_period(parameter, entry)]
                    own_values[self.registry.index[key]] = float(entry.value) / divisor
            values, sources = self.values[s], self.sources[s]
            has_own = ~np.isnan(own_values)
            for level in self.registry.levels:
                parents = self.registry.parent_index[level]
                mine = has_own[level]
                values[level] = np.where(mine, own_values[level], values[parents] if parents[0] >= 0 else np.nan)
                sources[level] = np.where(mine, level, sources[parents] if parents[0] >= 0 else -1)

    def segment(self, date: str) -> int:
        """Index of the dated segment in force at ``date`` (YYYY-MM-DD), -1 before any value."""
        return bisect.bisect_right(self.dates, date) - 1

    def table(self, date: str) -> np.ndarray:
        s = self.segment(date)
        return self.values[s] if s >= 0 else self._all_missing

    @cached_property
    def _all_missing(self) -> np.ndarray:
        return np.full(len(self.registry), np.nan)

    def source(self, key: str, date: str) -> ValueSource | None:
        """Provenance of the value ``key`` uses at ``date``, or None when nothing is in force."""
        s = self.segment(date)
        if s < 0 or self.sources[s, self.registry.index[key]] < 0:
            return None
        source_key = self.registry.keys[self.sources[s, self.registry.index[key]]]
        parameter = self.own[source_key]
        entry = self._own_entry(source_key, date)
        metadata = entry.metadata or parameter.metadata
        return ValueSource(
            parameter=self.path,
            jurisdiction=key,
            source_jurisdiction=source_key,
            start=entry.instant_str,
            value=entry.value,
            monthly_value=float(self.values[s, self.registry.index[key]]),
            period=_period(parameter, entry),
            unit=parameter.metadata.get("unit"),
            file_path=parameter.file_path,
            reference=metadata.get("reference"),
            confidence=metadata.get("confidence"),
            note=metadata.get("note"),
        )

    def describe_availability(self) -> str:
        """Human-readable list of the jurisdictions and dates that do have values."""
        parts = []
        for key, parameter in self.own.items():
            spans, entries = [], list(reversed(parameter.values_list))
            for i, entry in enumerate(entries):
                if entry.value is None:
                    continue
                end = entries[i + 1].instant_str if i + 1 < len(entries) else None
                spans.append(f"from {entry.instant_str}" + (f" until {end}" if end else ""))
            parts.append(f"{key} ({'; '.join(spans) or 'no value'})")
        return ", ".join(parts) or "no jurisdiction has a value"

    def missing_error(self, date: str, jurisdiction_indices: np.ndarray, entity: str, rows: np.ndarray):
        keys = [self.registry.keys[i] for i in np.unique(jurisdiction_indices)]
        chains = "; ".join(" → ".join(self.registry.chain(k)) for k in keys)
        first = ", ".join(str(r) for r in rows[:5])
        return MissingParameterValueError(
            f"No value of parameter '{self.path}' is in force on {date} for "
            f"{', '.join(self.registry.label(k) for k in keys)} (searched {chains}). "
            f"Values exist for: {self.describe_availability()}. "
            f"{len(rows)} {entity}(s) need it, first rows: {first}. "
            f"Add the value to parameters/{self.path.replace('.', '/')}/<jurisdiction>.yaml "
            f"(with its source, or confidence: assumed), or give the dependent variable as an input."
        )


class JurisdictionResolver:
    """All jurisdictional parameters of one system's parameter tree, resolved once."""

    def __init__(self, parameters: ParameterNode, registry: Registry):
        self.parameters = parameters
        self.registry = registry
        self.resolved: dict[str, ResolvedParameter] = {}
        self._collect(parameters, "")

    def _collect(self, node: ParameterNode, prefix: str) -> None:
        for name, child in node.children.items():
            path = f"{prefix}{name}"
            if isinstance(child, ParameterNode):
                if (child.metadata or {}).get("by_jurisdiction"):
                    self.resolved[path] = ResolvedParameter(path, child, self.registry)
                else:
                    self._collect(child, path + ".")

    def __getitem__(self, path: str) -> ResolvedParameter:
        try:
            return self.resolved[path]
        except KeyError:
            raise KeyError(
                f"'{path}' is not a jurisdictional parameter (known: {', '.join(sorted(self.resolved))})"
            ) from None


def resolver_for(system) -> JurisdictionResolver:
    """The system's resolver, rebuilt when the parameter tree was replaced (as a reform does)."""
    resolver = system.__dict__.get("_jurisdiction_resolver")
    if resolver is None or resolver.parameters is not system.parameters:
        resolver = JurisdictionResolver(system.parameters, system.registry)
        system._jurisdiction_resolver = resolver
    return resolver


def refresh_resolver(system) -> JurisdictionResolver:
    """Resolve again after the parameter tree was changed in place (``node.add_child``, ``parameter.update``)."""
    system._jurisdiction_resolver = None
    return resolver_for(system)
