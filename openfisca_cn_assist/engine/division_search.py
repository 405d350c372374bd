"""Finding divisions in a registry: by code, Chinese name, pinyin or key; and did-you-mean for unknown names."""

from __future__ import annotations

import difflib
import re

from openfisca_cn_assist.engine.jurisdictions import Jurisdiction, Registry

_DIGITS = re.compile(r"^\d{1,6}$")


def matches(j: Jurisdiction, query: str) -> bool:
    """A code prefix, a part of the Chinese name, a pinyin prefix (spaces ignored) or the key."""
    q = query.strip().lower().replace(" ", "")
    if not q:
        return True
    if _DIGITS.match(q):
        return bool(j.code and j.code.startswith(q))
    return q in j.name_zh or j.pinyin.startswith(q) or q in j.key or q in j.name_en.lower().replace(" ", "")


def search(registry: Registry, query: str = "", date: str | None = None, level: str | None = None) -> list[int]:
    """Indices of the records matching ``query``, in force at ``date`` when given, of ``level`` when given."""
    return [
        i
        for i, j in enumerate(registry.jurisdictions)
        if (level is None or j.level == level) and (date is None or j.in_force(date)) and matches(j, query)
    ]


def suggest(registry: Registry, text: str, count: int = 5) -> list[str]:
    """The nearest codes and names to an unknown ``text``, as ``code 名称`` labels."""
    text = str(text).strip()
    if _DIGITS.match(text):
        codes = list(registry.records_by_code)
        # Codes that share the longest prefix are in the same province or prefecture.
        for length in range(min(len(text), 5), 1, -1):
            near = [c for c in codes if c.startswith(text[:length])]
            if near:
                near.sort(key=lambda c: abs(int(c) - int(text.ljust(6, "0"))))
                return [_label(registry, registry.records_by_code[c][-1]) for c in near[:count]]
        return []
    names = {}
    for i, j in enumerate(registry.jurisdictions):
        for name in (j.key, j.name_zh, j.pinyin):
            if name:
                names.setdefault(name, i)
    close = difflib.get_close_matches(text.lower() if text.isascii() else text, list(names), n=3 * count, cutoff=0.6)
    return list(dict.fromkeys(_label(registry, names[c]) for c in close))[:count]


def _label(registry: Registry, index: int) -> str:
    j = registry.jurisdictions[index]
    key = "" if j.key == j.code else f" [{j.key}]"
    return f"{j.code or j.key} {j.name_zh}{key}"


def did_you_mean(registry: Registry, text: str) -> str:
    near = suggest(registry, text)
    return f" (did you mean {', '.join(near)}?)" if near else ""
