"""Applying a parametric reform's changes to a parameter tree.

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

import difflib
from dataclasses import dataclass

from openfisca_core.parameters import Parameter, ParameterAtInstant, ParameterNode

from openfisca_cn_assist.engine.jurisdictions import Registry
from openfisca_cn_assist.engine.reform_spec import REFORM_CONFIDENCE, Change, ReformError, ReformSpec
from openfisca_cn_assist.engine.resolver import PERIOD_DIVISORS, ResolvedParameter

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
