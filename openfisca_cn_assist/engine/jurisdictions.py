"""The jurisdiction registry: which jurisdictions exist, their codes, names, validity and parents over time.

The built-in registry is the national register of divisions (:mod:`openfisca_cn_assist.engine.divisions`, every
county-level division and above since 1981, from ``divisions.csv``) with the project's pinyin keys
(``jurisdictions.yaml``) as aliases of their codes. Each *record* is one code with one name over one span of
dates; a code that was renamed or reused has several records. A record's parent may change over time
(``parents``: the parent in force from each date on).

A system is built from one registry; the benchmarks build systems from synthetic registries (static parents,
no validity) with the same code.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import yaml

ALIASES_FILE = Path(__file__).with_name("jurisdictions.yaml")
REGISTRY_FILE = ALIASES_FILE  # deprecated name, kept for one release
LEVELS = ("national", "province", "prefecture", "county")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$|^\d{6}(_\d{4})?$")
_CODE = re.compile(r"^\d{6}$")


class RegistryError(ValueError):
    """The registry file is malformed."""


@dataclass(frozen=True)
class Jurisdiction:
    """One record: a code with one name over one span of dates (``valid_from``/``valid_until`` inclusive, None:
    unbounded). ``parent`` is the parent at the record's last date; ``parents`` the parent from each date on,
    when it changed (empty: always ``parent``). ``successors`` are the codes that took over its area."""

    key: str
    code: str | None
    name_zh: str
    name_en: str
    level: str
    parent: str | None
    valid_from: str | None = None
    valid_until: str | None = None
    parents: tuple[tuple[str, str], ...] = ()
    successors: tuple[str, ...] = ()
    pinyin: str = ""

    def in_force(self, date: str) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_until is None or date <= self.valid_until
        )

    def parent_at(self, date: str | None) -> str | None:
        if date is None or not self.parents:
            return self.parent
        starts = [start for start, _ in self.parents]
        position = bisect.bisect_right(starts, date) - 1
        return self.parents[max(position, 0)][1]

    @property
    def validity(self) -> str:
        return f"{self.valid_from or 'the first list'} – {self.valid_until or 'today'}"


class Registry:
    """Jurisdictions in index order, with parent indices by date and level groups for table resolution."""

    def __init__(self, jurisdictions: list[Jurisdiction], aliases: dict[str, str] | None = None):
        self.jurisdictions = list(jurisdictions)
        self.keys = [j.key for j in self.jurisdictions]
        self.index = {key: i for i, key in enumerate(self.keys)}
        self._validate()
        # Codes and aliases name the latest record of a code; a date picks the record in force (in_force_at).
        self.names: dict[str, int] = {}
        for i, j in enumerate(self.jurisdictions):
            if j.code is not None:
                self.names[j.code] = i
        for alias, key in (aliases or {}).items():
            self.names[alias] = self.index[key]
        self.names.update(self.index)
        rank = np.array([LEVELS.index(j.level) for j in self.jurisdictions], dtype=np.int64)
        # Resolving level by level, root first, lets each level copy its parents' finished values in one
        # numpy operation; a parent is always of a higher level, whatever the date.
        self.levels = [np.flatnonzero(rank == r) for r in range(len(LEVELS)) if (rank == r).any()]
        self.parent_index = self.parent_index_at(None)
        self.change_dates = sorted({start for j in self.jurisdictions for start, _ in j.parents[1:]})

    def __len__(self) -> int:
        return len(self.jurisdictions)

    def __getitem__(self, key: str) -> Jurisdiction:
        return self.jurisdictions[self.index[key]]

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def resolve_name(self, name: str) -> int | None:
        """Index of the record a key, alias or code names (a code: its latest record), or None."""
        return self.names.get(name)

    def records_named(self, name: str) -> list[int]:
        """The records a parameter file's name names: a key or an alias names one; a 6-digit code names every
        record of that code (each takes the file's values within its own validity). Empty for an unknown name."""
        if name in self.index:
            return [self.index[name]]
        if name in self.records_by_code:
            return list(self.records_by_code[name])
        found = self.names.get(name)
        return [] if found is None else [found]

    def chain(self, key: str, date: str | None = None) -> list[str]:
        """The jurisdiction and its ancestors at ``date`` (None: latest), nearest first:
        ['mengla', 'xishuangbanna', 'yunnan', 'china']."""
        chain = []
        while key is not None:
            chain.append(key)
            key = self[key].parent_at(date)
        return chain

    def label(self, key: str) -> str:
        return f"{self[key].name_zh} ({key})"

    def parent_index_at(self, date: str | None) -> np.ndarray:
        """Index of each record's parent at ``date`` (-1: the root)."""
        return np.array([self.index[p] if (p := j.parent_at(date)) else -1 for j in self.jurisdictions], dtype=np.int64)

    def epoch(self, date: str) -> str | None:
        """The latest parent change on or before ``date``: dates in one epoch share their parent table."""
        position = bisect.bisect_right(self.change_dates, date) - 1
        return self.change_dates[position] if position >= 0 else None

    def parents_at(self, date: str) -> np.ndarray:
        """:meth:`parent_index_at` ``date``, built once per epoch and shared by every parameter's tables."""
        epoch = self.epoch(date) or "0001-01-01"  # before the first move: every record's first parent
        cache = self.__dict__.setdefault("_parents_by_epoch", {})
        if epoch not in cache:
            cache[epoch] = self.parent_index_at(epoch)
        return cache[epoch]

    @cached_property
    def keyed_indices(self) -> np.ndarray:
        """Indices of the records named by a project key (not by a bare code), in index order."""
        return np.array([i for i, key in enumerate(self.keys) if not key[:1].isdigit()], dtype=np.int64)

    @cached_property
    def records_by_code(self) -> dict[str, list[int]]:
        groups: dict[str, list[int]] = {}
        for i, j in enumerate(self.jurisdictions):
            if j.code is not None:
                groups.setdefault(j.code, []).append(i)
        return groups

    @cached_property
    def dated(self) -> bool:
        """Whether any record has a validity (synthetic registries have none: every record always in force)."""
        return any(j.valid_from or j.valid_until for j in self.jurisdictions)

    def record_in_force(self, code: str, date: str) -> int | None:
        """The record of ``code`` in force at ``date`` (the latest one where two overlap), or None."""
        found = [i for i in self.records_by_code.get(code, ()) if self.jurisdictions[i].in_force(date)]
        return found[-1] if found else None

    @cached_property
    def _validity(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first day, last day, code number) of each record as arrays (days since 1970; -1: no code)."""
        lowest, highest = np.iinfo(np.int64).min, np.iinfo(np.int64).max

        def day(date, default):
            return default if date is None else int(np.datetime64(date, "D").astype(np.int64))

        first = np.array([day(j.valid_from, lowest) for j in self.jurisdictions], dtype=np.int64)
        last = np.array([day(j.valid_until, highest) for j in self.jurisdictions], dtype=np.int64)
        numbers = {code: n for n, code in enumerate(self.records_by_code)}
        code = np.array([numbers.get(j.code, -1) for j in self.jurisdictions], dtype=np.int64)
        return first, last, code

    def warm(self) -> Registry:
        """Build the tables that are otherwise built on first use, so that a cached copy holds them too."""
        for table in ("keyed_indices", "records_by_code", "dated", "_validity"):
            getattr(self, table)
        return self

    def in_force_at(self, date: str) -> np.ndarray:
        """For each record, itself when in force at ``date``, else the record of its code in force then (the latest
        where two overlap), or -1. Built once per date, in a few numpy operations."""
        cache = self.__dict__.setdefault("_in_force", {})
        if date not in cache:
            first, last, code = self._validity
            day = np.datetime64(date, "D").astype(np.int64)
            records = np.arange(len(self), dtype=np.int64)
            in_force = (first <= day) & (day <= last)
            latest = np.full(len(self.records_by_code), -1, dtype=np.int64)
            coded = in_force & (code >= 0)
            np.maximum.at(latest, code[coded], records[coded])  # records are in (code, start) order
            by_code = np.where(code >= 0, latest[np.maximum(code, 0)], -1)
            cache[date] = np.where(in_force, records, by_code)
        return cache[date]

    def successor_at(self, index: int, date: str) -> int | None:
        """The record in force at ``date`` that a retired record's area passed to, following single successors
        (532821 → 532801); None when a step has several successors or none is in force."""
        seen = set()
        j = self.jurisdictions[index]
        while len(j.successors) == 1 and j.successors[0] not in seen:
            code = j.successors[0]
            seen.add(code)
            found = self.record_in_force(code, date)
            if found is not None:
                return found
            candidates = self.records_by_code.get(code)
            if not candidates:
                return None
            j = self.jurisdictions[candidates[-1]]
        return None

    def _validate(self) -> None:
        if len(self.index) != len(self.keys):
            dupes = sorted({k for k in self.keys if self.keys.count(k) > 1})
            raise RegistryError(f"duplicate jurisdiction keys: {dupes}")
        roots = [j.key for j in self.jurisdictions if j.parent is None]
        if len(roots) != 1:
            raise RegistryError(f"the registry needs exactly one root (parent: null), found {roots}")
        for position, j in enumerate(self.jurisdictions):
            where = f"jurisdiction #{position} '{j.key}'"
            if not _KEY.match(j.key):
                raise RegistryError(f"{where}: key must be lower-case pinyin and a Python identifier, or a code")
            if j.code is not None and not _CODE.match(j.code):
                raise RegistryError(f"{where}: code must be 6 digits as a string, got {j.code!r}")
            if j.level not in LEVELS:
                raise RegistryError(f"{where}: level must be one of {LEVELS}, got {j.level!r}")
            for parent in {j.parent} | {p for _, p in j.parents}:
                if parent is None:
                    continue
                if parent not in self.index:
                    raise RegistryError(f"{where}: parent '{parent}' is not in the registry")
                if self.index[parent] >= position:
                    raise RegistryError(f"{where}: parent '{parent}' must be listed before its children")
                if LEVELS.index(self[parent].level) >= LEVELS.index(j.level):
                    raise RegistryError(f"{where}: parent '{parent}' must be of a higher level than {j.level}")

    @classmethod
    def from_records(cls, records: list[dict]) -> Registry:
        fields = ("key", "code", "name_zh", "name_en", "level", "parent")
        jurisdictions = []
        for position, record in enumerate(records):
            missing = [f for f in fields if f not in record]
            if missing:
                raise RegistryError(f"jurisdiction #{position}: missing fields {missing}")
            code = record["code"]
            jurisdictions.append(
                Jurisdiction(
                    key=record["key"],
                    code=None if code is None else str(code),
                    name_zh=record["name_zh"],
                    name_en=record["name_en"],
                    level=record["level"],
                    parent=record["parent"],
                    valid_from=record.get("valid_from"),
                    valid_until=record.get("valid_until"),
                    parents=tuple(tuple(p) for p in record.get("parents", ())),
                    successors=tuple(record.get("successors", ())),
                    pinyin=record.get("pinyin", ""),
                )
            )
        return cls(jurisdictions)

    @classmethod
    def load(cls, path: Path = ALIASES_FILE) -> Registry:
        """A registry of the records a YAML file lists (the project's keys alone, without the national register)."""
        with open(path, encoding="utf-8") as f:
            return cls.from_records(yaml.safe_load(f))


def default_registry() -> Registry:
    """The national register of divisions with the project's keys as aliases (built once per process)."""
    from openfisca_cn_assist.engine.divisions import national_registry

    return national_registry()
