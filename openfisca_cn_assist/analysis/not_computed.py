"""Outputs a run could not compute: their reasons merged over partitions, the months an output lacks, and the
counts of rows that need a missing value added up over partitions (a partition's message counts its own)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from openfisca_cn_assist.analysis.outputs import builtin_outputs

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


def merge_needs(maps: Iterable[dict]) -> dict[str, dict[str, int]]:
    merged: dict[str, dict[str, int]] = {}
    for mapping in maps:
        for name, counts in mapping.items():
            known = merged.setdefault(name, {})
            for key, count in counts.items():
                known[key] = known.get(key, 0) + int(count)
    return merged


_COUNT = re.compile(r"\b[\d,]+ (\w+)\(s\) need it")


def with_total_count(reason: str, needs: dict[str, int] | None) -> str:
    """The reason with its count of rows needing the value replaced by the count over all partitions.

    A partition's message counts its own rows; the first message shown is the first partition's, whose
    (parameter, date, entity) is the first key of ``needs``.
    """
    if not needs:
        return reason
    key, total = next(iter(needs.items()))
    entity = key.rsplit("|", 1)[-1]
    first, _, rest = reason.partition("\n")
    match = _COUNT.search(first)
    if match is None or match.group(1) != entity:
        return reason
    first = first[: match.start()] + f"{total:,} {entity}(s) need it" + first[match.end() :]
    return first + ("\n" + rest if rest else "")
