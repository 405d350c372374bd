"""Small text helpers shared by the steps."""

from __future__ import annotations


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _relative(path: str | None) -> str | None:
    if not path:
        return None
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[parts.index("parameters") :]) if "parameters" in parts else path
