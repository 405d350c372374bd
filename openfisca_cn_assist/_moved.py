"""Deprecated module names: the package was split into engine/, caseload/, analysis/, serve/ and cli/.

``import openfisca_cn_assist.lookup`` (and every other module moved in 0.2) still works for one release: it
gives a stand-in module that forwards every attribute to the module's new home and warns once.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types
import warnings

MOVED = {
    **{
        m: f"engine.{m}"
        for m in (
            "entities enums errors jurisdictions resolver lookup horizons system inputs sums paths file_modules "
            "monthly_series history temporary_assistance provenance reform_tools programmes situations"
        ).split()
    },
    "caseload_generator": "caseload.generator",
    "synthetic": "caseload.synthetic",
    "bulk": "caseload.bulk",
    **{m: f"analysis.{m}" for m in "microsim validation charts partitions distributed coverage exact".split()},
    **{m: f"serve.{m}" for m in "server batch explain".split()},
}
# Modules that were also cut in parts: the old name finds a name in any of them.
PARTS = {
    "batch": ("serve.batch_common", "serve.batch_situations", "serve.batch_rows"),
    "reform_tools": ("engine.reform_spec", "engine.reform_changes"),
}


class _Forwarding(types.ModuleType):
    def _homes(self):
        return [importlib.import_module(name) for name in (self.__moved_to__, *self.__parts__)]

    def __getattr__(self, name):
        for home in self._homes():
            if hasattr(home, name):
                return getattr(home, name)
        raise AttributeError(f"module {self.__name__!r} (moved to {self.__moved_to__}) has no attribute {name!r}")

    def __dir__(self):
        return sorted({name for home in self._homes() for name in dir(home)})


class MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, package: str):
        self.package = package

    def find_spec(self, fullname, path=None, target=None):
        head, _, tail = fullname.rpartition(".")
        if head == self.package and tail in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        module = _Forwarding(spec.name)
        old = spec.name.rpartition(".")[2]
        module.__moved_to__ = f"{self.package}.{MOVED[old]}"
        module.__parts__ = tuple(f"{self.package}.{part}" for part in PARTS.get(old, ()))
        return module

    def exec_module(self, module):
        warnings.warn(
            f"{module.__name__} moved to {module.__moved_to__}; the old name will be removed in the next release",
            DeprecationWarning,
            stacklevel=2,
        )


def install(package: str) -> None:
    if not any(isinstance(f, MovedModuleFinder) and f.package == package for f in sys.meta_path):
        sys.meta_path.append(MovedModuleFinder(package))
