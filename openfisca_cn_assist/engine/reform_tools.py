"""Reforms: find them by name, file or dotted path; a parametric reform (YAML) becomes a Reform class.

The YAML format: :mod:`openfisca_cn_assist.engine.reform_spec`; what its changes do:
:mod:`openfisca_cn_assist.engine.reform_changes`.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
import types
from pathlib import Path
from typing import ClassVar

from openfisca_core.reforms import Reform

from openfisca_cn_assist.engine.file_modules import import_file
from openfisca_cn_assist.engine.paths import REFORMS_DIR
from openfisca_cn_assist.engine.reform_changes import apply_changes
from openfisca_cn_assist.engine.reform_spec import (
    _IDENTIFIER,
    _PATH,
    SUFFIXES,
    ReformError,
    ReformSpec,
    _display,
    read_reform_file,
)
from openfisca_cn_assist.engine.resolver import resolver_for

# --------------------------------------------------------------------------------------------------
# Reform classes


class CountryReform(Reform):
    """Base of this package's reforms: keeps the Web API's examples and resolves jurisdictions at once.

    Resolving in the constructor makes a layout error surface when the reform is applied, not in the
    middle of a simulation; the reformed system gets its own lookup tables (DESIGN.md).
    """

    def __init__(self, baseline):
        super().__init__(baseline)
        self.open_api_config = dict(getattr(baseline, "open_api_config", None) or {})
        if hasattr(self, "registry"):
            resolver_for(self)


class ParametricReform(CountryReform):
    """A reform whose changes are read from a YAML file (see :func:`reform_from_yaml`)."""

    spec: ClassVar[ReformSpec]

    def apply(self):
        spec, registry = self.spec, self.baseline.registry
        self.modify_parameters(lambda parameters: apply_changes(parameters, registry, spec))


_yaml_classes: dict[tuple[str, int], type[Reform]] = {}


def reform_from_yaml(path: str | os.PathLike) -> type[Reform]:
    """The Reform class of a parametric reform file (one class per file version, so identity is stable)."""
    path = Path(path).resolve()
    try:
        cache_key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        raise ReformError(f"{_display(path)}: no such reform file") from None
    if cache_key in _yaml_classes:
        return _yaml_classes[cache_key]
    spec = read_reform_file(path)
    shipped = path.parent == REFORMS_DIR and path.stem == spec.name
    namespace = {
        "spec": spec,
        "name": spec.label,
        "__doc__": spec.description or spec.label,
        # A shipped reform is the attribute openfisca_cn_assist.reforms.<name>: say so (pickle, repr).
        "__module__": "openfisca_cn_assist.reforms" if shipped else __name__,
        "__qualname__": spec.name,
    }
    reform = type(spec.name, (ParametricReform,), namespace)
    _yaml_classes[cache_key] = reform
    return reform


def reform_class_of_module(module: types.ModuleType, required: bool = True) -> type[Reform] | None:
    """The Reform a Python reform module defines: the class named like the file, else its only Reform subclass."""
    stem = Path(getattr(module, "__file__", None) or module.__name__.replace(".", "/")).stem
    named = getattr(module, stem, None)
    if isinstance(named, type) and issubclass(named, Reform):
        return named
    defined = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Reform) and obj.__module__ == module.__name__
    ]
    if len(defined) == 1:
        return defined[0]
    if not required:
        return None
    where = getattr(module, "__file__", None) or module.__name__
    if not defined:
        raise ReformError(f"{where}: defines no subclass of openfisca_core.reforms.Reform")
    raise ReformError(
        f"{where}: defines several Reform classes ({', '.join(c.__name__ for c in defined)}); "
        f"name the one to use '{stem}', like the file"
    )


def _load_python_file(path: Path) -> type[Reform]:
    path = path.resolve()
    if path.parent == REFORMS_DIR:  # a shipped reform: import it as part of the package, once
        return reform_class_of_module(importlib.import_module(f"openfisca_cn_assist.reforms.{path.stem}"))
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    module_name = f"_cn_assist_user_reform_{path.stem}_{digest}"
    module = sys.modules.get(module_name)
    if module is None:
        module = import_file(module_name, path)
    return reform_class_of_module(module)


def _load_file(path: Path) -> type[Reform]:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return reform_from_yaml(path)
    if suffix == ".py":
        return _load_python_file(path)
    raise ReformError(f"{path}: a reform file ends in .yaml, .yml (parametric) or .py (structural)")


def _shipped(name: str) -> Path | None:
    for suffix in SUFFIXES:
        candidate = REFORMS_DIR / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def _shipped_files() -> list[Path]:
    return [p for p in sorted(REFORMS_DIR.iterdir()) if p.suffix in SUFFIXES and not p.name.startswith(("_", "."))]


def list_reforms() -> list[tuple[str, str]]:
    """(name, label) of every reform shipped in ``reforms/``."""
    rows = []
    for path in _shipped_files():
        if path.suffix == ".py":
            reform = _load_python_file(path)
            rows.append((path.stem, reform.name or (reform.__doc__ or "").strip().split("\n")[0]))
        else:
            rows.append((path.stem, read_reform_file(path).label))
    return rows


def _import_dotted(text: str) -> type[Reform]:
    package, _, attribute = text.rpartition(".")
    try:
        module = importlib.import_module(package)
    except ImportError as error:
        module, first_error = None, error
    if module is not None:
        found = getattr(module, attribute, None)
        if isinstance(found, type) and issubclass(found, Reform):
            return found
        if isinstance(found, types.ModuleType):
            return reform_class_of_module(found)
        if found is not None:
            raise ReformError(f"'{text}' is not a Reform class (it is {type(found).__name__})")
    try:
        return reform_class_of_module(importlib.import_module(text))
    except ModuleNotFoundError as error:
        if not (error.name and text.startswith(error.name)):
            raise  # the module exists but cannot import something of its own: show that
    if module is None:
        raise ReformError(f"cannot import '{package}' for reform '{text}': {first_error}") from first_error
    raise ReformError(f"'{package}' has no reform '{attribute}'")


def load_reform(spec) -> type[Reform]:
    """The Reform class for ``spec``.

    ``spec`` is one of: the name of a reform in ``reforms/`` (``raise_tekun_1050``, with or without
    ``.yaml``/``.py``); the path of a reform file of your own (``my_reform.yaml``, ``my_reform.py``);
    a dotted path (``openfisca_cn_assist.reforms.raise_tekun_1050``, ``my_package.reforms.MyReform``);
    or a Reform class, returned as it is. A file that exists wins over a shipped reform of the same name.
    """
    if isinstance(spec, type) and issubclass(spec, Reform):
        return spec
    if isinstance(spec, types.ModuleType):
        return reform_class_of_module(spec)
    if not isinstance(spec, (str, os.PathLike)):
        raise ReformError(f"a reform is a name, a file path or a dotted path, not {type(spec).__name__}")
    text = os.fspath(spec)
    path = Path(text).expanduser()
    if path.is_file():
        return _load_file(path)
    suffix = path.suffix.lower()
    name = text[: -len(suffix)] if suffix in SUFFIXES else text
    if path.parent.name == "reforms" and path.parent.parent == Path("."):
        name = name.removeprefix("reforms/")  # `reforms/x.yaml` from outside the checkout: the shipped x
    if _IDENTIFIER.match(name):
        shipped = _shipped(name)
        yaml_suffixes = (".yaml", ".yml")
        if shipped is not None and (
            suffix not in SUFFIXES
            or shipped.suffix == suffix
            or (suffix in yaml_suffixes and shipped.suffix in yaml_suffixes)
        ):
            return _load_file(shipped)
    if suffix not in SUFFIXES and _PATH.match(text) and "." in text:
        return _import_dotted(text)
    shipped_names = ", ".join(_shipped_names())
    raise ReformError(
        f"no reform '{text}': not a file, not one of the reforms in reforms/ ({shipped_names}), "
        "and not a dotted path such as openfisca_cn_assist.reforms.raise_tekun_1050"
    )


def _shipped_names() -> list[str]:
    return sorted({p.stem for p in _shipped_files()})


def apply_reform(system, spec):
    """``system`` reformed by ``spec`` (anything :func:`load_reform` takes, or a list applied in order).

    The system itself is not changed.
    """
    specs = spec if isinstance(spec, (list, tuple)) else [spec]
    for one in specs:
        system = load_reform(one)(system)
    return system
