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
            "monthly_series history dibao_classes temporary_assistance provenance reform_tools programmes situations"
        ).split()
    },
    "caseload_generator": "caseload.generator",
    "synthetic": "caseload.synthetic",
    "bulk": "caseload.bulk",
    **{m: f"analysis.{m}" for m in "microsim validation charts partitions distributed coverage exact".split()},
    **{m: f"serve.{m}" for m in "server batch explain".split()},
}


class _Forwarding(types.ModuleType):
    def __getattr__(self, name):
        return getattr(importlib.import_module(self.__moved_to__), name)

    def __dir__(self):
        return dir(importlib.import_module(self.__moved_to__))


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
        module.__moved_to__ = f"{self.package}.{MOVED[spec.name.rpartition('.')[2]]}"
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
