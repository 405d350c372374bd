"""What a reform changed, for the head of an impact report: each parameter, jurisdiction and date, before → after.

A reader of "+10 % standards" expects +10 % spending; what a reform touches (and what it cannot touch,
such as class amounts, which are not standards) has to be said where the figures are shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from openfisca_core.parameters import ParameterNode

from openfisca_cn_assist.engine.reform_tools import load_reform
from openfisca_cn_assist.engine.resolver import resolver_for

SHOWN_PER_CHANGE = 12  # rows printed per change; the JSON has them all


def _node(system, path: str):
    node = system.parameters
    for part in path.split("."):
        node = node.children[part]
    return node


def _targets(change, node, registry) -> list[str]:
    if change.jurisdictions == "all":
        return [k for k in registry.keys if k == registry.keys[0] or k in node.children]
    return list(change.jurisdictions)


def _value(system, path: str, key: str | None, date: str) -> dict:
    """The value in force at ``date`` (with its period and whose it is), for one jurisdiction or a plain parameter."""
    if key is None:
        value = _node(system, path)(date)
        return {"value": value, "period": None, "from_jurisdiction": None}
    source = resolver_for(system)[path].source(key, date)
    if source is None:
        return {"value": None, "period": None, "from_jurisdiction": None}
    return {"value": source.value, "period": source.period, "from_jurisdiction": source.source_jurisdiction}


def _parametric_rows(spec, before, after) -> list[dict]:
    rows = []
    for change in spec.changes:
        node = _node(after, change.parameter)
        keys = _targets(change, node, after.registry) if isinstance(node, ParameterNode) else [None]
        for key in keys:
            old, new = (
                _value(before, change.parameter, key, change.start),
                _value(after, change.parameter, key, change.start),
            )
            if old["value"] is None and new["value"] is None:
                continue  # no value in force before or after (china for most amounts): nothing to report
            rows.append(
                {
                    "reform": spec.name,
                    "change": change.number,
                    "parameter": change.parameter,
                    "jurisdiction": key,
                    "name": None if key is None else after.registry.label(key),
                    "from": change.start,
                    "before": old,
                    "after": new,
                    "as_written": change.change_text or change.value,
                }
            )
    return rows


def reform_changes(baseline, reforms: Sequence, period: str | None = None) -> list[dict]:
    """One row per parameter, jurisdiction and date that ``reforms`` (applied in order) change (JSON-ready).

    A structural reform (Python) has one row saying so: its changes are code, not values.
    """
    rows, before = [], baseline
    for reform in reforms:
        cls = load_reform(reform)
        after = cls(before)
        spec = getattr(cls, "spec", None)
        if spec is None:
            summary = (cls.__doc__ or "").strip().split("\n")[0]
            rows.append({"reform": getattr(cls, "name", None) or cls.__name__, "structural": True, "summary": summary})
        else:
            rows.extend(_parametric_rows(spec, before, after))
        before = after
    return rows


def _text(entry: dict) -> str:
    value = entry["value"]
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    period = f"/{entry['period']}" if entry["period"] in ("month", "year") else ""
    return f"{value:g}{period}"


def describe_changes(rows: list[dict]) -> list[str]:
    """Lines for the report: per change, its rows (at most :data:`SHOWN_PER_CHANGE`), then how many more."""
    lines, shown = [], {}
    for row in rows:
        if row.get("structural"):
            lines.append(f"{row['reform']}: structural (code, not values): {row['summary']}")
            continue
        key = (row["reform"], row["change"])
        shown[key] = shown.get(key, 0) + 1
        if shown[key] > SHOWN_PER_CHANGE:
            continue
        where = f" {row['name']}" if row["name"] else ""
        inherited = row["before"]["from_jurisdiction"]
        origin = f" (inherited from {inherited})" if inherited and inherited != row["jurisdiction"] else ""
        lines.append(
            f"{row['reform']} #{row['change']} {row['parameter']}{where} from {row['from']}: "
            f"{_text(row['before'])}{origin} → {_text(row['after'])}"
        )
    for (reform, number), count in shown.items():
        if count > SHOWN_PER_CHANGE:
            lines.append(f"{reform} #{number}: … and {count - SHOWN_PER_CHANGE} more jurisdictions (all in --json)")
    return lines


def limits_of(rows: list[dict]) -> list[str]:
    """What the changed parameters cannot reach, said in words (the programmes a reader might expect to move)."""
    notes = []
    areas = sorted(
        {r["parameter"].rsplit("_", 1)[-1] for r in rows if r.get("parameter", "").startswith("dibao.standard_")}
    )
    for area in areas:
        notes.append(
            f"dibao.standard_{area} is the 低保 standard, not the class amounts (dibao.class_amount_a/b/c): where "
            f"{area} 低保 is paid by class (dibao.pays_by_class_{area}, e.g. 云南), the standard decides who is eligible "
            f"but a recipient household gets its class amount, so class-paid households already on 低保 are unchanged; "
            "change the class amounts too to raise what they get."
        )
    if any(r.get("parameter", "").startswith("tekun.basic_standard") for r in rows):
        notes.append(
            "tekun.basic_standard_* sets the 特困 basic living standard; where a ratio-to-低保 rule applies "
            "(tekun.basic_ratio_to_dibao × the 低保 standard) the higher of the two is paid, so raising it below that "
            "floor changes nothing."
        )
    return notes


CHANGES_HEADER = "What the reform changes (value in force at the date, before → after):"


def describe_reform(rows: list[dict] | None) -> list[str]:
    """The head of an impact report: :data:`CHANGES_HEADER`, then :func:`describe_changes` indented.

    ``rows`` None: an impact put together from household rows, which does not know its reforms."""
    if rows is None:
        return ["What the reform changes: not known (this impact was built from household rows, not by a compare)."]
    return [CHANGES_HEADER, *(f"  {line}" for line in describe_changes(rows))]


def describe_unaffected(rows: list[dict] | None, unchanged: Sequence[str]) -> list[str]:
    """The foot of an impact report: programmes whose spending did not change, then :func:`limits_of` as notes."""
    lines = [f"Unchanged on this caseload: {', '.join(unchanged)}."] if unchanged else []
    return lines + [f"Note: {line}" for line in limits_of(rows or [])]
