"""Jurisdiction resolution: dated parameters inherited county → prefecture → province → china.

A *jurisdictional parameter* is a parameter node whose ``index.yaml`` carries
``metadata: {by_jurisdiction: true}`` and whose children are jurisdiction keys, one file
each (``parameters/dibao/standard_urban/xishuangbanna.yaml``). The OpenFisca parameter tree
stays the single source of truth; this module derives from it dense tables
``value[jurisdiction]``, one per dated segment (a span between two dates at which some
jurisdiction's value changes), built once on first use and cached per system, so that a
formula's lookup is one numpy take, whatever the number of jurisdictions.

A jurisdiction without its own value at a date takes its parent's value at that date.
Values given per year (``metadata: {period: year}``) are converted to per month here, the
one place where that happens. Amounts given per case (``period: case``, such as a 临时救助 approval
limit) are not time rates and are used as they are.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from openfisca_core.parameters import Parameter, ParameterNode

from .jurisdictions import Registry

PERIOD_DIVISORS = {None: 1.0, "month": 1.0, "year": 12.0, "case": 1.0}
# Derived from the files and the registry when the system loads (never written to YAML): shown by the Web API.
RESOLVED_METADATA_KEY = "value_sources"
RESOLVED_DESCRIPTION = (
    "Derived when the system loads, not read from a file. For each jurisdiction, from each date on which it "
    "changes: the jurisdiction whose values it uses (its own key; the nearest ancestor with a value in force, "
    "from which it inherits; or null, no value anywhere in its chain). The values, their references and "
    "confidence are in that jurisdiction's file, /parameter/<this parameter>/<source>. `cn-assist serve` lists "
    "every jurisdiction's value at a date with its source at /jurisdiction_values/<this parameter>?date=YYYY-MM-DD."
)
_DAYS_OFFSET = 1 << 20  # days since 1970 shifted positive, so (jurisdiction, day) packs into one sortable int
_DAYS_SPAN = 1 << 21


class MissingParameterValueError(ValueError):
    """No jurisdiction in a household's chain has a value in force at the date.

    ``parameter``, ``date``, ``entity`` and ``rows`` (the simulation rows that need the value) say
    which, so that a caller can name the households in its own terms (the Web API does).
    """

    parameter: str | None = None
    date: str | None = None
    entity: str | None = None
    rows: np.ndarray | None = None


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
        self._index_entries()
        self._segments: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _own_entry(self, key: str, date: str):
        for entry in self.own[key].values_list:  # newest first
            if entry.instant_str <= date:
                return entry
        return None

    def _index_entries(self) -> None:
        """Every own dated value as flat arrays sorted by (jurisdiction, date), for vectorised lookups."""
        jurisdiction, day, value = [], [], []
        for key, parameter in self.own.items():
            for entry in reversed(parameter.values_list):  # oldest first
                jurisdiction.append(self.registry.index[key])
                day.append(np.datetime64(entry.instant_str, "D").astype(np.int64))
                monthly = np.nan if entry.value is None else float(entry.value) / PERIOD_DIVISORS[_period(parameter, entry)]
                value.append(monthly)
        jurisdiction, day = np.array(jurisdiction, dtype=np.int64), np.array(day, dtype=np.int64)
        order = np.lexsort((day, jurisdiction))
        self._entry_jurisdiction = jurisdiction[order]
        self._entry_key = self._composite(jurisdiction, day)[order]
        self._entry_value = np.array(value, dtype=float)[order]

    @staticmethod
    def _composite(jurisdiction, day):
        return jurisdiction * _DAYS_SPAN + (day + _DAYS_OFFSET)

    def _segment_tables(self, segment: int) -> tuple[np.ndarray, np.ndarray]:
        """Values and source-jurisdiction indices of every jurisdiction in a dated segment, built once."""
        cached = self._segments.get(segment)
        if cached is not None:
            return cached
        n = len(self.registry)
        everyone = np.arange(n, dtype=np.int64)
        day = np.datetime64(self.dates[segment], "D").astype(np.int64)
        # The latest own entry on or before the date, if it belongs to the same jurisdiction.
        position = np.searchsorted(self._entry_key, self._composite(everyone, day), side="right") - 1
        clipped = np.clip(position, 0, None)
        found = (position >= 0) & (self._entry_jurisdiction[clipped] == everyone) if len(self._entry_key) else np.zeros(n, bool)
        own_values = np.where(found, self._entry_value[clipped] if len(self._entry_key) else np.nan, np.nan)
        has_own = ~np.isnan(own_values)
        values, sources = np.full(n, np.nan), np.full(n, -1, dtype=np.int64)
        for level in self.registry.levels:
            parents = self.registry.parent_index[level]
            mine = has_own[level]
            inherited_values = values[parents] if parents[0] >= 0 else np.nan
            inherited_sources = sources[parents] if parents[0] >= 0 else -1
            values[level] = np.where(mine, own_values[level], inherited_values)
            sources[level] = np.where(mine, level, inherited_sources)
        self._segments[segment] = (values, sources)
        return values, sources

    def sources_at(self, date: str) -> np.ndarray:
        """Index of the jurisdiction whose value each jurisdiction uses at ``date`` (-1: none)."""
        s = self.segment(date)
        return self._segment_tables(s)[1] if s >= 0 else np.full(len(self.registry), -1, dtype=np.int64)

    def segment(self, date: str) -> int:
        """Index of the dated segment in force at ``date`` (YYYY-MM-DD), -1 before any value."""
        return bisect.bisect_right(self.dates, date) - 1

    def table(self, date: str) -> np.ndarray:
        """Monthly value of every jurisdiction at ``date`` (NaN where none is in force), by jurisdiction index."""
        s = self.segment(date)
        return self._segment_tables(s)[0] if s >= 0 else self._all_missing

    @cached_property
    def _all_missing(self) -> np.ndarray:
        return np.full(len(self.registry), np.nan)

    def source(self, key: str, date: str) -> ValueSource | None:
        """Provenance of the value ``key`` uses at ``date``, or None when nothing is in force."""
        s = self.segment(date)
        if s < 0:
            return None
        values, sources = self._segment_tables(s)
        i = self.registry.index[key]
        if sources[i] < 0:
            return None
        source_key = self.registry.keys[sources[i]]
        parameter = self.own[source_key]
        entry = self._own_entry(source_key, date)
        # A dated value's own metadata (often just confidence and note) overrides the file's field by
        # field; the file's reference still applies to it.
        own, shared = entry.metadata or {}, parameter.metadata or {}
        return ValueSource(
            parameter=self.path,
            jurisdiction=key,
            source_jurisdiction=source_key,
            start=entry.instant_str,
            value=entry.value,
            monthly_value=float(values[i]),
            period=_period(parameter, entry),
            unit=parameter.metadata.get("unit"),
            file_path=parameter.file_path,
            reference=own.get("reference", shared.get("reference")),
            confidence=own.get("confidence", shared.get("confidence")),
            note=own.get("note", shared.get("note")),
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
        error = MissingParameterValueError(
            f"No value of parameter '{self.path}' is in force on {date} for "
            f"{', '.join(self.registry.label(k) for k in keys)} (searched {chains}). "
            f"Values exist for: {self.describe_availability()}. "
            f"{len(rows)} {entity}(s) need it, first rows: {first}. "
            f"Add the value to parameters/{self.path.replace('.', '/')}/<jurisdiction>.yaml "
            f"(with its source, or confidence: assumed), or give the dependent variable as an input."
        )
        error.parameter, error.date, error.entity, error.rows = self.path, date, entity, np.asarray(rows)
        return error

    def values_at(self, date: str) -> list[dict]:
        """Every jurisdiction's value at ``date`` with where it comes from, in registry order (JSON-ready)."""
        rows = []
        for key in self.registry.keys:
            source = self.source(key, date)
            row = {"jurisdiction": key, "name": self.registry.label(key)}
            if source is None:
                row.update(monthly_value=None, source_jurisdiction=None, inherited=None,
                           message=f"no value in force on {date} anywhere in {' → '.join(self.registry.chain(key))}")
            else:
                row.update(
                    monthly_value=source.monthly_value,
                    value=source.value,
                    period=source.period,
                    unit=source.unit,
                    source_jurisdiction=source.source_jurisdiction,
                    source_name=self.registry.label(source.source_jurisdiction),
                    inherited=source.inherited,
                    start=source.start,
                    confidence=source.confidence,
                    reference=source.reference,
                    note=source.note,
                    file=_relative_file(source.file_path),
                )
            rows.append(row)
        return rows

    def inheritance(self) -> dict[str, list[dict]]:
        """For each jurisdiction, from each date on which it changes, the jurisdiction whose values it uses:
        its own key, the nearest ancestor with a value in force, or None (no value anywhere in its chain).

        Compact (a source changes far less often than a value) and built in one numpy pass over the dated
        segments; the values themselves are in the source's own file, or at :meth:`values_at`.
        """
        if not self.dates:
            return {key: [] for key in self.registry.keys}
        sources = np.stack([self._segment_tables(s)[1] for s in range(len(self.dates))])  # (segments, jurisdictions)
        changed = np.empty(sources.shape, dtype=bool)
        changed[0] = sources[0] >= 0
        changed[1:] = sources[1:] != sources[:-1]
        keys = self.registry.keys
        runs: dict[str, list[dict]] = {key: [] for key in keys}
        for j, s in zip(*np.nonzero(changed.T)):  # by jurisdiction, then date
            source = sources[s, j]
            runs[keys[j]].append({"from": self.dates[s], "source": keys[source] if source >= 0 else None})
        return runs

    def annotate_node(self) -> None:
        """Write where each jurisdiction's values come from into the node's metadata, which ``/parameter/<path>`` shows.

        A new dict, so that a cloned tree (a reform's) never writes into its baseline's metadata.
        """
        self.node.metadata = {
            **{k: v for k, v in (self.node.metadata or {}).items() if k != RESOLVED_METADATA_KEY},
            RESOLVED_METADATA_KEY: {
                "description": RESOLVED_DESCRIPTION,
                "by_jurisdiction": self.inheritance(),
            },
        }


class JurisdictionResolver:
    """All jurisdictional parameters of one system's parameter tree, resolved once.

    Each jurisdictional node's metadata then shows where every jurisdiction's values come from
    (:meth:`ResolvedParameter.annotate_node`), so that ``openfisca serve`` shows it too.
    """

    def __init__(self, parameters: ParameterNode, registry: Registry):
        self.parameters = parameters
        self.registry = registry
        self.resolved: dict[str, ResolvedParameter] = {}
        self._collect(parameters, "")
        for resolved in self.resolved.values():
            resolved.annotate_node()

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


def _relative_file(path: str | None) -> str | None:
    """``parameters/…/x.yaml`` rather than an absolute path on the server's disk."""
    if not path:
        return None
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[parts.index("parameters"):]) if "parameters" in parts else parts[-1]


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
