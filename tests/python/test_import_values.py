"""cn-assist import-values: a bureau's table of standards → parameter files, checked row by row, written as by
hand. Every test writes into a copy of parameters/ in a temporary folder, never into the real one."""

import datetime
import shutil

import pytest
import yaml
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.cli.import_values import TableError, read_table
from openfisca_cn_assist.cli.main import main
from openfisca_cn_assist.engine.paths import PARAMETERS_DIR
from openfisca_cn_assist.engine.provenance import metadata_problems
from openfisca_cn_assist.engine.value_import import ValueImportError, plan_import

HEADER = "code,parameter,date,value,unit,period,source,confidence,horizon,note"
TWO_COUNTIES = [
    # 红塔区 (玉溪, Yunnan) and 城东区 (西宁, Qinghai): no file of their own yet; 532823 is 勐腊县 (key mengla)
    "530402,dibao.standard_urban,2024-01-01,800,currency-CNY,month,红塔区民政局 2024 年低保标准的通知 https://example.gov.cn/ht,H,2024-12-31,",
    "630102,dibao.standard_rural,2024-01-01,6000,currency-CNY,year,城东区 2024 年城乡低保标准,M,2024-12-31,start date chosen: the notice gives the year",
    "630102,dibao.standard_rural,2025-01-01,6300,currency-CNY,year,城东区 2025 年城乡低保标准,M,2025-12-31,",
    "532823,dibao.standard_urban,2024-07-01,760,currency-CNY,month,勐腊县民政局 2024 年通知,H,2024-12-31,",
]


@pytest.fixture
def parameters(tmp_path):
    """A copy of the parameters tree to write into."""
    root = tmp_path / "parameters"
    shutil.copytree(PARAMETERS_DIR, root)
    return root


def _table(tmp_path, rows, header=HEADER, name="table.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _snapshot(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*.yaml")}


def _import(table, root, *options):
    return main(["import-values", str(table), "--parameters", str(root), *options])


def _system_on(root, monkeypatch):
    """The country system loading its parameters from ``root`` instead of the package's folder."""
    import openfisca_cn_assist.engine.system as system_module

    monkeypatch.setattr(system_module, "PARAMETERS_DIR", root)
    return system_module.CountryTaxBenefitSystem()


def _standard(system, jurisdiction, area, month):
    situation = {
        "persons": {"p": {}},
        "households": {"h": {"members": ["p"], "jurisdiction": {"ETERNITY": jurisdiction}, "area": {month: area}}},
    }
    return SimulationBuilder().build_from_entities(system, situation).calculate("dibao_standard", month)[0]


def test_a_table_creates_files_that_the_system_loads_and_uses(tmp_path, parameters, monkeypatch, capsys):
    assert _import(_table(tmp_path, TWO_COUNTIES), parameters) == 0
    out = capsys.readouterr().out
    assert "parameters/dibao/standard_urban/530402.yaml (new file" in out
    assert "3 file(s) to create, 0 to update; 4 value(s) to add" in out
    urban = parameters / "dibao" / "standard_urban"
    # A code aliased by a project key goes to the key's file, as a person would name it.
    assert (urban / "mengla.yaml").exists() and not (urban / "532823.yaml").exists()
    assert (urban / "530402.yaml").read_text(encoding="utf-8") == (
        "description: 城市最低生活保障标准 / Urban dibao standard\n"
        "metadata:\n"
        "  unit: currency-CNY\n"
        "  period: month\n"
        "  reference:\n"
        "  - title: 红塔区民政局 2024 年低保标准的通知\n"
        "    url: https://example.gov.cn/ht\n"
        "  confidence: H\n"
        "values:\n"
        "  2024-01-01:\n"
        "    value: 800\n"
        "    metadata:\n"
        "      horizon: 2024-12-31\n"
    )
    rural = yaml.safe_load((parameters / "dibao" / "standard_rural" / "630102.yaml").read_text(encoding="utf-8"))
    assert rural["metadata"]["period"] == "year" and len(rural["metadata"]["reference"]) == 2
    assert rural["values"][datetime.date(2024, 1, 1)]["metadata"]["note"].startswith("start date chosen")

    system = _system_on(parameters, monkeypatch)
    assert metadata_problems(system.parameters) == []
    assert _standard(system, "530402", "urban", "2024-06") == 800
    assert _standard(system, "630102", "rural", "2024-06") == 500  # 6000 元/年 ÷ 12
    assert _standard(system, "630102", "rural", "2025-06") == 525  # 6300 ÷ 12
    assert _standard(system, "mengla", "urban", "2024-08") == _standard(system, "532823", "urban", "2024-08") == 760
    # Every written value has a horizon on or after its start (tests/python/test_horizons.py's rule).
    for path in (urban / "530402.yaml", urban / "mengla.yaml", parameters / "dibao/standard_rural/630102.yaml"):
        for date, entry in yaml.safe_load(path.read_text(encoding="utf-8"))["values"].items():
            assert str(entry["metadata"]["horizon"]) >= str(date)


