"""The coverage table in docs/coverage.md is generated from the parameters and must be current."""

import json
from pathlib import Path

from openfisca_cn_assist.analysis.coverage import MARK_END, MARK_START, coverage_table, division_coverage, spans
from openfisca_cn_assist.cli.main import main
from openfisca_cn_assist.engine.resolver import resolver_for

COVERAGE_DOC = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"


def _table_in(text: str) -> str:
    return text[text.index(MARK_START) + len(MARK_START) : text.index(MARK_END)].strip()


def test_coverage_table_is_current(system):
    current = _table_in(COVERAGE_DOC.read_text(encoding="utf-8"))
    assert current == coverage_table(resolver_for(system)).strip(), "run: cn-assist coverage --update docs/coverage.md"


def test_update_rewrites_only_the_table_between_the_markers(tmp_path, capsys):
    target = tmp_path / "page.md"
    target.write_text(f"# Before\n\n{MARK_START}\nstale\n{MARK_END}\n\nAfter\n", encoding="utf-8")
    assert main(["coverage", "--update", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# Before\n\n{MARK_START}\n") and text.endswith(f"{MARK_END}\n\nAfter\n")
    assert "stale" not in text and "| 低保 standard, urban |" in _table_in(text)
    assert f"updated the coverage table in {target}" in capsys.readouterr().out


def test_update_readme_is_a_deprecated_alias(tmp_path, capsys):
    target = tmp_path / "README.md"
    target.write_text(f"{MARK_START}\nstale\n{MARK_END}\n", encoding="utf-8")
    assert main(["coverage", "--update-readme", str(target)]) == 0
    assert "| 低保 standard, urban |" in _table_in(target.read_text(encoding="utf-8"))
    assert "--update-readme is deprecated; use --update FILE" in capsys.readouterr().err


def test_update_without_markers_stops_and_leaves_the_file(tmp_path, capsys):
    target = tmp_path / "plain.md"
    target.write_text("no markers\n", encoding="utf-8")
    assert main(["coverage", "--update", str(target)]) == 2
    assert target.read_text(encoding="utf-8") == "no markers\n"
    assert "has no coverage markers" in capsys.readouterr().err


def test_spans_follow_dated_values_gaps_and_assumptions(system):
    resolver = resolver_for(system)
    qinghai = spans(resolver, [["dibao.standard_urban"]], "qinghai")
    assert [(s.start, s.end) for s in qinghai] == [("2020-01-01", "2021-01-01"), ("2025-01-01", "2026-01-01")]
    # A standing rule has no horizon: its period stays open.
    assert spans(resolver, [["tekun.age_threshold"]], "qinghai")[-1].end is None
    employment = spans(resolver, [["income.employment_cost_rate"]], "hanzhong")
    assert employment[0].start == "2021-07-22" and employment[0].assumed
    assert spans(resolver, [["income.employment_cost_rate"]], "hezhou") == []  # assumed 0: not applied
    mengla = spans(resolver, [["dibao.class_amount_a"]], "mengla")
    assert mengla[0].inherited


# --- by province, and one division at a date ---------------------------------------------------------------


def test_tables_group_by_province_and_stay_small(system):
    table = coverage_table(resolver_for(system))
    headings = [line for line in table.splitlines() if line.startswith("#### ")]
    assert headings[0].startswith("#### 中国") and [h.split()[-1] for h in headings[1:]] == [
        "450000",
        "530000",
        "610000",
        "630000",
    ]
    yunnan = table[table.index("#### 云南省 530000") :].splitlines()[2]
    assert yunnan == "| Programme | 云南省 530000 | 玉溪市 530400 | 峨山彝族自治县 530426 | 西双版纳傣族自治州 532800 |"
    assert "景洪市" not in table.split("Provinces with no values")[0]  # no values of its own: not a column
    assert "北京市" in table.split("Provinces with no values")[1]
    assert len(table.splitlines()) < 150


def test_one_division_says_what_is_computable_and_from_which_level(system):
    report = division_coverage(resolver_for(system), "532823", "2022-11-01")
    assert (report["key"], report["level"]) == ("mengla", "county")
    assert [c["code"] for c in report["chain"]] == ["532823", "532800", "530000", None]
    by_name = {p["programme"]: p for p in report["programmes"]}
    rural = by_name["低保 standard, rural"]
    assert rural["computable"] and rural["levels"] == ["prefecture"]
    assert rural["parameters"][0]["source_code"] == "532800" and rural["parameters"][0]["value"] == 5400
    assert by_name["低保 paid by class (rural A/B/C)"]["levels"] == ["prefecture", "province"]
    assert by_name["特困 age rule"]["levels"] == ["national"]
    care = by_name["特困 care allowance"]
    assert not care["computable"] and care["parameters"][0]["why"] == "no value in force anywhere in the chain"
    eshan = {p["programme"]: p for p in division_coverage(resolver_for(system), "eshan", "2024-11-15")["programmes"]}
    assert eshan["低保 standard, urban"]["levels"] == ["own"]


def test_one_division_past_a_horizon_says_so(system):
    report = division_coverage(resolver_for(system), "jinghong", "2024-06-01")
    urban = next(p for p in report["programmes"] if p["programme"] == "低保 standard, urban")
    assert not urban["computable"] and urban["parameters"][0]["past_horizon"]
    assert urban["parameters"][0]["why"].startswith("past its horizon 2022-12-31")


def test_coverage_code_on_the_command_line(capsys):
    assert main(["coverage", "--code", "532823", "--date", "2022-11-01", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["name"] == "勐腊县" and report["date"] == "2022-11-01"
    assert main(["coverage", "--code", "532823", "--date", "2022-11"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("勐腊县 532823 (county) on 2022-11-01: 勐腊县 532823 → 西双版纳傣族自治州 532800")
    assert "  低保 standard, rural: from prefecture; dibao.standard_rural prefecture (西双版纳傣族自治州)" in out
    assert main(["coverage", "--code", "610721", "--date", "2018-01-01"]) == 2
    err = capsys.readouterr().err
    assert "610721 was not in force on 2018-01-01 (610721 南郑县 1996-01-01 – 2017-12-31, successors 610703)" in err
    assert main(["coverage", "--code", "jinghong", "--date", "1990-01-01"]) == 2  # a key names its record
    assert "jinghong was not in force on 1990-01-01 (532801 景洪市 1993-01-01 – today)" in capsys.readouterr().err
    assert main(["coverage", "--json"]) == 2
    assert "--json goes with --code" in capsys.readouterr().err
