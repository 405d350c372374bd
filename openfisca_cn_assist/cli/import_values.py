"""``cn-assist import-values TABLE``: a bureau's table of standards (CSV or Excel) → parameter files.

The table is read here (CSV with the standard library; .xlsx with openpyxl, the ``[excel]`` extra); the checks
and the files are :mod:`openfisca_cn_assist.engine.value_import`'s. Nothing is written when any row has a
problem, nor with ``--dry-run``.
"""

from __future__ import annotations

import csv
import difflib
import sys
from pathlib import Path

from openfisca_cn_assist.engine.value_import import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    FileChange,
    ImportPlan,
    TableRow,
    ValueImportError,
    plan_import,
)

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
EXCEL_MISSING = (
    "reading {name} needs openpyxl, which is not installed: pip install 'openfisca-cn-assist[excel]' "
    "(or save the sheet as CSV, UTF-8)"
)


class TableError(ValueError):
    """The table cannot be read (no such file, not CSV or Excel, no such sheet, no header)."""


def _header(cells) -> list[str]:
    return [str(c).strip().lower() if c is not None else "" for c in cells]


def _read_csv(path: Path) -> tuple[list[str], list[TableRow]]:
    # Bureaus' spreadsheets often save CSV in the Chinese Windows code page rather than UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with open(path, encoding=encoding, newline="") as f:
                reader = csv.reader(f)
                header = _header(next(reader, []))
                rows = []
                for cells in reader:
                    if not any(c.strip() for c in cells):
                        continue
                    record = dict(zip(header, cells))
                    rows.append(TableRow(len(rows) + 1, record, f"line {reader.line_num}"))
            return header, rows
        except UnicodeDecodeError:
            continue
    raise TableError(f"{path}: neither UTF-8 nor GB18030 text; save it as CSV UTF-8")


def _read_excel(path: Path, sheet: str | None) -> tuple[list[str], list[TableRow]]:
    try:
        import openpyxl
    except ImportError:
        raise TableError(EXCEL_MISSING.format(name=path.name)) from None
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise TableError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(workbook.sheetnames)})")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        lines = worksheet.iter_rows(values_only=True)
        header = _header(next(lines, ()))
        rows = []
        for number, cells in enumerate(lines, start=2):
            if all(c is None or str(c).strip() == "" for c in cells):
                continue
            rows.append(TableRow(len(rows) + 1, dict(zip(header, cells)), f"sheet row {number}"))
        return header, rows
    finally:
        workbook.close()


def read_table(path: str | Path, sheet: str | None = None) -> tuple[list[str], list[TableRow]]:
    """(lower-case headers, data rows) of a CSV or Excel table; ``sheet`` names an Excel sheet (default: first)."""
    path = Path(path)
    if not path.is_file():
        raise TableError(f"{path}: no such file")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_excel(path, sheet)
    if sheet is not None:
        raise TableError(f"{path}: --sheet is for Excel tables (.xlsx)")
    if path.suffix.lower() == ".xls":
        raise TableError(f"{path}: the old .xls format is not read; save it as .xlsx or CSV")
    return _read_csv(path)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _value(v) -> str:
    period = f"/{v.period}" if v.period else ""
    horizon = "open" if v.horizon == "open" else f"until {v.horizon}"
    value = str(v.value).lower() if isinstance(v.value, bool) else v.value
    return f"{v.date}  {value}{period}  ({v.confidence}, {horizon}; row {v.row})"


def _lines_changed(change: FileChange) -> tuple[int, int]:
    old = (change.old_text or "").splitlines()
    diff = list(difflib.unified_diff(old, change.new_text.splitlines(), lineterm="", n=0))
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    return added, removed


def describe(plan: ImportPlan, root: Path) -> list[str]:
    """Each file with the dated values it gains, then the diff summary."""
    lines = []
    for change in plan.changes:
        added, removed = _lines_changed(change)
        kind = "new file" if change.created else "update"
        lines.append(f"{_shown(change.path, root)} ({kind}, +{added} −{removed} lines)")
        lines += [f"  + {_value(v)}" for v in change.added]
        lines += [f"  = {_value(v)} already there" for v in change.unchanged]
    for change in plan.unchanged:
        lines.append(f"{_shown(change.path, root)} (unchanged: every value already there)")
        lines += [f"  = {_value(v)}" for v in change.unchanged]
    created = sum(1 for c in plan.changes if c.created)
    values = sum(len(c.added) for c in plan.changes)
    present = sum(len(c.unchanged) for c in plan.changes + plan.unchanged)
    lines.append(
        f"{created} file(s) to create, {len(plan.changes) - created} to update; {values} value(s) to add"
        + (f", {present} already there" if present else "")
    )
    return lines


def import_values_command(args) -> int:
    from openfisca_cn_assist.engine.paths import PARAMETERS_DIR

    root = Path(args.parameters) if args.parameters else PARAMETERS_DIR
    try:
        columns, rows = read_table(args.table, args.sheet)
        plan = plan_import(rows, columns, source=Path(args.table).name, root=root)
    except TableError as error:
        print(f"cn-assist: {error}", file=sys.stderr)
        return 2
    except ValueImportError as error:
        print(f"cn-assist: {args.table}: {error}", file=sys.stderr)
        return 2
    ignored = [c for c in columns if c and c not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)]
    if ignored:
        print(f"ignored columns: {', '.join(ignored)}")
    for line in describe(plan, root):
        print(line)
    if args.dry_run:
        print("nothing written (--dry-run)")
        return 0
    plan.write()
    if plan.changes:
        print(
            f"wrote {len(plan.changes)} file(s) under {root}; check them with pytest tests/python/test_parameter_metadata.py "
            "tests/python/test_horizons.py, openfisca test, and cn-assist coverage --update docs/coverage.md"
        )
    return 0