def test_the_real_parameters_stay_untouched_by_the_tests():
    assert not (PARAMETERS_DIR / "dibao" / "standard_urban" / "530402.yaml").exists()


ROW_ERRORS = [
    # (row, expected in the message: the column and the problem)
    (
        "530499,dibao.standard_urban,2024-01-01,800,currency-CNY,month,s,H,2024-12-31,",
        "column 'code', row 1",
        "did you mean",
    ),
    (
        "530402,dibao.standard_urbn,2024-01-01,800,currency-CNY,month,s,H,2024-12-31,",
        "column 'parameter', row 2",
        "dibao.standard_urban",
    ),
    (
        "610721,dibao.standard_urban,2018-06-01,800,currency-CNY,month,s,H,2018-12-31,",
        "column 'date', row 3",
        "610703 南郑区",
    ),
    (
        "530402,dibao.standard_urban,2024-02-30,800,currency-CNY,month,s,H,2024-12-31,",
        "column 'date', row 4",
        "not a date",
    ),
    (
        "530402,dibao.standard_urban,2024-03-01,八百,currency-CNY,month,s,H,2024-12-31,",
        "column 'value', row 5",
        "not a number",
    ),
    ("530402,dibao.pays_by_class_urban,2024-01-01,maybe,bool,,s,H,open,", "column 'value', row 6", "yes/no"),
    ("530402,dibao.standard_urban,2024-04-01,800,元,month,s,H,2024-12-31,", "column 'unit', row 7", "'currency-CNY'"),
    (
        "530402,dibao.standard_urban,2024-05-01,800,currency-CNY,case,s,H,2024-12-31,",
        "column 'period', row 8",
        "per-case",
    ),
    (
        "530402,dibao.pays_by_class_urban,2024-02-01,true,bool,month,s,H,open,",
        "column 'period', row 9",
        "not an amount",
    ),
    (
        "530402,dibao.standard_urban,2024-06-01,800,currency-CNY,month,,H,2024-12-31,",
        "column 'source', row 10",
        "missing",
    ),
    (
        "530402,dibao.standard_urban,2024-07-01,800,currency-CNY,month,s,high,2024-12-31,",
        "column 'confidence', row 11",
        "'high'",
    ),
    (
        "530402,dibao.standard_urban,2024-08-01,800,currency-CNY,month,s,assumed,2024-12-31,",
        "column 'note', row 12",
        "assumed",
    ),
    (
        "530402,dibao.standard_urban,2024-09-01,800,currency-CNY,month,s,H,end of 2024,",
        "column 'horizon', row 13",
        "not a date",
    ),
    (
        "530402,dibao.standard_urban,2024-10-01,800,currency-CNY,month,s,H,2024-06-30,",
        "column 'horizon', row 14",
        "before the value's date",
    ),
    ("530402,dibao.standard_urban,2024-11-01,800,currency-CNY,month,s,H,2024-12-31,", None, None),
    (
        "530402,dibao.standard_urban,2024-11-01,810,currency-CNY,month,s,H,2024-12-31,",
        "column 'date', row 16",
        "duplicate of row 15",
    ),
    (
        "qinghai,dibao.standard_urban,2025-01-01,710,currency-CNY,month,s,H,2025-12-31,",
        "column 'value', row 17",
        "already has 700",
    ),
]


def test_every_row_error_is_reported_with_its_row_and_column_and_nothing_is_written(tmp_path, parameters, capsys):
    before = _snapshot(parameters)
    assert _import(_table(tmp_path, [row for row, _, _ in ROW_ERRORS]), parameters) == 2
    err = capsys.readouterr().err
    assert "nothing written" in err
    for _, where, problem in ROW_ERRORS:
        if where is None:
            continue
        line = next((line for line in err.splitlines() if f"table.csv, {where} " in line), None)
        assert line is not None, f"no error for {where}:\n{err}"
        assert problem in line, line
    assert "16 problem(s), nothing written" in err
    assert _snapshot(parameters) == before


def test_a_missing_column_is_a_header_error(tmp_path, parameters):
    header = HEADER.replace("confidence", "confidance")
    columns, rows = read_table(_table(tmp_path, TWO_COUNTIES[:1], header=header))
    with pytest.raises(ValueImportError) as caught:
        plan_import(rows, columns, "table.csv", root=parameters)
    assert caught.value.problems == ["table.csv, column 'confidence' (header): missing (is 'confidance' meant?)"]


