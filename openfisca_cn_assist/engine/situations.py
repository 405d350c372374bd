"""Helpers for situations in OpenFisca's /calculate JSON format."""

from __future__ import annotations

import re

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")  # a real month: 2022-13 is not one


def first_month(situation) -> str | None:
    """The first YYYY-MM period key found among the situation's inputs (tolerant of malformed parts)."""
    if not isinstance(situation, dict):
        return None
    for plural in ("persons", "households"):
        entities = situation.get(plural)
        for instance in entities.values() if isinstance(entities, dict) else ():
            for values in instance.values() if isinstance(instance, dict) else ():
                for key in values if isinstance(values, dict) else ():
                    if isinstance(key, str) and MONTH.match(key):
                        return key
    return None
