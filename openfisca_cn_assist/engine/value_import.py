"""A bureau's table of standards → parameter files: every row checked, then one file per (parameter, division).

Each row gives ``code`` (a 6-digit division code or a project key), ``parameter`` (the dotted path of a
jurisdictional parameter), ``date``, ``value``, ``unit``, ``period``, ``source``, ``confidence``, ``horizon`` and
an optional ``note`` (docs/jurisdictions.md, "Bringing in a bureau's standards"). Every problem of every row is
collected, each naming its row and column; nothing is written while any remains. The files are written by
:mod:`openfisca_cn_assist.engine.value_files`: ``parameters/<path>/<name>.yaml`` where ``name`` is the file that
already holds the division's values, else its project key (``mengla``), else its code (``532822``).
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from openfisca_cn_assist.engine.division_search import did_you_mean
from openfisca_cn_assist.engine.jurisdictions import Registry, default_registry
from openfisca_cn_assist.engine.paths import PARAMETERS_DIR
from openfisca_cn_assist.engine.provenance import CONFIDENCE_TAGS
from openfisca_cn_assist.engine.value_files import (
    MergeError,
    NewValue,
    ParameterFolder,
    jurisdictional_folders,
    merge_into_text,
    render_new_file,
)

REQUIRED_COLUMNS = ("code", "parameter", "date", "value", "unit", "period", "source", "confidence", "horizon")
OPTIONAL_COLUMNS = ("note",)
PERIODS = ("month", "year", "case")
IMPORT_CONFIDENCE = tuple(tag for tag in CONFIDENCE_TAGS if tag != "reform")  # reform: written by a reform only
_TRUE = {"true", "yes", "y", "1", "是"}
_FALSE = {"false", "no", "n", "0", "否"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ValueImportError(ValueError):
    """The table has problems; ``problems`` lists each one (file, column, row: message)."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s), nothing written:\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = problems


@dataclass
class TableRow:
    """One data row: ``number`` counts data rows from 1; ``where`` says where it is in the file (line 4)."""

    number: int
    cells: dict[str, object]
    where: str = ""


@dataclass
class FileChange:
    """One file to create or update, with the values it gains and those it already had."""

    path: Path
    old_text: str | None
    new_text: str
    added: list[NewValue] = field(default_factory=list)
    unchanged: list[NewValue] = field(default_factory=list)

    @property
    def created(self) -> bool:
        return self.old_text is None


@dataclass
class ImportPlan:
    """What a table would write: ``changes`` (files with new values), ``unchanged`` (files where every value was
    already there). ``write()`` writes the changes."""

    changes: list[FileChange]
    unchanged: list[FileChange]

    def write(self) -> None:
        for change in self.changes:
            change.path.parent.mkdir(parents=True, exist_ok=True)
            change.path.write_text(change.new_text, encoding="utf-8")


