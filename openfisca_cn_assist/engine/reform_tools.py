"""Reforms: find them by name, file or dotted path, and apply parametric reforms written in YAML.

A *parametric reform* is a small YAML file (``reforms/raise_tekun_1050.yaml``) listing dated changes
of parameters; :func:`reform_from_yaml` turns it into an openfisca ``Reform`` class. A *structural
reform* is a Python module defining a ``Reform`` subclass (``reforms/gap_floor.py``). Either is
found by :func:`load_reform`, which the CLI, the YAML tests (through
``openfisca_cn_assist.reforms.<name>``) and ``openfisca serve --reforms`` share, so a reform means
the same thing everywhere.

Changes of a jurisdictional parameter (a folder with one file per jurisdiction):

- ``value``: the listed jurisdictions' own value from ``from`` onward. A jurisdiction without a file
  of its own gets one (so that the jurisdictions below it inherit the new value); its own dated
  values after ``from`` are replaced. Jurisdictions below it that have values of their own keep them:
  list them too, or use ``all``.
- ``change: +10%``: each listed jurisdiction's value in force, date by date from ``from`` onward,
  own or inherited, scaled and written as its own value in the unit and period of the value it
  scales (a yearly 5400 becomes a yearly 5940). Where no value is in force, none is added.
- ``jurisdictions: all``: ``china`` and every jurisdiction with values of its own.

Changes apply in the order written, each on the parameters as the previous ones left them; the
jurisdictions of one change are all computed from the parameters before that change.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import importlib
import os
import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import yaml
from openfisca_core.parameters import Parameter, ParameterAtInstant, ParameterNode
from openfisca_core.reforms import Reform

from openfisca_cn_assist.engine.file_modules import import_file
from openfisca_cn_assist.engine.jurisdictions import Registry
from openfisca_cn_assist.engine.paths import REFORMS_DIR
from openfisca_cn_assist.engine.resolver import PERIOD_DIVISORS, ResolvedParameter, resolver_for

REFORM_CONFIDENCE = "reform"
"""``confidence`` of every value a reform writes: not law, a scenario (see the value's ``reform`` and ``note``)."""

SUFFIXES = (".yaml", ".yml", ".py")
_TOP_KEYS = {"name", "label", "description", "reference", "changes"}
_CHANGE_KEYS = {"parameter", "jurisdictions", "from", "value", "change", "period", "note"}
_PERCENT = re.compile(r"^\s*([+-]?)\s*(\d+(?:\.\d*)?|\.\d+)\s*%\s*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class ReformError(ValueError):
    """A reform cannot be found, read or applied; the message names the file, the change and the field."""


# --------------------------------------------------------------------------------------------------
# The YAML format


@dataclass(frozen=True)
class Change:
    """One change of a parametric reform, as written (checked against a system when applied)."""

    number: int  # 1-based position in ``changes``
    parameter: str
    jurisdictions: tuple[str, ...] | str | None  # "all", keys, or None (a parameter not by jurisdiction)
    start: str  # YYYY-MM-DD
    value: float | int | bool | None = None
    percent: float | None = None  # +10 for "+10%"
    change_text: str | None = None
    period: str | None = None  # of ``value``: month, year or case; None: the parameter's default
    note: str | None = None

    @property
    def factor(self) -> float:
        return 1 + self.percent / 100


@dataclass(frozen=True)
class ReformSpec:
    name: str
    label: str
    description: str | None
    reference: object
    file: Path
    display: str  # how messages and metadata name the file: reforms/x.yaml, or the path given
    changes: tuple[Change, ...]


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so that a bad date is reported, not a YAML traceback."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _display(path: Path) -> str:
    try:
        return f"reforms/{path.resolve().relative_to(REFORMS_DIR)}"
    except ValueError:
        return str(path)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def read_reform_file(path: str | os.PathLike) -> ReformSpec:
    """Read and check a parametric reform file (its structure; names are checked when it is applied)."""
    path = Path(path)
    display = _display(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as error:
        raise ReformError(f"{display}: cannot read the reform file ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ReformError(f"{display}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ReformError(f"{display}: a reform file is a mapping with `name`, `label` and `changes`")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ReformError(f"{display}: unknown key(s) {unknown}; a reform file has {sorted(_TOP_KEYS)}")
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ReformError(
            f"{display}, field 'name': {name!r} must be a Python identifier (letters, digits, _), "
            "as in `openfisca_cn_assist.reforms.<name>`"
        )
    label = data.get("label", name)
    if not isinstance(label, str):
        raise ReformError(f"{display}, field 'label': must be text")
    changes = data.get("changes")
    if not isinstance(changes, list) or not changes:
        raise ReformError(f"{display}, field 'changes': give a list of one or more changes")
    parsed = tuple(_read_change(display, number, item) for number, item in enumerate(changes, start=1))
    return ReformSpec(name, label, data.get("description"), data.get("reference"), path, display, parsed)


def _read_change(display: str, number: int, item) -> Change:
    where = f"{display}, change {number}"
    if not isinstance(item, dict):
        raise ReformError(f"{where}: a change is a mapping with `parameter`, `from` and `value` or `change`")
    unknown = sorted(set(item) - _CHANGE_KEYS)
    if unknown:
        raise ReformError(f"{where}: unknown field(s) {unknown}; a change has {sorted(_CHANGE_KEYS)}")

    def fail(field, message):
        return ReformError(f"{where}, field '{field}': {message}")

    parameter = item.get("parameter")
    if not isinstance(parameter, str) or not _PATH.match(parameter):
        raise fail("parameter", f"give the parameter's dotted path, such as dibao.standard_rural (got {parameter!r})")
    where = f"{display}, change {number} ({parameter})"

    if "from" not in item:
        raise fail("from", "missing: the date the change takes effect, YYYY-MM-DD")
    start = item["from"]
    if not isinstance(start, str) or not _DATE.match(start):
        raise fail("from", f"{start!r} is not a date written YYYY-MM-DD")
    try:
        datetime.date.fromisoformat(start)
    except ValueError:
        raise fail("from", f"{start!r} is not a date of the calendar") from None

    has_value, has_change = "value" in item, "change" in item
    if has_value == has_change:
        raise fail(
            "value" if has_value else "value/change",
            "give both `value` and `change`; give one of them"
            if has_value
            else "missing: give `value` (the new value) or `change` (a percentage such as +10%)",
        )
    value = percent = change_text = None
    if has_value:
        value = item["value"]
        if value is None:
            raise fail(
                "value", "null is not a reform value; to stop a rule, set 0 (an amount or rate) or false (a flag)"
            )
        if not (_is_number(value) or isinstance(value, bool)):
            raise fail("value", f"{value!r} is not a number or true/false")
    else:
        change_text = item["change"]
        match = _PERCENT.match(change_text) if isinstance(change_text, str) else None
        if match is None:
            raise fail("change", f"{change_text!r} is not a percentage such as +10%, -5% or +2.5%")
        percent = float(match.group(2)) * (-1 if match.group(1) == "-" else 1)
        if percent < -100:
            raise fail("change", f"{change_text} would make the values negative")

    period = item.get("period")
    if period is not None:
        if not has_value:
            raise fail("period", "only a `value` has a period; a percentage change keeps each value's own")
        if period not in ("month", "year", "case"):
            raise fail("period", f"{period!r} must be month, year or case")

    jurisdictions = item.get("jurisdictions")
    if jurisdictions is not None:
        if isinstance(jurisdictions, str) and jurisdictions != "all":
            jurisdictions = [jurisdictions]
        if isinstance(jurisdictions, list):
            if not jurisdictions or not all(isinstance(k, str) for k in jurisdictions):
                raise fail(
                    "jurisdictions", "give `all` or a list of jurisdiction keys, such as [yunnan, xishuangbanna]"
                )
            jurisdictions = tuple(dict.fromkeys(jurisdictions))
        elif jurisdictions != "all":
            raise fail("jurisdictions", f"{jurisdictions!r}: give `all` or a list of jurisdiction keys")
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        raise fail("note", "must be text")
    return Change(number, parameter, jurisdictions, start, value, percent, change_text, period, note)


# --------------------------------------------------------------------------------------------------
# Applying the changes to a parameter tree


def _all_paths(node: ParameterNode, prefix: str = ""):
    for name, child in node.children.items():
        path = f"{prefix}{name}"
        if isinstance(child, ParameterNode) and not (child.metadata or {}).get("by_jurisdiction"):
            yield from _all_paths(child, path + ".")
        else:
            yield path


def _find(parameters: ParameterNode, spec: ReformSpec, change: Change):
    """(parent node, key, parameter or jurisdictional node) of the change's parameter."""
    parent, node = None, parameters
    parts = change.parameter.split(".")
    for i, part in enumerate(parts):
        if isinstance(node, ParameterNode) and (node.metadata or {}).get("by_jurisdiction"):
            folder = ".".join(parts[:i])
            raise _error(
                spec,
                change,
                "parameter",
                f"'{change.parameter}' is one jurisdiction's file of '{folder}': write "
                f"`parameter: {folder}` with `jurisdictions: [{part}]`",
            )
        child = node.children.get(part) if isinstance(node, ParameterNode) else None
        if child is None:
            known = list(_all_paths(parameters))
            close = difflib.get_close_matches(change.parameter, known, n=3, cutoff=0.6)
            hint = f"did you mean {', '.join(close)}?" if close else "see the folders under parameters/"
            raise _error(spec, change, "parameter", f"unknown parameter '{change.parameter}'; {hint}")
        parent, node = node, child
    if isinstance(node, ParameterNode) and not (node.metadata or {}).get("by_jurisdiction"):
        raise _error(spec, change, "parameter", f"'{change.parameter}' is a folder of parameters, not one parameter")
    if not isinstance(node, (Parameter, ParameterNode)):
        raise _error(spec, change, "parameter", f"'{change.parameter}' is a scale; reforms of scales are not supported")
    return parent, parts[-1], node


def _error(spec: ReformSpec, change: Change, field: str, message: str) -> ReformError:
    return ReformError(f"{spec.display}, change {change.number} ({change.parameter}), field '{field}': {message}")


@dataclass(frozen=True)
class _Kind:
    """What a parameter holds: a flag, an amount with a period (month/year, or per case), or a number."""

    flag: bool
    amount: bool
    per_case: bool


def _kind(unit: str | None, periods: set) -> _Kind:
    return _Kind(unit == "bool", str(unit or "").startswith("currency"), "case" in periods)


def _check_value(spec, change: Change, kind: _Kind) -> str | None:
    """The period of the change's value (amounts), after checking value, change and period fit the parameter."""
    if kind.flag:
        if change.value is None:
            raise _error(spec, change, "change", "a yes/no parameter takes `value: true` or `value: false`")
        if not isinstance(change.value, bool):
            raise _error(spec, change, "value", f"a yes/no parameter takes true or false, not {change.value!r}")
    elif isinstance(change.value, bool):
        raise _error(spec, change, "value", f"'{change.parameter}' is a number, not yes/no")
    if change.period is not None and not kind.amount:
        raise _error(spec, change, "period", "only amounts (元) have a period")
    if not kind.amount or change.value is None:
        return None
    period = change.period or ("case" if kind.per_case else "month")
    if (period == "case") != kind.per_case:
        expected = "case (an amount per case)" if kind.per_case else "month or year"
        raise _error(spec, change, "period", f"'{change.parameter}' is quoted per {expected}, not per {period}")
    return period


def _round(value: float, kind: _Kind) -> float:
    """Amounts to the fen, other numbers to 1e-9: 700 × 1.1 is 770, not 770.0000000000001."""
    return round(value, 2 if kind.amount else 9)


def _metadata(spec: ReformSpec, change: Change, note: str, period: str | None, horizon: str | None = None) -> dict:
    reference = [{"title": f"Reform {spec.name}: {spec.label}", "source": spec.display, "change": change.number}]
    if spec.reference:  # the reform's own sources (a proposal, a draft notice), as the file gives them
        reference += spec.reference if isinstance(spec.reference, list) else [spec.reference]
    metadata = {
        "reference": reference,
        "confidence": REFORM_CONFIDENCE,
        "reform": spec.name,
        "note": f"{note}. {change.note}" if change.note else note,
    }
    if period is not None:
        metadata["period"] = period
    if horizon is not None:  # a change relative to a sourced value holds only as far as that value does
        metadata["horizon"] = horizon
    return metadata


def _write(node: ParameterNode, key: str, start: str, plan: list, spec: ReformSpec, change: Change, kind: _Kind):
    """Replace the own values of ``node.<key>`` from ``start`` by ``plan`` [(date, value, period, note, horizon)]."""
    parameter = node.children.get(key)
    if parameter is None:
        file_metadata = {
            "unit": (node.metadata or {}).get("unit"),
            **_metadata(
                spec,
                change,
                f"created by reform {spec.name}: no values of its own before; before {start} it inherits its parent's",
                None,
            ),
        }
        if kind.amount:
            file_metadata["period"] = "case" if kind.per_case else "month"
        parameter = Parameter(
            f"{node.name}.{key}",
            {"description": node.description, "metadata": file_metadata, "values": {start: {"value": None}}},
            file_path=str(spec.file),
        )
        node.add_child(key, parameter)
    new = [
        ParameterAtInstant(
            f"{parameter.name}[{date}]",
            date,
            data={"value": value, "metadata": _metadata(spec, change, note, period, horizon)},
            file_path=str(spec.file),
            metadata=parameter.metadata,
        )
        for date, value, period, note, horizon in plan
    ]
    kept = [entry for entry in parameter.values_list if entry.instant_str < start]
    parameter.values_list = list(reversed(new)) + kept


def _per(period: str | None) -> str:
    return f" per {period}" if period else ""


def _apply_jurisdictional(node, registry: Registry, spec: ReformSpec, change: Change) -> None:
    if change.jurisdictions is None:
        raise _error(spec, change, "jurisdictions", "missing: give `all` or a list of jurisdiction keys")
    if change.jurisdictions == "all":
        targets = [k for k in registry.keys if k == registry.keys[0] or k in node.children]
    else:
        unknown = [k for k in change.jurisdictions if k not in registry]
        if unknown:
            close = {k: difflib.get_close_matches(k, registry.keys, n=1) for k in unknown}
            hints = "; ".join(f"'{k}'" + (f" (did you mean '{c[0]}'?)" if c else "") for k, c in close.items())
            raise _error(
                spec, change, "jurisdictions", f"unknown jurisdiction(s) {hints}; known: {', '.join(registry.keys)}"
            )
        targets = list(change.jurisdictions)
    periods = {
        entry.metadata.get("period", child.metadata.get("period"))
        for child in node.children.values()
        for entry in child.values_list
    } | {child.metadata.get("period") for child in node.children.values()}
    kind = _kind((node.metadata or {}).get("unit"), periods)
    period = _check_value(spec, change, kind)
    if change.value is None and kind.flag:
        raise _error(spec, change, "change", "a percentage cannot change a yes/no parameter")

    plans: dict[str, list] = {}
    if change.value is not None:
        note = f"reform {spec.name}, change {change.number}: {change.value!r}{_per(period)} from {change.start}"
        for key in targets:
            plans[key] = [(change.start, change.value, period, note, None)]
    else:
        # Every value in force, own or inherited, read before anything of this change is written.
        resolved = ResolvedParameter(change.parameter, node, registry)
        dates = [change.start] + [d for d in resolved.dates if d > change.start]
        for key in targets:
            plan = []
            for date in dates:
                source = resolved.source(key, date)
                if source is None:
                    item = (
                        date,
                        None,
                        None,
                        f"reform {spec.name}, change {change.number}: no value in force to change",
                        None,
                    )
                else:
                    whose = "its own" if source.source_jurisdiction == key else f"{source.source_jurisdiction}'s"
                    item = (
                        date,
                        _round(source.value * change.factor, kind),
                        source.period if kind.amount else None,
                        f"reform {spec.name}, change {change.number}: {change.change_text} of "
                        f"{source.value:g}{_per(source.period if kind.amount else None)} ({whose} value from {source.start})",
                        source.horizon,
                    )
                if plan and (plan[-1][1:3], plan[-1][4]) == (item[1:3], item[4]):
                    continue  # same value, period and horizon: nothing changes at this date (a horizon's end included)
                plan.append(item)
            own = node.children.get(key)
            earlier = [e for e in own.values_list if e.instant_str < change.start] if own else []
            if not earlier or earlier[0].value is None:
                # No own value runs into `from`, so a leading "no value" would only repeat that.
                while plan and plan[0][1] is None:
                    plan.pop(0)
            if plan or key in node.children:
                plans[key] = plan
    for key, plan in plans.items():
        _write(node, key, change.start, plan, spec, change, kind)


def _apply_plain(node: ParameterNode, key: str, parameter: Parameter, spec: ReformSpec, change: Change) -> None:
    """A parameter not by jurisdiction: values are stored in its file's period (openfisca reads them as they are)."""
    if change.jurisdictions is not None:
        raise _error(
            spec, change, "jurisdictions", f"'{change.parameter}' does not vary by jurisdiction; remove the field"
        )
    file_period = parameter.metadata.get("period")
    kind = _kind(parameter.metadata.get("unit"), {file_period})
    period = _check_value(spec, change, kind)
    if change.value is None and kind.flag:
        raise _error(spec, change, "change", "a percentage cannot change a yes/no parameter")
    if change.value is not None:
        value = change.value
        note = f"reform {spec.name}, change {change.number}: {change.value!r}{_per(period)} from {change.start}"
        if kind.amount and period != file_period and file_period in ("month", "year"):
            value = _round(value / PERIOD_DIVISORS[period] * PERIOD_DIVISORS[file_period], kind)
            note += f" (= {value:g}{_per(file_period)})"
        plan = [(change.start, value, None, note, None)]
    else:
        plan = []
        for date in [change.start] + sorted(
            {e.instant_str for e in parameter.values_list if e.instant_str > change.start}
        ):
            old = parameter(date)
            value = None if old is None else _round(old * change.factor, kind)
            note = f"reform {spec.name}, change {change.number}: " + (
                "no value in force to change" if old is None else f"{change.change_text} of {old:g}"
            )
            if not (plan and plan[-1][1] == value):
                plan.append((date, value, None, note, None))
    _write(node, key, change.start, plan, spec, change, kind)


def apply_changes(parameters: ParameterNode, registry: Registry, spec: ReformSpec) -> ParameterNode:
    """Apply every change of ``spec`` to ``parameters`` (in place; a Reform passes it a copy) and return it."""
    for change in spec.changes:
        parent, key, target = _find(parameters, spec, change)
        if isinstance(target, ParameterNode):
            _apply_jurisdictional(target, registry, spec, change)
        else:
            _apply_plain(parent, key, target, spec, change)
    return parameters


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
