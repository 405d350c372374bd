"""Outputs a run could not compute: their reasons merged over partitions, the months an output lacks, and the
counts of rows that need a missing value added up over partitions (a partition's message counts its own)."""

from __future__ import annotations

from collections.abc import Iterable

from openfisca_cn_assist.analysis.outputs import builtin_outputs
from openfisca_cn_assist.engine.errors import SHOWN, word

MAX_REASONS = 3  # distinct reasons kept per output: partitions' messages differ only in their counts and rows
_MORE = "… and other partitions' reasons like these"


def merge_not_computed(maps: Iterable[dict], order: list[str] | None = None) -> dict[str, str]:
    """The union of not-computed outputs, in output order (``order``, default the built-in system's), each with
    its first distinct reasons (one a line)."""
    reasons: dict[str, list[str]] = {}
    more: set[str] = set()
    for mapping in maps:
        for name, reason in mapping.items():
            known = reasons.setdefault(name, [])
            for line in str(reason).split("\n"):
                if line == _MORE or len(known) >= MAX_REASONS:
                    more.update([name] if line not in known else [])
                elif line not in known:
                    known.append(line)
    order = {name: i for i, name in enumerate(builtin_outputs().order if order is None else order)}
    return {
        name: "\n".join(reasons[name] + ([_MORE] if name in more else []))
        for name in sorted(reasons, key=lambda n: (order.get(n, len(order)), n))
    }


def merge_months(maps: Iterable[dict]) -> dict[str, dict[str, str]]:
    """``{output: {month: reason}}`` over parts: the union of the months, each with its first reason."""
    merged: dict[str, dict[str, str]] = {}
    for mapping in maps:
        for name, months in mapping.items():
            known = merged.setdefault(name, {})
            for month, reason in months.items():
                known.setdefault(month, reason)
    return {name: dict(sorted(months.items())) for name, months in merged.items()}


def merge_needs(maps: Iterable[dict]) -> dict[str, dict]:
    """``{template: need}`` over parts (``{output: {template: need}}`` each, in partition order): the counts added
    up, the first rows named and the jurisdictions concerned over all parts, and every part's own wording of the
    message (``reasons``). A message is about one value for some rows, whichever output asked for it: within a
    part, outputs that stopped at the same message count the same rows once."""
    merged: dict[str, dict] = {}
    for mapping in maps:
        own: dict[str, dict] = {}
        for needs in mapping.values():
            for template, need in needs.items():
                own.setdefault(template, need)
        for template, need in own.items():
            total = merged.setdefault(template, {"count": 0, "rows": [], "places": [], "reasons": []})
            total["count"] += int(need["count"])
            total["rows"] = (total["rows"] + list(need["rows"]))[:SHOWN]
            total["places"] += [tuple(p) for p in need.get("places", ()) if tuple(p) not in total["places"]]
            total["reasons"] += [r for r in need["reasons"] if r not in total["reasons"]]
    return merged


def with_total_count(reason: str, needs: dict[str, dict]) -> str:
    """The reason with each partition's message about a missing value worded again from its template (the
    message with slots for the count and the rows), with the count of rows that need the value and the first of
    them over all partitions (a partition's own message counts and names its own rows)."""
    if not needs:
        return reason
    worded = {}
    for template, need in needs.items():
        text = word(template, need["rows"], need["count"], need.get("places", ()), chains_first=True)
        worded.update(dict.fromkeys(need["reasons"], text))
    lines = [worded.get(line, line) for line in reason.split("\n")]
    return "\n".join(dict.fromkeys(lines))  # partitions' messages that now read the same are shown once


def merged_reasons(parts: list, order: list[str] | None = None) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Parts' (aggregates') reasons, merged: ``not_computed`` and ``months_not_computed``, each partition's message
    about a missing value worded first with the counts and rows over all parts, so that it is kept once."""
    needs = merge_needs(p.needs for p in parts)

    not_computed = merge_not_computed(
        ({n: with_total_count(r, needs) for n, r in p.not_computed.items()} for p in parts), order
    )
    months = merge_months(
        {
            n: {m: with_total_count(r, needs) for m, r in by_month.items()}
            for n, by_month in p.months_not_computed.items()
        }
        for p in parts
    )
    return not_computed, months
