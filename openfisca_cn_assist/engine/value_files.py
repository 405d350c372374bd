"""Jurisdictional parameter files, read and written as a person writes them by hand.

``cn-assist import-values`` (:mod:`openfisca_cn_assist.engine.value_import`) turns a bureau's table into dated
values; this module knows the folders (``parameters/<path>/index.yaml`` with ``by_jurisdiction: true``) and
writes the files: a new file in the layout of the existing ones (``description``, ``metadata`` with ``unit``,
``period``, ``reference``, ``confidence``, then ``values``, each with its ``horizon``), or new dated values
inserted into an existing file's text without touching a line of it, so that its comments, quoting and order
stay as their author left them and a review shows only what was added.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

WIDTH = 110  # where the hand-written files wrap their long notes
_URL = re.compile(r"https?://\S+")
_DATE_KEY = re.compile(r"""^\s*['"]?(\d{4}-\d{2}-\d{2})['"]?\s*:""")


class MergeError(ValueError):
    """An existing file's layout is not one this writer can insert into without rewriting it."""


@dataclass
class ParameterFolder:
    """One jurisdictional parameter: its folder, its ``index.yaml`` metadata and its files by name."""

    path: str  # dotted: dibao.standard_urban
    folder: Path
    unit: str | None
    period: str | None  # the index's, rarely set
    description: str
    files: dict[str, Path] = field(default_factory=dict)
    periods: set[str] = field(default_factory=set)  # the periods the existing files quote values in


def _load(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def jurisdictional_folders(root: Path) -> dict[str, ParameterFolder]:
    """Every jurisdictional parameter under ``root`` (a ``parameters/`` folder), by dotted path."""
    folders = {}
    for index in sorted(root.rglob("index.yaml")):
        data = _load(index)
        metadata = data.get("metadata") or {}
        if not metadata.get("by_jurisdiction"):
            continue
        path = ".".join(index.parent.relative_to(root).parts)
        files = {p.stem: p for p in sorted(index.parent.glob("*.yaml")) if p.name != "index.yaml"}
        descriptions, units, periods = Counter(), Counter(), set()
        for file in files.values():
            content = _load(file)
            own = content.get("metadata") or {}
            descriptions[content.get("description")] += 1
            units[own.get("unit")] += 1
            for entry in (content.get("values") or {}).values():
                own_metadata = (entry.get("metadata") or {}) if isinstance(entry, dict) else {}
                period = own_metadata.get("period", own.get("period"))
                if period:
                    periods.add(period)
        descriptions.pop(None, None)
        units.pop(None, None)
        folders[path] = ParameterFolder(
            path=path,
            folder=index.parent,
            unit=metadata.get("unit") or (units.most_common(1)[0][0] if units else None),
            period=metadata.get("period"),
            # A jurisdiction's file repeats its siblings' description (the index's may add ", per person").
            description=descriptions.most_common(1)[0][0] if descriptions else data.get("description", path),
            files=files,
            periods=periods,
        )
    return folders


@dataclass(frozen=True)
class NewValue:
    """A dated value to write, with its provenance, from row ``row`` of a table."""

    date: str
    value: float | int | bool
    period: str | None
    source: str
    confidence: str
    horizon: str  # YYYY-MM-DD or "open"
    note: str | None = None
    row: int = 0

    @property
    def reference(self) -> dict:
        return reference_entry(self.source)


def reference_entry(source: str) -> dict:
    """A ``reference`` item from a table's source cell: a URL goes to ``url`` (the text around it, if any, is the
    ``title``), a seed file to ``source``, anything else is the ``title``."""
    text = " ".join(str(source).split())
    if text.startswith("seeds/"):
        return {"source": text}
    found = _URL.search(text)
    if not found:
        return {"title": text}
    title = (text[: found.start()] + text[found.end() :]).strip(" ,;:|–—-")
    return ({"title": title} if title else {}) | {"url": found.group(0).rstrip(".,;)")}


def _same_reference(a: dict, b) -> bool:
    """Two references to one document: the same URL or seed file, or the same title where neither has one."""
    if not isinstance(b, dict):
        return False
    for key in ("url", "source"):
        if a.get(key) or b.get(key):
            return a.get(key) == b.get(key)
    return a.get("title") == b.get("title")


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _entry(value: NewValue, shared: dict, reference: bool = False) -> dict:
    """A dated value: ``value``, then the metadata its file does not already give it (horizon, period,
    confidence, note), in the order the hand-written files use."""
    metadata = {}
    if value.horizon != shared.get("horizon"):
        metadata["horizon"] = value.horizon if value.horizon == "open" else _date(value.horizon)
    if value.period and value.period != shared.get("period"):
        metadata["period"] = value.period
    if value.confidence != shared.get("confidence"):
        metadata["confidence"] = value.confidence
    if value.note:
        metadata["note"] = value.note
    if reference:
        metadata["reference"] = [value.reference]
    return {"value": value.value, "metadata": metadata} if metadata else {"value": value.value}


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=WIDTH, default_flow_style=False)


def _most_common(items: list) -> object:
    """The most frequent item, the first one given on a tie."""
    counts = Counter(items)
    return max(counts, key=lambda item: (counts[item], -items.index(item)))


