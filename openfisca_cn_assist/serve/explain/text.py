"""Small text helpers shared by the steps."""

from __future__ import annotations


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
