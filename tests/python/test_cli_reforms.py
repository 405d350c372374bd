"""cn-assist: stacked --reform, what a reform changed, amounts to the fen, whole not-computed messages."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from openfisca_cn_assist import CountryTaxBenefitSystem
from openfisca_cn_assist.cli.main import _fen, _fen_columns, _print_not_computed, build_parser, main
from openfisca_cn_assist.engine.reform_listing import describe_changes, limits_of, reform_changes


@pytest.fixture(scope="module")
def caseload(tmp_path_factory):
    """Three weighted households in 景洪, rural: poor, near the standard, and 特困."""
    folder = tmp_path_factory.mktemp("caseload")
    pd.DataFrame(
        {
            "person_id": [1, 2, 3, 4],
            "household_id": [1, 1, 2, 3],
            "age": [45, 12, 50, 75],
            "has_able_supporter": [False, False, False, False],
            "wage_income": [200.0, 0.0, 430.0, 0.0],
            "dibao_class": ["b", "b", "c", "unclassified"],
        }
    ).to_csv(folder / "persons.csv", index=False)
    pd.DataFrame(
        {
            "household_id": [1, 2, 3],
            "weight": [100.0, 60.0, 25.0],
            "jurisdiction": ["jinghong"] * 3,
            "area": ["rural"] * 3,
        }
    ).to_csv(folder / "households.csv", index=False)
    return ["--persons", str(folder / "persons.csv"), "--households", str(folder / "households.csv")]


def test_reform_is_repeatable_on_every_command():
    parser = build_parser()
    for command in ("simulate", "impact", "calculate", "explain"):
        args = parser.parse_args([command, "--reform", "a", "--reform", "b"])
        assert args.reform == ["a", "b"], command


def test_impact_stacks_reforms_in_order_and_says_so(caseload, tmp_path, capsys):
    summary = tmp_path / "impact.json"
    reforms = ["--reform", "raise_tekun_1050", "--reform", "raise_dibao_standards_10pct"]
    assert main(["impact", *reforms, *caseload, "--period", "2022-11", "--no-progress", "--json", str(summary)]) == 0
    out = capsys.readouterr().out
    assert "Reforms raise_tekun_1050 then raise_dibao_standards_10pct (stacked in this order" in out
    assert "What the reform changes" in out and "tekun.basic_standard_rural" in out and "dibao.standard_rural" in out
    assert "class amounts" in out  # "+10 % standards" cannot reach class amounts: said so
    payload = json.loads(summary.read_text(encoding="utf-8"))
    assert payload["reform"] == ["raise_tekun_1050", "raise_dibao_standards_10pct"]
    changed = {row["parameter"] for row in payload["reform_changes"]}
    assert {"tekun.basic_standard_rural", "dibao.standard_rural"} <= changed

    # Stacked means both apply: the 低保 change is that of the 低保 reform alone, the 特困 one that of the 特困 reform.
    single = tmp_path / "single.json"
    args = [*caseload, "--period", "2022-11", "--no-progress", "--json", str(single)]
    assert main(["impact", "--reform", "raise_dibao_standards_10pct", *args]) == 0
    alone = json.loads(single.read_text(encoding="utf-8"))["totals"]["change"]
    stacked = payload["totals"]["change"]
    assert stacked["dibao_benefit"] == pytest.approx(alone["dibao_benefit"], abs=0.01)
    assert main(["impact", "--reform", "raise_tekun_1050", *args]) == 0
    alone = json.loads(single.read_text(encoding="utf-8"))["totals"]["change"]
    assert stacked["tekun_basic_allowance"] == pytest.approx(alone["tekun_basic_allowance"], abs=0.01)


def test_impact_default_reform_is_still_raise_tekun_1050(caseload, capsys):
    assert main(["impact", *caseload, "--period", "2022-11", "--no-progress"]) == 0
    assert "Reform raise_tekun_1050, period 2022-11" in capsys.readouterr().out


def test_simulate_output_and_json_are_to_the_fen(caseload, tmp_path, capsys):
    rows, summary = tmp_path / "rows.csv", tmp_path / "summary.json"
    assert (
        main(
            ["simulate", *caseload, "--period", "2022", "--no-progress", "--output", str(rows), "--json", str(summary)]
        )
        == 0
    )
    out = capsys.readouterr().out
    for line in rows.read_text(encoding="utf-8").splitlines()[1:]:
        for cell in line.split(","):
            if "." in cell:
                assert len(cell.split(".")[1]) <= 2, line
    text = summary.read_text(encoding="utf-8")
    assert not any(len(number.split(".")[1]) > 2 for number in __import__("re").findall(r"\d+\.\d+", text))
    assert "渐退 state" in out  # January has no lead-in: the assumption is said, with the households it can change
    assert json.loads(text)["month_state"]["source"] == "assumed"


def test_simulate_month_runs_a_lead_in(caseload, tmp_path, capsys):
    summary = tmp_path / "summary.json"
    assert main(["simulate", *caseload, "--period", "2022-11", "--no-progress", "--json", str(summary)]) == 0
    assert "were simulated first" in capsys.readouterr().out
    assert json.loads(summary.read_text(encoding="utf-8"))["month_state"]["lead_in"][0] == "2022-04"


def test_fen():
    noisy = float(np.float32(3454.8))
    assert noisy != 3454.8 and _fen({"a": [noisy, {"b": np.float64(11865060.102539062)}], "c": "x"}) == {
        "a": [3454.8, {"b": 11865060.1}],
        "c": "x",
    }
    frame = _fen_columns(pd.DataFrame({"x": np.array([3454.8], dtype=np.float32), "weight": [1.123456]}))
    assert frame["x"].dtype == np.float64 and frame["x"][0] == 3454.8 and frame["weight"][0] == 1.123456


def test_not_computed_messages_are_printed_whole(capsys):
    reason = "x" * 600 + " the end"
    _print_not_computed({"tekun_care_allowance": reason})
    assert "the end" in capsys.readouterr().out


def test_calculate_under_stacked_reforms(capsys):
    assert main(["calculate", "--example", "qinghai_tekun", "--reform", "raise_tekun_1050", "--skip"]) == 0
    out = capsys.readouterr().out
    assert "reform raise_tekun_1050" in out.splitlines()[0]


def test_reform_changes_list_before_and_after():
    system = CountryTaxBenefitSystem()
    rows = reform_changes(system, ["raise_dibao_standards_10pct"])
    banna = next(r for r in rows if r["parameter"] == "dibao.standard_rural" and r["jurisdiction"] == "xishuangbanna")
    assert (banna["before"]["value"], banna["after"]["value"], banna["after"]["period"]) == (5400, 5940, "year")
    assert any("西双版纳" in line and "5400/year → 5940/year" in line for line in describe_changes(rows))
    assert any("class amounts" in note for note in limits_of(rows))
    structural = reform_changes(system, ["gap_floor"])
    assert structural[0]["structural"] and "structural" in describe_changes(structural)[0]