def new_file_data(folder: ParameterFolder, values: list[NewValue]) -> dict:
    """The content of a jurisdiction's first file for ``folder``: what most of its values share goes in the
    file's metadata, the rest on each value."""
    values = sorted(values, key=lambda v: v.date)
    horizons = {v.horizon for v in values}
    periods = [v.period for v in values if v.period]
    shared: dict = {"horizon": "open"} if horizons == {"open"} else {}  # a standing rule's file says it once
    shared["unit"] = folder.unit
    if periods:
        shared["period"] = _most_common(periods)
    references: list[dict] = []
    for v in values:
        if not any(_same_reference(v.reference, r) for r in references):
            references.append(v.reference)
    shared["reference"] = references
    shared["confidence"] = _most_common([v.confidence for v in values])
    entries = {_date(v.date): _entry(v, shared) for v in values}
    return {"description": folder.description, "metadata": shared, "values": entries}


def render_new_file(folder: ParameterFolder, values: list[NewValue]) -> str:
    return _dump(new_file_data(folder, values))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    """A line that carries YAML content (not blank, not only a comment)."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _top_level_block(lines: list[str], key: str) -> tuple[int, int] | None:
    """(line of ``key:`` at column 0, end of its block), the end before trailing blank or comment lines."""
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{key}:\s*(#.*)?$", line)), None)
    if start is None:
        return None
    end = start + 1
    last = start + 1
    while end < len(lines) and not (_content(lines[end]) and _indent(lines[end]) == 0):
        if _content(lines[end]):
            last = end + 1
        end += 1
    return start, last


def _shift(text: str, indent: int) -> list[str]:
    return [(" " * indent + line if line.strip() else line) for line in text.splitlines(keepends=True)]


def _reference_end(lines: list[str], block: tuple[int, int]) -> tuple[int, int] | None:
    """(insertion line after the last item of the file's ``reference`` list, the items' indent), or None when
    the list is not a block list this writer can append to."""
    start, end = block
    children = [i for i in range(start + 1, end) if _content(lines[i])]
    if not children:
        return None
    key_indent = _indent(lines[children[0]])
    found = next(
        (i for i in children if _indent(lines[i]) == key_indent and re.match(r"^\s*reference:\s*(#.*)?$", lines[i])),
        None,
    )
    if found is None:
        return None
    items = [i for i in range(found + 1, end) if _content(lines[i])]
    dash, last = None, None
    for i in items:
        line, indent = lines[i], _indent(lines[i])
        if indent < key_indent or (indent == key_indent and not line.lstrip().startswith("- ")):
            break
        if dash is None:
            dash = indent
        last = i
    return None if last is None else (last + 1, dash)


def _value_positions(lines: list[str], block: tuple[int, int], dates: list[str]) -> tuple[list[int], int]:
    """For each new date, the line to insert its entry before (the next later entry, above the comments that
    head it; or the end of the values), and the entries' indent."""
    start, end = block
    headers = [(i, m.group(1)) for i in range(start + 1, end) if (m := _DATE_KEY.match(lines[i]))]
    if not headers:
        raise MergeError("its values are not dated entries YYYY-MM-DD: under values:")
    indent = _indent(lines[headers[0][0]])
    headers = [(i, d) for i, d in headers if _indent(lines[i]) == indent]
    positions = []
    for date in dates:
        later = next((i for i, d in headers if d > date), None)
        if later is None:
            positions.append(end)
            continue
        while later - 1 > start and lines[later - 1].strip().startswith("#") and _indent(lines[later - 1]) == indent:
            later -= 1
        positions.append(later)
    return positions, indent


def merge_into_text(text: str, values: list[NewValue]) -> str:
    """``text`` (an existing file) with ``values`` inserted in date order and their sources added to the file's
    ``reference`` list; every existing line kept as it is. Checked by parsing the result."""
    data = yaml.safe_load(text) or {}
    shared = data.get("metadata") or {}
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    values = sorted(values, key=lambda v: v.date)
    expected = copy.deepcopy(data)
    inserts: list[tuple[int, list[str]]] = []

    metadata_block = _top_level_block(lines, "metadata")
    reference_at = _reference_end(lines, metadata_block) if metadata_block else None
    known = list(shared.get("reference") or []) if isinstance(shared.get("reference"), list) else None
    if reference_at is not None and known is not None:
        added = []
        for v in values:
            if not any(_same_reference(v.reference, r) for r in known + added):
                added.append(v.reference)
        if added:
            inserts.append((reference_at[0], _shift(_dump(added), reference_at[1])))
            expected["metadata"]["reference"] = known + added
    # A file whose reference list cannot take an item (none, or a flow list) gets each source on its value.
    per_value = reference_at is None or known is None

    values_block = _top_level_block(lines, "values")
    if values_block is None:
        raise MergeError("it has no values: block")
    positions, indent = _value_positions(lines, values_block, [v.date for v in values])
    expected.setdefault("values", {})
    for v, position in zip(values, positions):
        entry = _entry(v, shared, reference=per_value)
        inserts.append((position, _shift(_dump({_date(v.date): entry}), indent)))
        expected["values"][_date(v.date)] = entry

    chunks: dict[int, list[str]] = {}
    for position, chunk in inserts:  # in date order: entries that share a position stay in that order
        chunks.setdefault(position, []).extend(chunk)
    for position in sorted(chunks, reverse=True):  # later first, so that earlier positions still hold
        lines[position:position] = chunks[position]
    merged = "".join(lines)
    if yaml.safe_load(merged) != expected:
        raise MergeError("inserting the values as text would not give the intended content")
    return merged
