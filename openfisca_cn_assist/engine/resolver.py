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
one place where that happens.

Every value has a *horizon* (``metadata: {horizon: YYYY-MM-DD}`` on the dated value, or ``open`` for a
standing rule, which a file may set for all its values): the last date its source supports it. From the
day after, the value is *stale*: by default it counts as missing and the error says which value ran out
and when; a system that carries values forward (the ``carry_forward`` reform) uses it, and the lookups
record that they did (:mod:`openfisca_cn_assist.engine.horizons`). A jurisdiction whose own value is stale does
not fall back to its parent's: its own source said the value changes, so the stale flag is inherited with
the value. Amounts given per case (``period: case``, such as a 临时救助 approval
limit) are not time rates and are used as they are.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from openfisca_core.parameters import Parameter, ParameterNode

from openfisca_cn_assist.engine.cache import cache_on
from openfisca_cn_assist.engine.division_search import did_you_mean
from openfisca_cn_assist.engine.errors import NamesRows, need_sentence
from openfisca_cn_assist.engine.horizons import CARRY_FORWARD_FLAG
from openfisca_cn_assist.engine.jurisdictions import Registry
from openfisca_cn_assist.engine.options import has_option

PERIOD_DIVISORS = {None: 1.0, "month": 1.0, "year": 12.0, "case": 1.0}
# Derived from the files and the registry when the system loads (never written to YAML): shown by the Web API.
RESOLVED_METADATA_KEY = "value_sources"
RESOLVED_DESCRIPTION = (
    "Derived when the system loads, not read from a file. For each jurisdiction, from each date on which it "
    "changes: the jurisdiction whose values it uses (its own key; the nearest ancestor with a value in force, "
    "from which it inherits; or null, no value anywhere in its chain), and past_horizon: true from the day after "
    "the last date that value's source supports it (it is then not used unless values are carried forward). "
    "The values, their references and "
    "confidence are in that jurisdiction's file, /parameter/<this parameter>/<source>. `cn-assist serve` lists "
    "every jurisdiction's value at a date with its source at /jurisdiction_values/<this parameter>?date=YYYY-MM-DD."
)
_DAYS_OFFSET = 1 << 20  # days since 1970 shifted positive, so (jurisdiction, day) packs into one sortable int
_DAYS_SPAN = 1 << 21


class MissingParameterValueError(NamesRows, ValueError):
    """No jurisdiction in a household's chain has a value in force at the date.

    ``parameter``, ``date``, ``entity`` and ``rows`` (the simulation rows that need the value) say
    which, so that a caller can name the households in its own terms (:meth:`NamesRows.worded`).
    """

    parameter: str | None = None
    date: str | None = None


class ValuePastHorizonError(MissingParameterValueError):
    """The value in force for a household's jurisdiction is past its horizon (the last date its source
    supports it), and the system does not carry values forward. ``horizon`` and ``value`` say which."""

    horizon: str | None = None
    value: float | None = None
    source_jurisdiction: str | None = None


CARRY_FORWARD_HINT = (
    "To carry the last value forward instead, and have the results list what rests on it, opt in: "
    'carry_forward=True (Python run/compare/calculate), --carry-forward (cn-assist), "carry_forward": true '
    "(HTTP /calculate_batch and /explain), or `reforms: [openfisca_cn_assist.reforms.carry_forward]` "
    "(YAML tests, openfisca serve --reforms)."
)


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
    horizon: str | None = None  # None: open (a standing rule)
    past_horizon: bool = False

    @property
    def inherited(self) -> bool:
        return self.source_jurisdiction != self.jurisdiction


def _period(parameter: Parameter, entry) -> str | None:
    """A dated value may be quoted per year where the rest of its file is per month."""
    return entry.metadata.get("period", parameter.metadata.get("period"))


def horizon_of(parameter: Parameter, entry) -> str | None:
    """The last date ``entry``'s source supports it (``YYYY-MM-DD``), or None for ``open``.

    A value without a horizon is read as open: the metadata test requires one on every sourced value,
    and values a reform writes are the reform's own hypothesis, open until it says otherwise.
    """
    horizon = (entry.metadata or {}).get("horizon", (parameter.metadata or {}).get("horizon", "open"))
    if horizon in (None, "open"):
        return None
    text = str(horizon)
    try:
        np.datetime64(text, "D")
    except ValueError:
        raise ParameterLayoutError(
            f"{parameter.file_path} ({entry.instant_str}): metadata.horizon must be a date YYYY-MM-DD or 'open', "
            f"got {horizon!r}"
        ) from None
    if len(text) != 10:
        raise ParameterLayoutError(
            f"{parameter.file_path} ({entry.instant_str}): metadata.horizon must be a full date, got {text}"
        )
    # A horizon before the value's start is legitimate only where a reform rescales a value already past
    # its horizon (the rescaled value is as stale as the one it scales); tests check the shipped files.
    return text


