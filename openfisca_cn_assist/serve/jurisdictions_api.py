"""``GET /jurisdictions``: the national register of divisions, searched, filtered by date, level and parent, paged.

The listing (:func:`list_divisions`, :func:`division_row`) is shared with ``cn-assist jurisdictions`` so that the
command's ``--json`` and the Web API answer with the same fields. Flask is imported only inside the view, so the
command line does not pay for it.
"""

from __future__ import annotations

import datetime
import re

from openfisca_cn_assist.engine.division_search import did_you_mean, search
from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.jurisdictions import Registry

DIVISION_LEVELS = ("province", "prefecture", "county")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000  # a page of the register, not all 6,800 records in one answer


class ListingError(InputError):
    """A bad filter; ``field`` names it (``date``, ``level``, ``parent``, ``limit``, ``offset``)."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def checked_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` (``YYYY-MM`` and ``YYYY`` read as their first day), or None when not given."""
    if text is None or text == "":
        return None
    full = (
        text + "-01-01"
        if re.fullmatch(r"\d{4}", text)
        else text + "-01"
        if re.fullmatch(r"\d{4}-\d{2}", text)
        else text
    )
    try:
        return datetime.date.fromisoformat(full).isoformat()
    except ValueError:
        raise ListingError(f"date is YYYY-MM-DD (or YYYY-MM, YYYY), not {text!r}", "date") from None


def checked_level(text: str | None) -> str | None:
    if text is None or text == "":
        return None
    if text not in DIVISION_LEVELS:
        raise ListingError(f"level is one of {', '.join(DIVISION_LEVELS)}, not {text!r}", "level")
    return text


def parent_record(registry: Registry, text: str, date: str | None) -> int:
    """The record a ``parent`` filter names (a code: the record in force at ``date``, else its latest; a key)."""
    index = registry.record_in_force(text, date) if date and text in registry.records_by_code else None
    index = registry.resolve_name(text) if index is None else index
    if index is None:
        raise ListingError(f"unknown parent {text!r}{did_you_mean(registry, text)}", "parent")
    return index


def list_divisions(
    registry: Registry,
    query: str = "",
    date: str | None = None,
    level: str | None = None,
    parent: str | None = None,
) -> list[int]:
    """Indices of the divisions (every record with a code: the national root is not a division) matching
    ``query`` (code prefix, part of the Chinese name, pinyin prefix or key), in force at ``date``, of ``level``,
    and whose parent at ``date`` (latest when no date) is ``parent``; in the register's order (by code)."""
    found = [i for i in search(registry, query or "", date, level) if registry.jurisdictions[i].code]
    if parent:
        parent_key = registry.keys[parent_record(registry, parent, date)]
        found = [i for i in found if registry.jurisdictions[i].parent_at(date) == parent_key]
    return found


def is_project_key(key: str) -> bool:
    """A pinyin key of jurisdictions.yaml (mengla), not a code (532823) or an earlier record (421002_1994)."""
    return not key[:1].isdigit()


def division_row(registry: Registry, index: int, date: str | None = None) -> dict:
    """One division as the command's --json and the Web API give it; ``parent`` is the parent's code at
    ``date`` (latest when None), null for a province (its parent is the national root)."""
    j = registry.jurisdictions[index]
    parent_key = j.parent_at(date)
    return {
        "code": j.code,
        "key": j.key,
        "name": j.name_zh,
        "name_en": j.name_en,
        "pinyin": j.pinyin,
        "level": j.level,
        "parent": registry[parent_key].code if parent_key else None,
        "valid_from": j.valid_from,
        "valid_until": j.valid_until,
        "successors": list(j.successors),
    }


def _bounded(text: str | None, field: str, default: int, low: int, high: int | None) -> int:
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise ListingError(f"{field} is a whole number, not {text!r}", field) from None
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ListingError(f"{field} is {bound}, not {value}", field)
    return value


def jurisdictions_answer(registry: Registry, args) -> dict:
    """The answer to ``GET /jurisdictions`` for the query arguments ``args`` (a mapping of strings)."""
    date = checked_date(args.get("date"))
    level = checked_level(args.get("level"))
    limit = _bounded(args.get("limit"), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _bounded(args.get("offset"), "offset", 0, 0, None)
    query = (args.get("q") or "").strip()
    found = list_divisions(registry, query, date, level, args.get("parent") or None)
    page = found[offset : offset + limit]
    return {
        "count": len(found),
        "offset": offset,
        "limit": limit,
        "date": date,
        "jurisdictions": [division_row(registry, i, date) for i in page],
    }


def register_jurisdictions(app, system) -> None:
    """Add ``GET /jurisdictions`` to ``app`` (the server's Flask app) for ``system``'s register."""
    import json

    def jurisdictions():
        from flask import request

        try:
            payload, status = jurisdictions_answer(system.registry, request.args), 200
        except ListingError as error:
            payload, status = {"error": str(error), "field": error.field}, 400
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return app.response_class(body, status=status, mimetype="application/json")

    app.add_url_rule("/jurisdictions", "jurisdictions", jurisdictions)


JURISDICTIONS_SPEC = {
    "/jurisdictions": {
        "get": {
            "tags": ["Jurisdictions"],
            "summary": "The national register of divisions (行政区划代码), searched and filtered, one page at a time",
            "description": (
                "Every county-level division and above since 1981 (docs/divisions.md). q: a code prefix, part of "
                "the Chinese name, a pinyin prefix or a key; date: only divisions in force then (and parents at "
                f"that date); level: {', '.join(DIVISION_LEVELS)}; parent: a code or key, its children at the date. "
                f"limit (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}) and offset page through count matches."
            ),
            "parameters": [
                {"name": "q", "in": "query", "required": False, "schema": {"type": "string"}},
                {"name": "date", "in": "query", "required": False, "schema": {"type": "string", "format": "date"}},
                {
                    "name": "level",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": list(DIVISION_LEVELS)},
                },
                {"name": "parent", "in": "query", "required": False, "schema": {"type": "string"}},
                {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                },
                {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}},
            ],
            "responses": {
                "200": {
                    "description": "{count, offset, limit, date, jurisdictions: [{code, key, name, name_en, pinyin, "
                    "level, parent, valid_from, valid_until, successors}]}"
                },
                "400": {"description": "A bad date, level, parent, limit or offset; the answer names the field"},
            },
        }
    }
}
