"""Reforms shipped with openfisca-cn-assist, each importable by dotted path.

``openfisca_cn_assist.reforms.<name>`` is the Reform class of ``<name>.yaml`` (a parametric reform,
built from the file when first asked for) or of ``<name>.py`` (a structural reform). This is the
form openfisca expects: ``openfisca test`` (``reforms:`` key), ``openfisca serve --reforms`` and
``TaxBenefitSystem.apply_reform`` all take "package.module.ClassName" and do
``getattr(import_module("openfisca_cn_assist.reforms"), "<name>")``.

From Python, ``openfisca_cn_assist.engine.reform_tools.load_reform("<name>")`` also takes a file of your own.
"""

import sys
import types
from pathlib import Path

REFORMS_DIR = Path(__file__).resolve().parent
_SUFFIXES = (".yaml", ".yml", ".py")


def available() -> list[str]:
    """Names of the reforms in this folder."""
    return sorted(p.stem for p in REFORMS_DIR.iterdir() if p.suffix in _SUFFIXES and not p.name.startswith(("_", ".")))


def __getattr__(name: str):
    if name.startswith("_") or name not in available():
        raise AttributeError(f"module {__name__!r} has no reform {name!r} (available: {', '.join(available())})")
    from openfisca_cn_assist.engine.reform_tools import load_reform

    reform = load_reform(name)
    globals()[name] = reform  # built once; later lookups find it without __getattr__
    return reform


def __dir__():
    return sorted(set(globals()) | set(available()))


class _ReformPackage(types.ModuleType):
    """Keeps ``<package>.<name>`` the Reform class once the submodule ``<name>.py`` is imported.

    The import system sets the attribute ``<name>`` of a package to its submodule after importing
    it; openfisca then would find a module where it expects a Reform class. The submodule stays in
    ``sys.modules`` (``from openfisca_cn_assist.reforms.gap_floor import …`` works as usual).
    """

    def __setattr__(self, name, value):
        if isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.{name}":
            from openfisca_cn_assist.engine.reform_tools import reform_class_of_module

            value = reform_class_of_module(value, required=False) or value
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _ReformPackage