def _day_after(date: str) -> str:
    return str(np.datetime64(date, "D") + 1)


class ResolvedParameter:
    """One jurisdictional parameter resolved for every jurisdiction and every dated segment."""

    def __init__(self, path: str, node: ParameterNode, registry: Registry, carry_forward: bool = False):
        self.path = path
        self.carry_forward = carry_forward
        self.node = node
        self.registry = registry
        self.own: dict[str, Parameter] = {}
        for name, child in node.children.items():
            if not isinstance(child, Parameter):
                raise ParameterLayoutError(f"'{path}.{name}' must be a single dated parameter file")
            for entry in child.values_list:
                horizon_of(child, entry)  # a malformed horizon is a layout error, found at load
                period = _period(child, entry)
                if period not in PERIOD_DIVISORS:
                    raise ParameterLayoutError(
                        f"{child.file_path} ({entry.instant_str}): metadata.period must be one of "
                        f"{sorted(p for p in PERIOD_DIVISORS if p)}, got {period!r}"
                    )
            for key in self._records_named(path, name, child):
                if key in self.own:
                    raise ParameterLayoutError(
                        f"{child.file_path}: {registry.label(key)} already has a file under '{path}' "
                        f"({self.own[key].file_path}); name it by its key or by its code, not both"
                    )
                self.own[key] = child
        self._index_entries()
        # A parent that changes on a date starts a segment too, so that each side inherits from its own parent.
        first = str(self._entry_day.min().astype("datetime64[D]")) if len(self._entry_day) else None
        moves = [d for d in registry.change_dates if first is not None and d > first]
        self.dates = sorted({str(d) for d in self._entry_day.astype("datetime64[D]")} | set(moves))
        self._segments: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}

    def _records_named(self, path: str, name: str, child: Parameter) -> list[str]:
        """The records a file name names: a key or alias names one; a 6-digit code names every record of that
        code (each uses the values within its own validity)."""
        records = self.registry.records_named(name)
        if not records:
            raise ParameterLayoutError(
                f"{getattr(child, 'file_path', path)}: '{name}' under '{path}' is not a jurisdiction key or a "
                f"division code in the registry{did_you_mean(self.registry, name)}"
            )
        return [self.registry.keys[i] for i in records]

    def _own_entry(self, key: str, date: str):
        for entry in self.own[key].values_list:  # newest first
            if entry.instant_str <= date:
                return entry
        return None

    def _index_entries(self) -> None:
        """Every own dated value as flat arrays sorted by (jurisdiction, date), for vectorised lookups.

        A value whose horizon ends before the next value starts gets a second, *stale* entry from the day
        after its horizon: same value, flagged, so that the segment tables know where it ran out.
        """
        jurisdiction, day, value, stale = [], [], [], []

        def add(key, date, monthly, is_stale):
            jurisdiction.append(self.registry.index[key])
            day.append(np.datetime64(date, "D").astype(np.int64))
            value.append(monthly)
            stale.append(is_stale)

        for key, parameter in self.own.items():
            entries = list(reversed(parameter.values_list))  # oldest first
            for i, entry in enumerate(entries):
                monthly = (
                    np.nan if entry.value is None else float(entry.value) / PERIOD_DIVISORS[_period(parameter, entry)]
                )
                add(key, entry.instant_str, monthly, False)
                horizon = None if entry.value is None else horizon_of(parameter, entry)
                if horizon is None:
                    continue
                ends = max(_day_after(horizon), entry.instant_str)
                if ends == entry.instant_str:
                    stale[-1] = True  # stale from its first day
                elif i + 1 == len(entries) or entries[i + 1].instant_str > ends:
                    add(key, ends, monthly, True)
        jurisdiction, day = np.array(jurisdiction, dtype=np.int64), np.array(day, dtype=np.int64)
        order = np.lexsort((day, jurisdiction))
        self._entry_jurisdiction = jurisdiction[order]
        self._entry_day = day[order]
        self._entry_key = self._composite(jurisdiction, day)[order]
        self._entry_value = np.array(value, dtype=float)[order]
        self._entry_stale = np.array(stale, dtype=bool)[order]

    @staticmethod
    def _composite(jurisdiction, day):
        return jurisdiction * _DAYS_SPAN + (day + _DAYS_OFFSET)

    def _segment_tables(self, segment: int, keep: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For every jurisdiction in a dated segment, built once (``keep``): the value in force (NaN: none), the
        index of the jurisdiction it comes from (-1: none), whether it is past its horizon, and the value as
        this resolver uses it (stale values as NaN unless it carries values forward)."""
        cached = self._segments.get(segment)
        if cached is not None:
            return cached
        n = len(self.registry)
        everyone = np.arange(n, dtype=np.int64)
        day = np.datetime64(self.dates[segment], "D").astype(np.int64)
        # The latest own entry on or before the date, if it belongs to the same jurisdiction.
        position = np.searchsorted(self._entry_key, self._composite(everyone, day), side="right") - 1
        clipped = np.clip(position, 0, None)
        found = (
            (position >= 0) & (self._entry_jurisdiction[clipped] == everyone)
            if len(self._entry_key)
            else np.zeros(n, bool)
        )
        own_values = np.where(found, self._entry_value[clipped] if len(self._entry_key) else np.nan, np.nan)
        own_stale = found & (self._entry_stale[clipped] if len(self._entry_key) else False)
        has_own = ~np.isnan(own_values)
        values, sources, stale = np.full(n, np.nan), np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=bool)
        parent_index = self.registry.parents_at(self.dates[segment])
        for level in self.registry.levels:
            parents = parent_index[level]
            mine = has_own[level]
            root = parents[0] < 0
            values[level] = np.where(mine, own_values[level], np.nan if root else values[parents])
            sources[level] = np.where(mine, level, -1 if root else sources[parents])
            stale[level] = np.where(mine, own_stale[level], False if root else stale[parents])
        used = values if self.carry_forward or not stale.any() else np.where(stale, np.nan, values)
        if not keep:
            return values, sources, stale, used
        self._segments[segment] = (values, sources, stale, used)
        return self._segments[segment]

    def sources_at(self, date: str) -> np.ndarray:
        """Index of the jurisdiction whose value each jurisdiction uses at ``date`` (-1: none)."""
        s = self.segment(date)
        return self._segment_tables(s)[1] if s >= 0 else np.full(len(self.registry), -1, dtype=np.int64)

    def segment(self, date: str) -> int:
        """Index of the dated segment in force at ``date`` (YYYY-MM-DD), -1 before any value."""
        return bisect.bisect_right(self.dates, date) - 1

    def table(self, date: str) -> np.ndarray:
        """Monthly value of every jurisdiction at ``date`` (NaN where none is in force, or where the value is
        past its horizon unless this resolver carries values forward), by jurisdiction index."""
        s = self.segment(date)
        return self._segment_tables(s)[3] if s >= 0 else self._all_missing

    def stale(self, date: str) -> np.ndarray | None:
        """Booleans by jurisdiction: the value in force at ``date`` is past its horizon. None when no value is."""
        s = self.segment(date)
        if s < 0:
            return None
        flags = self._segment_tables(s)[2]
        return flags if flags.any() else None

    @cached_property
    def _all_missing(self) -> np.ndarray:
        return np.full(len(self.registry), np.nan)

    def source(self, key: str, date: str) -> ValueSource | None:
        """Provenance of the value ``key`` uses at ``date``, or None when nothing is in force."""
        s = self.segment(date)
        if s < 0:
            return None
        values, sources, stale = self._segment_tables(s)[:3]
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
            horizon=horizon_of(parameter, entry),
            past_horizon=bool(stale[i]),
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
                horizon = horizon_of(parameter, entry)
                if horizon and (end is None or _day_after(horizon) < end):
                    end = f"its horizon {horizon}"
                spans.append(f"from {entry.instant_str}" + (f" until {end}" if end else ""))
            parts.append(f"{key} ({'; '.join(spans) or 'no value'})")
        return ", ".join(parts) or "no jurisdiction has a value"

    def missing_error(self, date: str, jurisdiction_indices: np.ndarray, entity: str, rows: np.ndarray):
        keys = [self.registry.keys[i] for i in np.unique(jurisdiction_indices)]
        stale = [(k, self.source(k, date)) for k in keys]
        stale = [(k, source) for k, source in stale if source is not None and source.past_horizon]
        if stale:
            key, source = stale[0]
            error = ValuePastHorizonError(
                f"The value of parameter '{self.path}' for {self.registry.label(key)} on {date} would be "
                f"{source.value:g} (from {source.start}, {self.registry.label(source.source_jurisdiction)}, "
                f"{relative_file(source.file_path)}), but its source supports it only until {source.horizon} "
                f"(its horizon), so it is not used. {need_sentence(entity)}"
                f"Add the value in force on {date} to parameters/{self.path.replace('.', '/')}/<jurisdiction>.yaml "
                f"with its source, or give the dependent variable as an input. {CARRY_FORWARD_HINT}"
            )
            error.horizon, error.value, error.source_jurisdiction = (
                source.horizon,
                source.value,
                source.source_jurisdiction,
            )
        else:
            error = MissingParameterValueError(
                f"No value of parameter '{self.path}' is in force on {date} for {{places}}{{searched}}. "
                f"Values exist for: {self.describe_availability()}. "
                f"{need_sentence(entity)}"
                f"Add the value to parameters/{self.path.replace('.', '/')}/<jurisdiction>.yaml "
                f"(with its source, or confidence: assumed), or give the dependent variable as an input."
            )
        error.parameter, error.date = self.path, date
        places = [] if stale else [self._place(int(i), date) for i in np.unique(jurisdiction_indices)]
        error.name_rows(str(error), entity, rows, places)
        return error

    def _place(self, index: int, date: str) -> tuple[int, str, str]:
        key = self.registry.keys[index]
        return index, self.registry.label(key), " → ".join(self.registry.chain(key, date))

    def values_at(self, date: str, keys: list[str] | None = None) -> list[dict]:
        """The value at ``date`` of each of ``keys`` (default: the jurisdictions with a project key or a file of
        their own, :meth:`listed_jurisdictions`) with where it comes from, in registry order (JSON-ready)."""
        rows = []
        if keys is None:
            keys = [self.registry.keys[i] for i in self.listed_jurisdictions()]
        for key in keys:
            source = self.source(key, date)
            row = {"jurisdiction": key, "name": self.registry.label(key)}
            if source is None:
                row.update(
                    monthly_value=None,
                    source_jurisdiction=None,
                    inherited=None,
                    message=f"no value in force on {date} anywhere in {' → '.join(self.registry.chain(key, date))}",
                )
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
                    horizon=source.horizon,
                    past_horizon=source.past_horizon,
                    confidence=source.confidence,
                    reference=source.reference,
                    note=source.note,
                    file=relative_file(source.file_path),
                )
                if source.past_horizon and not self.carry_forward:
                    row.update(
                        monthly_value=None,
                        message=f"the value in force, {source.value:g} from {source.start}, is supported by its source only "
                        f"until {source.horizon} (its horizon): it is not used on {date} unless values are carried forward",
                    )
            rows.append(row)
        return rows

    def inheritance(self) -> dict[str, list[dict]]:
        """For each jurisdiction, from each date on which it changes, the jurisdiction whose values it uses:
        its own key, the nearest ancestor with a value in force, or None (no value anywhere in its chain);
        ``past_horizon: true`` from the date that value's source stops supporting it.

        Compact (a source changes far less often than a value) and built in one numpy pass over the dated
        segments; the values themselves are in the source's own file, or at :meth:`values_at`. In the national
        register only the jurisdictions named by a key or by a file are listed (a code-named division inherits
        from its chain; :meth:`values_at` lists every division at a date).
        """
        listed = self.listed_jurisdictions()
        if not self.dates:
            return {self.registry.keys[j]: [] for j in listed}
        sources, stale = self._listed_sources(listed)
        changed = np.empty(sources.shape, dtype=bool)
        changed[0] = sources[0] >= 0
        changed[1:] = (sources[1:] != sources[:-1]) | (stale[1:] != stale[:-1])
        keys = self.registry.keys
        runs: dict[str, list[dict]] = {keys[j]: [] for j in listed}
        for column, s in zip(*np.nonzero(changed.T)):  # by jurisdiction, then date
            j, source = listed[column], sources[s, column]
            run = {"from": self.dates[s], "source": keys[source] if source >= 0 else None}
            if stale[s, column]:
                run["past_horizon"] = True
            runs[keys[j]].append(run)
        return runs

    def _listed_sources(self, listed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(segments, listed) arrays of the source and past-horizon flag: :meth:`_segment_tables`' columns
        (test_cold_start.py checks it) computed over the listed records and their ancestors alone, as the whole
        tables of a national register (6,824 records) made the annotations 0.03 s of a cold start."""
        parent_tables = list({id(t): t for t in map(self.registry.parents_at, self.dates)}.values())
        member = np.zeros(len(self.registry), dtype=bool)
        member[listed] = True
        subset = np.flatnonzero(member)
        while True:  # add the ancestors, at any date, until none is missing
            parents = np.concatenate([table[subset] for table in parent_tables])
            member[parents[parents >= 0]] = True
            if member.sum() == len(subset):
                break
            subset = np.flatnonzero(member)
        position = np.full(len(self.registry), -1, dtype=np.int64)
        position[subset] = np.arange(len(subset))
        levels = [p[p >= 0] for p in (position[level] for level in self.registry.levels) if (p >= 0).any()]
        columns = position[listed]
        shape = (len(self.dates), len(listed))
        sources, stale = np.empty(shape, dtype=np.int64), np.empty(shape, dtype=bool)
        entries = len(self._entry_key) > 0
        for s, date in enumerate(self.dates):
            day = np.datetime64(date, "D").astype(np.int64)
            at = np.searchsorted(self._entry_key, self._composite(subset, day), side="right") - 1
            clipped = np.clip(at, 0, None)
            found = (
                (at >= 0) & (self._entry_jurisdiction[clipped] == subset) if entries else np.zeros(len(subset), bool)
            )
            has_own = found & ~np.isnan(self._entry_value[clipped]) if entries else found
            own_stale = found & self._entry_stale[clipped] if entries else found
            parent = self.registry.parents_at(date)[subset]
            parent = np.where(parent >= 0, position[np.maximum(parent, 0)], -1)
            source, past = np.full(len(subset), -1, dtype=np.int64), np.zeros(len(subset), dtype=bool)
            for level in levels:
                parents, mine = parent[level], has_own[level]
                root = parents[0] < 0
                source[level] = np.where(mine, subset[level], -1 if root else source[parents])
                past[level] = np.where(mine, own_stale[level], False if root else past[parents])
            sources[s], stale[s] = source[columns], past[columns]
        return sources, stale

    def listed_jurisdictions(self) -> np.ndarray:
        """Indices of the jurisdictions with a project key (not a bare code) or a file of their own."""
        listed = np.zeros(len(self.registry), dtype=bool)  # not np.union1d: it imports numpy.ma (0.01 s)
        listed[self.registry.keyed_indices] = True
        listed[[self.registry.index[key] for key in self.own]] = True
        return np.flatnonzero(listed)

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

    def __init__(self, parameters: ParameterNode, registry: Registry, carry_forward: bool = False):
        self.parameters = parameters
        self.registry = registry
        self.carry_forward = carry_forward
        self.resolved: dict[str, ResolvedParameter] = {}
        self._collect(parameters, "")
        for resolved in self.resolved.values():
            resolved.annotate_node()

    def _collect(self, node: ParameterNode, prefix: str) -> None:
        for name, child in node.children.items():
            path = f"{prefix}{name}"
            if isinstance(child, ParameterNode):
                if (child.metadata or {}).get("by_jurisdiction"):
                    self.resolved[path] = ResolvedParameter(path, child, self.registry, self.carry_forward)
                else:
                    self._collect(child, path + ".")

    def __getitem__(self, path: str) -> ResolvedParameter:
        try:
            return self.resolved[path]
        except KeyError:
            raise KeyError(
                f"'{path}' is not a jurisdictional parameter (known: {', '.join(sorted(self.resolved))})"
            ) from None


def relative_file(path: str | None) -> str | None:
    """``parameters/…/x.yaml`` rather than an absolute path on the server's disk."""
    if not path:
        return None
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[parts.index("parameters") :]) if "parameters" in parts else parts[-1]


def resolver_for(system) -> JurisdictionResolver:
    """The system's resolver, rebuilt when the parameter tree was replaced (as a reform does)."""
    cache = cache_on(system, "resolver")
    resolver = cache.get("resolver")
    if resolver is None or resolver.parameters is not system.parameters:
        resolver = cache["resolver"] = JurisdictionResolver(system.parameters, system.registry, carries_forward(system))
    return resolver


def carries_forward(system) -> bool:
    """Whether ``system`` (or a system it reforms) uses values past their horizon (the carry_forward reform)."""
    return has_option(system, CARRY_FORWARD_FLAG)


def refresh_resolver(system) -> JurisdictionResolver:
    """Resolve again after the parameter tree was changed in place (``node.add_child``, ``parameter.update``)."""
    cache_on(system, "resolver").pop("resolver", None)
    return resolver_for(system)
