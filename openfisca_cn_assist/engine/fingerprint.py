"""Which rules produced an answer: the package version and a *rules fingerprint*.

The fingerprint is a SHA-256 over, in a canonical order that does not depend on paths or on the install:

* every parameter's dated values (date, value, and the horizon that decides whether a value may be used),
* every variable's source (its class as written: formulas, ``defined_for``, period, entity, type),
* the register of divisions (keys, codes, validity, parents, successors),

so that two installs with the same rules give the same fingerprint and any change of a value, a formula or a
division changes it. A reformed system lists its reforms, innermost first, each with the fingerprint of the
rules it leaves (``reforms``); its own ``fingerprint`` covers the reformed rules. Computed once per system.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from importlib.metadata import PackageNotFoundError, version

from openfisca_core.parameters import Parameter, ParameterNode

from openfisca_cn_assist.engine.cache import cache_on

PACKAGE = "openfisca-cn-assist"


def package_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:  # a source tree on sys.path without an install
        return "unknown"


def _digest(items) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(json.dumps(item, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _parameter_items(node, prefix: str = ""):
    for name in sorted(node.children):
        child = node.children[name]
        path = f"{prefix}{name}"
        if isinstance(child, ParameterNode):
            yield from _parameter_items(child, path + ".")
        elif isinstance(child, Parameter):
            shared = (child.metadata or {}).get("horizon")
            values = [
                (e.instant_str, e.value, (e.metadata or {}).get("horizon", shared), (e.metadata or {}).get("period"))
                for e in child.values_list
            ]
            yield (path, (child.metadata or {}).get("period"), values)
        else:  # scales and other node kinds: their values as OpenFisca prints them
            yield (path, repr(child))


def _variable_source(variable) -> str:
    try:
        return inspect.getsource(type(variable))
    except (OSError, TypeError):  # built at run time (the jurisdiction enum): its definition instead
        possible = getattr(variable, "possible_values", None)
        return repr(
            (
                variable.name,
                variable.entity.key,
                variable.value_type.__name__,
                str(variable.definition_period),
                [m.name for m in possible] if possible is not None else None,
            )
        )


def _registry_items(registry):
    for j in registry.jurisdictions:
        yield (j.key, j.code, j.level, j.parent, j.parents, j.valid_from, j.valid_until, j.successors)


def _parts(system) -> dict[str, str]:
    cache = cache_on(system, "fingerprint")
    if "parts" not in cache:
        cache["parts"] = {
            "parameters": _digest(_parameter_items(system.parameters)),
            "variables": _digest((name, _variable_source(system.variables[name])) for name in sorted(system.variables)),
            "divisions": _digest(_registry_items(system.registry)),
        }
    return cache["parts"]


def fingerprint(system) -> str:
    """The rules fingerprint of ``system`` (hex SHA-256)."""
    return _digest(sorted(_parts(system).items()))


def _reforms(system) -> list[dict]:
    chain = []
    while getattr(system, "baseline", None) is not None:
        chain.append(system)
        system = system.baseline
    return [
        {
            "reform": type(r).__name__,
            "name": getattr(r, "name", None),
            "fingerprint": fingerprint(r),
        }
        for r in reversed(chain)
    ]


def rules(system) -> dict:
    """What to store with an answer to reproduce it: package version, fingerprint, its parts, the reforms."""
    root = system
    while getattr(root, "baseline", None) is not None:
        root = root.baseline
    return {
        "package": PACKAGE,
        "version": package_version(),
        "fingerprint": fingerprint(system),
        "parts": dict(_parts(system)),
        "baseline_fingerprint": fingerprint(root),
        "reforms": _reforms(system),
    }