def test_values_merge_into_an_existing_file_keeping_every_line(tmp_path, parameters):
    rows = [
        "qinghai,dibao.standard_urban,2026-01-01,720,currency-CNY,month,青海省民政厅 2026 年通知 https://example.gov.cn/qh,M,2026-12-31,",
        "qinghai,dibao.standard_urban,2025-01-01,700,currency-CNY,month,same as the file,M,2025-12-31,",  # already there
        "qinghai,dibao.standard_urban,2022-01-01,640,currency-CNY,month,青海省民政厅 2022 年通知 https://example.gov.cn/qh22,H,2022-12-31,",
    ]
    file = parameters / "dibao" / "standard_urban" / "qinghai.yaml"
    original = file.read_text(encoding="utf-8")
    assert _import(_table(tmp_path, rows), parameters) == 0
    merged = file.read_text(encoding="utf-8")
    # Every original line is kept, in order; the new values and sources are only inserted.
    remaining = iter(merged.splitlines())
    assert all(line in remaining for line in original.splitlines())
    assert (
        merged.index("2020-01-01:")
        < merged.index("2022-01-01:")
        < merged.index("2025-01-01:")
        < merged.index("2026-01-01:")
    )
    assert "  - title: 青海省民政厅 2026 年通知\n    url: https://example.gov.cn/qh\n" in merged
    data = yaml.safe_load(merged)
    # The 2026 value's confidence differs from the file's (H): it says its own; the 2022 value's is the file's.
    assert data["values"][datetime.date(2026, 1, 1)] == {
        "value": 720,
        "metadata": {"horizon": datetime.date(2026, 12, 31), "confidence": "M"},
    }
    assert data["values"][datetime.date(2022, 1, 1)] == {
        "value": 640,
        "metadata": {"horizon": datetime.date(2022, 12, 31)},
    }


def test_a_value_merges_between_entries_without_moving_their_comments(tmp_path, parameters):
    # 西双版纳's one-off subsidy file has comments inside its 2023 entry.
    file = parameters / "one_off" / "living_subsidy_amount" / "xishuangbanna.yaml"
    original = file.read_text(encoding="utf-8")
    row = "532800,one_off.living_subsidy_amount,2022-07-01,50,currency-CNY,case,a notice,M,2022-12-31,a second payment"
    assert _import(_table(tmp_path, [row]), parameters) == 0
    merged = file.read_text(encoding="utf-8")
    assert merged.index("2022-07-01:") < merged.index("  2023-01-01:\n    # Not an unknown successor")
    data = yaml.safe_load(merged)
    assert data["values"][datetime.date(2022, 7, 1)]["value"] == 50
    assert len(data["values"]) == 3 and merged.count("#") == original.count("#")


def test_a_yearly_value_in_a_monthly_file_says_its_own_period(tmp_path, parameters, monkeypatch):
    row = "qinghai,dibao.standard_urban,2026-01-01,8640,currency-CNY,year,a notice,H,2026-12-31,"
    assert _import(_table(tmp_path, [row]), parameters) == 0
    data = yaml.safe_load((parameters / "dibao/standard_urban/qinghai.yaml").read_text(encoding="utf-8"))
    assert data["values"][datetime.date(2026, 1, 1)]["metadata"]["period"] == "year"
    assert _standard(_system_on(parameters, monkeypatch), "qinghai", "urban", "2026-03") == 720  # 8640 ÷ 12


def test_dry_run_prints_what_it_would_write_and_writes_nothing(tmp_path, parameters, capsys):
    before = _snapshot(parameters)
    rows = [*TWO_COUNTIES, "qinghai,dibao.standard_urban,2026-01-01,720,currency-CNY,month,a notice,H,2026-12-31,"]
    assert _import(_table(tmp_path, rows), parameters, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "parameters/dibao/standard_rural/630102.yaml (new file, +18 −0 lines)" in out
    assert "  + 2025-01-01  6300/year  (M, until 2025-12-31; row 3)" in out
    assert "parameters/dibao/standard_urban/qinghai.yaml (update, +5 −0 lines)" in out
    assert "3 file(s) to create, 1 to update; 5 value(s) to add" in out and "nothing written (--dry-run)" in out
    assert _snapshot(parameters) == before


def test_excel_input(tmp_path, parameters, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.title = "notes"
    sheet = workbook.create_sheet("2024")
    sheet.append(HEADER.split(","))
    # Spreadsheets give numbers and dates as such: a code as an integer, dates as datetimes.
    sheet.append([530402, "dibao.standard_urban", datetime.datetime(2024, 1, 1), 800, "currency-CNY", "month"])
    for column, value in zip("GHI", ["红塔区 2024 年通知", "H", datetime.datetime(2024, 12, 31)]):
        sheet[f"{column}2"] = value
    path = tmp_path / "standards.xlsx"
    workbook.save(path)
    with pytest.raises(TableError, match=r"no sheet '2025' \(sheets: notes, 2024\)"):
        read_table(path, "2025")
    assert _import(path, parameters, "--sheet", "2024") == 0
    assert _standard(_system_on(parameters, monkeypatch), "530402", "urban", "2024-06") == 800


def test_excel_without_openpyxl_says_which_extra_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)  # import openpyxl now raises ImportError
    path = tmp_path / "standards.xlsx"
    path.write_bytes(b"")
    with pytest.raises(TableError, match=r"openfisca-cn-assist\[excel\]"):
        read_table(path)
