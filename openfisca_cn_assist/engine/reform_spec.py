"""The YAML format of parametric reforms: a name, a label and dated changes of parameters, read and checked.

What the changes mean is told in :mod:`openfisca_cn_assist.engine.reform_changes`.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from openfisca_cn_assist.engine.paths import REFORMS_DIR

REFORM_CONFIDENCE = "reform"
"""``confidence`` of every value a reform writes: not law, a scenario (see the value's ``reform`` and ``note``)."""

SUFFIXES = (".yaml", ".yml", ".py")
_TOP_KEYS = {"name", "label", "description", "reference", "changes"}
_CHANGE_KEYS = {"parameter", "jurisdictions", "from", "value", "change", "period", "note"}
_PERCENT = re.compile(r"^\s*([+-]?)\s*(\d+(?:\.\d*)?|\.\d+)\s*%\s*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class ReformError(ValueError):
    """A reform cannot be found, read or applied; the message names the file, the change and the field."""


# --------------------------------------------------------------------------------------------------
# The YAML format


@dataclass(frozen=True)
class Change:
    """One change of a parametric reform, as written (checked against a system when applied)."""

    number: int  # 1-based position in ``changes``
    parameter: str
    jurisdictions: tuple[str, ...] | str | None  # "all", keys, or None (a parameter not by jurisdiction)
    start: str  # YYYY-MM-DD
    value: float | int | bool | None = None
    percent: float | None = None  # +10 for "+10%"
    change_text: str | None = None
    period: str | None = None  # of ``value``: month, year or case; None: the parameter's default
    note: str | None = None

    @property
    def factor(self) -> float:
        return 1 + self.percent / 100


@dataclass(frozen=True)
class ReformSpec:
    name: str
    label: str
    description: str | None
    reference: object
    file: Path
    display: str  # how messages and metadata name the file: reforms/x.yaml, or the path given
    changes: tuple[Change, ...]


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so that a bad date is reported, not a YAML traceback."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _display(path: Path) -> str:
    try:
        return f"reforms/{path.resolve().relative_to(REFORMS_DIR)}"
    except ValueError:
        return str(path)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def read_reform_file(path: str | os.PathLike) -> ReformSpec:
    """Read and check a parametric reform file (its structure; names are checked when it is applied)."""
    path = Path(path)
    display = _display(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as error:
        raise ReformError(f"{display}: cannot read the reform file ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ReformError(f"{display}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ReformError(f"{display}: a reform file is a mapping with `name`, `label` and `changes`")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ReformError(f"{display}: unknown key(s) {unknown}; a reform file has {sorted(_TOP_KEYS)}")
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ReformError(
            f"{display}, field 'name': {name!r} must be a Python identifier (letters, digits, _), "
            "as in `openfisca_cn_assist.reforms.<name>`"
        )
    label = data.get("label", name)
    if not isinstance(label, str):
        raise ReformError(f"{display}, field 'label': must be text")
    changes = data.get("changes")
    if not isinstance(changes, list) or not changes:
        raise ReformError(f"{display}, field 'changes': give a list of one or more changes")
    parsed = tuple(_read_change(display, number, item) for number, item in enumerate(changes, start=1))
    return ReformSpec(name, label, data.get("description"), data.get("reference"), path, display, parsed)


def _read_change(display: str, number: int, item) -> Change:
    where = f"{display}, change {number}"
    if not isinstance(item, dict):
        raise ReformError(f"{where}: a change is a mapping with `parameter`, `from` and `value` or `change`")
    unknown = sorted(set(item) - _CHANGE_KEYS)
    if unknown:
        raise ReformError(f"{where}: unknown field(s) {unknown}; a change has {sorted(_CHANGE_KEYS)}")

    def fail(field, message):
        return ReformError(f"{where}, field '{field}': {message}")

    parameter = item.get("parameter")
    if not isinstance(parameter, str) or not _PATH.match(parameter):
        raise fail("parameter", f"give the parameter's dotted path, such as dibao.standard_rural (got {parameter!r})")
    where = f"{display}, change {number} ({parameter})"

    if "from" not in item:
        raise fail("from", "missing: the date the change takes effect, YYYY-MM-DD")
    start = item["from"]
    if not isinstance(start, str) or not _DATE.match(start):
        raise fail("from", f"{start!r} is not a date written YYYY-MM-DD")
    try:
        datetime.date.fromisoformat(start)
    except ValueError:
        raise fail("from", f"{start!r} is not a date of the calendar") from None

    has_value, has_change = "value" in item, "change" in item
    if has_value == has_change:
        raise fail(
            "value" if has_value else "value/change",
            "give both `value` and `change`; give one of them"
            if has_value
            else "missing: give `value` (the new value) or `change` (a percentage such as +10%)",
        )
    value = percent = change_text = None
    if has_value:
        value = item["value"]
        if value is None:
            raise fail(
                "value", "null is not a reform value; to stop a rule, set 0 (an amount or rate) or false (a flag)"
            )
        if not (_is_number(value) or isinstance(value, bool)):
            raise fail("value", f"{value!r} is not a number or true/false")
    else:
        change_text = item["change"]
        match = _PERCENT.match(change_text) if isinstance(change_text, str) else None
        if match is None:
            raise fail("change", f"{change_text!r} is not a percentage such as +10%, -5% or +2.5%")
        percent = float(match.group(2)) * (-1 if match.group(1) == "-" else 1)
        if percent < -100:
            raise fail("change", f"{change_text} would make the values negative")

    period = item.get("period")
    if period is not None:
        if not has_value:
            raise fail("period", "only a `value` has a period; a percentage change keeps each value's own")
        if period not in ("month", "year", "case"):
            raise fail("period", f"{period!r} must be month, year or case")

    jurisdictions = item.get("jurisdictions")
    if jurisdictions is not None:
        if isinstance(jurisdictions, str) and jurisdictions != "all":
            jurisdictions = [jurisdictions]
        if isinstance(jurisdictions, list):
            if not jurisdictions or not all(isinstance(k, str) for k in jurisdictions):
                raise fail(
                    "jurisdictions", "give `all` or a list of jurisdiction keys, such as [yunnan, xishuangbanna]"
                )
            jurisdictions = tuple(dict.fromkeys(jurisdictions))
        elif jurisdictions != "all":
            raise fail("jurisdictions", f"{jurisdictions!r}: give `all` or a list of jurisdiction keys")
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        raise fail("note", "must be text")
    return Change(number, parameter, jurisdictions, start, value, percent, change_text, period, note)
