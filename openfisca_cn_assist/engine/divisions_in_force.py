"""Which record a household's division code names at a date, and the refusal when the code is not in force.

A code given as input names its latest record; at each date the lookups use the record of that code in force
then (:meth:`Registry.in_force_at`). A code not in force at the date stops the computation with
:class:`DivisionNotInForceError` naming the code, its validity and its successors, unless the system maps a
retired code to its single successor (the ``map_retired_codes`` reform; ``map_retired_codes=True`` in Python,
``--map-retired-codes`` on the CLI, ``"map_retired_codes": true`` over HTTP), in which case the mapping is
recorded on the simulation and reported with the results (:func:`mapped_codes`).
"""

from __future__ import annotations

import numpy as np

from openfisca_cn_assist.engine.cache import cache_on
from openfisca_cn_assist.engine.options import has_option, with_option
from openfisca_cn_assist.engine.resolver import MissingParameterValueError

MAPPING_HINT = (
    "To map a retired code to its single successor instead (the results then list the mapping), opt in: "
    'map_retired_codes=True (Python run/compare/calculate), --map-retired-codes (cn-assist), "map_retired_codes": '
    "true (HTTP), or `reforms: [openfisca_cn_assist.reforms.map_retired_codes]` (YAML tests)."
)


class DivisionNotInForceError(MissingParameterValueError):
    """A household's division code was not in force at the date computed. ``code``, ``valid_from``,
    ``valid_until`` and ``successors`` say which; ``rows`` and ``entity`` which households."""

    code: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    successors: tuple[str, ...] = ()


MAP_RETIRED_REFORM = MAP_RETIRED_FLAG = "map_retired_codes"


def maps_retired_codes(system) -> bool:
    """Whether ``system`` (or a system it reforms) maps retired codes to their single successor."""
    return has_option(system, MAP_RETIRED_FLAG)


def mapping_retired_codes(system):
    """``system`` with the map_retired_codes reform applied, built once per system."""
    return with_option(system, MAP_RETIRED_REFORM, MAP_RETIRED_FLAG)


def records_in_force(population, index: np.ndarray, present: np.ndarray, date: str) -> tuple[np.ndarray, np.ndarray]:
    """(index, present) with every record replaced by the record of its code in force at ``date``."""
    simulation = population.simulation
    registry = simulation.tax_benefit_system.registry
    table = registry.in_force_at(date)
    mapped = table[present]
    if (mapped == present).all():
        return index, present
    retired = present[mapped < 0]
    if len(retired):
        table = table.copy()
        unmapped = []
        for record in retired:
            successor = (
                registry.successor_at(int(record), date) if maps_retired_codes(simulation.tax_benefit_system) else None
            )
            if successor is None:
                unmapped.append(int(record))
            else:
                table[record] = successor
                note_mapping(simulation, registry, int(record), successor, int((index == record).sum()), date)
        if unmapped:
            raise not_in_force_error(
                registry, unmapped[0], date, population.entity.key, np.flatnonzero(index == unmapped[0])
            )
    index = table[index]
    return index, np.flatnonzero(np.bincount(index))


def not_in_force_error(registry, record: int, date: str, entity: str, rows: np.ndarray) -> DivisionNotInForceError:
    j = registry.jurisdictions[record]
    successors = [_describe(registry, code) for code in j.successors]
    later = (
        f"its successor{'s' if len(successors) > 1 else ''}: {', '.join(successors)}"
        if successors
        else ("no successor is recorded")
    )
    first = ", ".join(str(r) for r in rows[:5])
    error = DivisionNotInForceError(
        f"Division code {j.code} ({j.name_zh}) is not in force on {date}: it is in force {j.validity} "
        f"(register years are mapped to dates as docs/jurisdictions.md says); {later}. "
        f"{len(rows)} {entity}(s) give it, first rows: {first}. Use the code in force on {date}"
        + (f". {MAPPING_HINT}" if len(j.successors) == 1 else ".")
    )
    error.parameter, error.date, error.entity, error.rows = "jurisdiction", date, entity, np.asarray(rows)
    error.code, error.valid_from, error.valid_until, error.successors = (
        j.code,
        j.valid_from,
        j.valid_until,
        j.successors,
    )
    return error


def _describe(registry, code: str) -> str:
    records = registry.records_by_code.get(code)
    if not records:
        return code
    j = registry.jurisdictions[records[-1]]
    return f"{code} ({j.name_zh}, in force from {j.valid_from})"


def note_mapping(simulation, registry, record: int, successor: int, rows: int, date: str) -> None:
    old, new = registry.jurisdictions[record], registry.jurisdictions[successor]
    mappings = cache_on(simulation, "mapped_codes")
    entry = mappings.setdefault(
        (old.key, new.key),
        {"code": old.code, "name": old.name_zh, "mapped_to": new.code, "mapped_to_name": new.name_zh, "rows": rows},
    )
    entry.setdefault("from", date)


def mapped_codes(simulation) -> list[dict]:
    """The retired codes this simulation mapped to their successor: code, name, mapped_to, rows, from (date)."""
    return list(cache_on(simulation, "mapped_codes").values())


def merge_mapped(parts) -> list[dict]:
    """The mappings of several partitions: one entry per (code, successor), rows added, earliest date."""
    merged: dict[tuple, dict] = {}
    for part in parts:
        for entry in part:
            key = (entry["code"], entry["mapped_to"])
            if key in merged:
                merged[key] = {**merged[key], "rows": merged[key]["rows"] + entry["rows"]}
                merged[key]["from"] = min(merged[key]["from"], entry["from"])
            else:
                merged[key] = dict(entry)
    return sorted(merged.values(), key=lambda e: e["code"])
