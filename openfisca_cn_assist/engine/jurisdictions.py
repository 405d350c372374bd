"""The jurisdiction registry: which jurisdictions exist, their codes, names and parents.

The registry is data (``jurisdictions.yaml``). A system is built from one registry; the
benchmark builds systems from larger, synthetic registries with the same code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

REGISTRY_FILE = Path(__file__).with_name("jurisdictions.yaml")
LEVELS = ("national", "province", "prefecture", "county")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE = re.compile(r"^\d{6}$")


class RegistryError(ValueError):
    """The registry file is malformed."""


@dataclass(frozen=True)
class Jurisdiction:
    key: str
    code: str | None
    name_zh: str
    name_en: str
    level: str
    parent: str | None


class Registry:
    """Jurisdictions in index order, with parent indices and depths for table resolution."""

    def __init__(self, jurisdictions: list[Jurisdiction]):
        self.jurisdictions = list(jurisdictions)
        self.keys = [j.key for j in self.jurisdictions]
        self.index = {key: i for i, key in enumerate(self.keys)}
        self._validate()
        self.parent_index = np.array(
            [self.index[j.parent] if j.parent else -1 for j in self.jurisdictions], dtype=np.int64
        )
        self.depth = np.zeros(len(self), dtype=np.int64)
        for i in range(len(self)):
            self.depth[i] = len(self.chain(self.keys[i])) - 1
        # Indices grouped by depth, root first: resolving level by level lets each level
        # copy its parents' finished values in one numpy operation.
        self.levels = [np.flatnonzero(self.depth == d) for d in range(int(self.depth.max()) + 1)]

    def __len__(self) -> int:
        return len(self.jurisdictions)

    def __getitem__(self, key: str) -> Jurisdiction:
        return self.jurisdictions[self.index[key]]

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def chain(self, key: str) -> list[str]:
        """The jurisdiction and its ancestors, nearest first: ['mengla', 'xishuangbanna', 'yunnan', 'china']."""
        chain = []
        while key is not None:
            chain.append(key)
            key = self[key].parent
        return chain

    def label(self, key: str) -> str:
        j = self[key]
        return f"{j.name_zh} ({key})"

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
                raise RegistryError(f"{where}: key must be lower-case pinyin and a Python identifier")
            if j.code is not None and not _CODE.match(j.code):
                raise RegistryError(f"{where}: code must be 6 digits as a string, got {j.code!r}")
            if j.level not in LEVELS:
                raise RegistryError(f"{where}: level must be one of {LEVELS}, got {j.level!r}")
            if j.parent is not None:
                if j.parent not in self.index:
                    raise RegistryError(f"{where}: parent '{j.parent}' is not in the registry")
                if self.index[j.parent] >= position:
                    raise RegistryError(f"{where}: parent '{j.parent}' must be listed before its children")

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
                )
            )
        return cls(jurisdictions)

    @classmethod
    def load(cls, path: Path = REGISTRY_FILE) -> Registry:
        with open(path, encoding="utf-8") as f:
            return cls.from_records(yaml.safe_load(f))


def default_registry() -> Registry:
    return Registry.load()