def _text(value) -> str:
    """A cell as text: numbers from a spreadsheet without a trailing .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()


class _Checker:
    """Checks rows one by one against the registry and the parameter folders, collecting every problem."""

    def __init__(self, source: str, registry: Registry, folders: dict[str, ParameterFolder]):
        self.source, self.registry, self.folders = source, registry, folders
        self.problems: list[str] = []

    def problem(self, row: TableRow | None, column: str | None, message: str) -> None:
        where = self.source + (f", column {column!r}" if column else "")
        if row is not None:
            where += f", row {row.number}" + (f" ({row.where})" if row.where else "")
        elif column:
            where += " (header)"
        self.problems.append(f"{where}: {message}")

    def header(self, columns: list[str]) -> bool:
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        for column in missing:
            near = difflib.get_close_matches(column, columns, n=1)
            self.problem(None, column, "missing" + (f" (is {near[0]!r} meant?)" if near else ""))
        return not missing

    def parameter(self, row: TableRow, text: str) -> ParameterFolder | None:
        path = text.replace("/", ".").strip(".")
        if path in self.folders:
            return self.folders[path]
        if not path:
            self.problem(
                row, "parameter", "missing: the dotted path of a jurisdictional parameter (dibao.standard_urban)"
            )
            return None
        near = [p for p in self.folders if p.endswith("." + path)] or difflib.get_close_matches(path, self.folders, n=3)
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        self.problem(row, "parameter", f"{text!r} is not a parameter that varies by jurisdiction{hint}")
        return None

    def date(self, row: TableRow, text: str, column: str = "date") -> str | None:
        try:
            if _ISO_DATE.match(text):
                return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
        self.problem(row, column, f"{text!r} is not a date YYYY-MM-DD" if text else "missing: a date YYYY-MM-DD")
        return None

    def record(self, row: TableRow, text: str, date: str | None) -> int | None:
        """The registry record the code or key names, in force at ``date``."""
        if not text:
            self.problem(row, "code", "missing: a 6-digit division code or a project key")
            return None
        index = self.registry.resolve_name(text)
        if index is None:
            self.problem(row, "code", f"unknown division {text!r}{did_you_mean(self.registry, text)}")
            return None
        j = self.registry.jurisdictions[index]
        if date is None or j.code is None:
            return index
        # A code or a project key names the code, whose record in force at the date takes the value; a key of an
        # earlier record (421002_1994) names that record alone.
        found = index if "_" in text else self.registry.record_in_force(j.code, date)
        if found is None or not self.registry.jurisdictions[found].in_force(date):
            records = [self.registry.jurisdictions[i] for i in self.registry.records_by_code[j.code]]
            spans = "; ".join(f"{r.validity} as {r.name_zh}" for r in records if "_" not in text or r is j)
            successors = sorted({s for r in records for s in r.successors})
            named = ", ".join(f"{s} {self._name(s)}" for s in successors)
            self.problem(
                row,
                "date",
                f"{j.code} {j.name_zh} was not in force on {date} (in force {spans})"
                + (f"; successor codes: {named}" if named else ""),
            )
            return None
        return found

    def _name(self, code: str) -> str:
        records = self.registry.records_by_code.get(code)
        return self.registry.jurisdictions[records[-1]].name_zh if records else ""

    def value(self, row: TableRow, text: str, folder: ParameterFolder | None) -> float | int | bool | None:
        if folder is not None and folder.unit == "bool":
            word = text.lower()
            if word in _TRUE or word in _FALSE:
                return word in _TRUE
            self.problem(row, "value", f"{text!r}: {folder.path} is yes/no; give true or false (yes/no, 是/否, 1/0)")
            return None
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.problem(row, "value", f"{text!r} is not a number" if text else "missing: a number")
            return None
        if number < 0 and folder is not None and (folder.unit or "").startswith("currency"):
            self.problem(row, "value", f"{text}: an amount cannot be negative")
            return None
        return int(number) if number.is_integer() else number

    def unit_and_period(self, row: TableRow, folder: ParameterFolder, unit: str, period: str) -> str | None:
        if unit != folder.unit:
            self.problem(row, "unit", f"{unit!r}: {folder.path} is in {folder.unit!r} (its index.yaml)")
        if not (folder.unit or "").startswith("currency"):
            if period:
                self.problem(
                    row, "period", f"{period!r}: {folder.path} ({folder.unit}) is not an amount; leave it empty"
                )
            return None
        if period not in PERIODS:
            self.problem(row, "period", f"{period!r}: an amount is quoted per {', '.join(PERIODS)}, as its source does")
            return None
        if folder.period and period != folder.period:
            self.problem(row, "period", f"{period!r}: {folder.path} is quoted per {folder.period} (its index.yaml)")
        elif folder.periods and ("case" in folder.periods) != (period == "case"):
            self.problem(
                row,
                "period",
                f"{period!r}: the existing files of {folder.path} quote it per {', '.join(sorted(folder.periods))}; "
                "a per-case amount and a monthly or yearly rate are not the same thing",
            )
        return period

    def provenance(self, row: TableRow, cells: dict[str, str], date: str | None) -> tuple[str, str] | None:
        """(confidence, horizon), after checking them, the source and the note an assumed value needs."""
        ok = True
        if not cells["source"]:
            self.problem(row, "source", "missing: the document (title, URL) the value comes from")
            ok = False
        confidence = cells["confidence"]
        if confidence not in IMPORT_CONFIDENCE:
            shown = f"{confidence!r} is not" if confidence else "missing: give"
            self.problem(row, "confidence", f"{shown} one of {', '.join(IMPORT_CONFIDENCE)}")
            ok = False
        elif confidence == "assumed" and not cells["note"]:
            self.problem(row, "note", "an assumed value needs a note saying why")
            ok = False
        horizon = cells["horizon"].lower() if cells["horizon"].lower() == "open" else cells["horizon"]
        if not horizon:
            self.problem(row, "horizon", "missing: the last date the source supports the value, or open")
            return None
        if horizon != "open":
            checked = self.date(row, horizon, "horizon")
            if checked is None:
                return None
            if date and checked < date:
                self.problem(row, "horizon", f"{checked} is before the value's date {date}")
                return None
            horizon = checked
        return (confidence, horizon) if ok else None


def file_name(registry: Registry, folder: ParameterFolder, record: int) -> str:
    """The file that takes ``record``'s values: the existing file that names it, else its project key, else
    its code, unless that code's other records have files (then the record's own key, 421002_1994)."""
    named = {stem: registry.records_named(stem) for stem in folder.files}  # as the resolver reads them
    for stem, records in named.items():
        if record in records:
            return stem
    j = registry.jurisdictions[record]
    if j.code is None or not j.key[:1].isdigit():
        return j.key
    siblings = registry.records_by_code[j.code]
    aliased = any(not registry.keys[i][:1].isdigit() for i in siblings)
    taken = any(i in records for records in named.values() for i in siblings)
    return j.key if aliased or taken else j.code


def _check_rows(checker: _Checker, rows: list[TableRow]) -> dict[tuple[str, str], list[NewValue]]:
    """Every row checked; the values by (parameter, file name)."""
    grouped: dict[tuple[str, str], list[NewValue]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        before = len(checker.problems)
        cells = {c: _text(row.cells.get(c)) for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)}
        folder = checker.parameter(row, cells["parameter"])
        date = checker.date(row, cells["date"])
        record = checker.record(row, cells["code"], date)
        value = checker.value(row, cells["value"], folder)
        period = checker.unit_and_period(row, folder, cells["unit"], cells["period"]) if folder else None
        provenance = checker.provenance(row, cells, date)
        if len(checker.problems) > before:
            continue
        name = file_name(checker.registry, folder, record)
        first = seen.setdefault((folder.path, name, date), row.number)
        if first != row.number:
            checker.problem(row, "date", f"duplicate of row {first}: {folder.path}, {name}, {date} again")
            continue
        confidence, horizon = provenance
        value_row = NewValue(
            date, value, period, cells["source"], confidence, horizon, cells["note"] or None, row.number
        )
        grouped.setdefault((folder.path, name), []).append(value_row)
    return grouped


def _shown(value) -> str:
    return "null (no value)" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _same(a, b) -> bool:
    return type(a) is type(b) if isinstance(a, bool) or isinstance(b, bool) else a == b


def plan_import(
    rows: list[TableRow],
    columns: list[str],
    source: str = "table",
    root: Path = PARAMETERS_DIR,
    registry: Registry | None = None,
) -> ImportPlan:
    """What writing ``rows`` into the parameters folder ``root`` would change; :class:`ValueImportError` with
    every problem of every row when any has one. ``columns`` are the table's (lower-case) headers."""
    registry = registry or default_registry()
    if not Path(root).is_dir():
        raise ValueImportError([f"{root}: no such parameters folder"])
    folders = jurisdictional_folders(Path(root))
    checker = _Checker(source, registry, folders)
    if not checker.header(columns):
        raise ValueImportError(checker.problems)
    grouped = _check_rows(checker, rows)
    by_number = {row.number: row for row in rows}
    changes, unchanged = [], []
    for (path, name), values in sorted(grouped.items()):
        folder = folders[path]
        file = folder.files.get(name, folder.folder / f"{name}.yaml")
        if name not in folder.files:
            changes.append(FileChange(file, None, render_new_file(folder, values), added=values))
            continue
        old_text = file.read_text(encoding="utf-8")
        existing = {  # OpenFisca also reads the short form `2015-01-01: 4000`
            str(d): e.get("value") if isinstance(e, dict) else e
            for d, e in ((yaml.safe_load(old_text) or {}).get("values") or {}).items()
        }
        added, same = [], []
        for v in values:
            if v.date not in existing:
                added.append(v)
            elif _same(existing[v.date], v.value):
                same.append(v)
            else:
                relative = file.relative_to(Path(root).parent)
                checker.problem(
                    by_number[v.row],
                    "value",
                    f"{v.value} on {v.date}, but {relative} already has {_shown(existing[v.date])} on that date "
                    "(change the file by hand if the table is right)",
                )
        if not added:
            unchanged.append(FileChange(file, old_text, old_text, unchanged=same))
            continue
        try:
            new_text = merge_into_text(old_text, added)
        except MergeError as error:
            checker.problems.append(f"{file}: cannot add values to it without rewriting it ({error}); add them by hand")
            continue
        changes.append(FileChange(file, old_text, new_text, added=added, unchanged=same))
    if checker.problems:
        raise ValueImportError(checker.problems)
    return ImportPlan(changes, unchanged)
