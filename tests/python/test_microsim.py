"""Microsimulation and impact over caseloads; the analyst commands end to end (validation: test_validation.py)."""

import json

import pandas as pd
import pytest

from openfisca_cn_assist.analysis.microsim import impact, simulate
from openfisca_cn_assist.caseload.readers import builtin_caseload, read_caseload
from openfisca_cn_assist.cli.main import main
from openfisca_cn_assist.engine.reform_tools import apply_reform


@pytest.fixture(scope="module")
def small_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("caseload")
    persons = pd.DataFrame(
        {
            "person_id": ["p1", "p2", "p3", "p4", "p5"],
            "household_id": ["h1", "h1", "h2", "h3", "h4"],
            "age": [40, 12, 45, 78, 50],
            "has_able_supporter": [True, True, True, False, True],
            "wage_income": [300, 0, 200, 0, 2000],
            "wage_income_2022_07": [900, None, None, None, None],
            "dibao_class": ["unclassified", "unclassified", "a", "unclassified", "unclassified"],
        }
    )
    households = pd.DataFrame(
        {
            "household_id": ["h1", "h2", "h3", "h4"],
            "weight": [1, 2.5, 1, 1],
            "jurisdiction": ["jinghong", "mengla", "jinghong", "jinghong"],
            "area": ["urban", "rural", "urban", "urban"],
        }
    )
    persons.to_csv(folder / "persons.csv", index=False)
    households.to_csv(folder / "households.csv", index=False)
    return folder


def test_simulate_returns_one_row_per_household_in_input_order(system, small_files):
    caseload = read_caseload(small_files / "persons.csv", small_files / "households.csv")
    results = simulate(system, caseload, "2022-08")
    frame = results.households
    assert list(frame["household_id"]) == ["h1", "h2", "h3", "h4"]
    # h1: (700 − 300 / 2) × 2 = 1100; h2: class A 460; h3: 特困 910, not 低保; h4: 2000 ≥ 700
    assert frame["dibao_benefit"].tolist() == [1100, 460, 0, 0]
    assert frame["tekun_basic_allowance"].tolist() == [0, 0, 910, 0]
    # weighted: 1100 + 2.5 × 460 = 2250
    assert results.totals()["dibao_benefit"] == pytest.approx(2250)
    assert "tekun_care_allowance" in results.not_computed and results.totals()["tekun_care_allowance"] is None


def test_month_suffixed_income_changes_only_that_month(system, small_files):
    caseload = read_caseload(small_files / "persons.csv", small_files / "households.csv")
    results = simulate(system, caseload, "2022")
    # h1 pays 1100 a month except July: income 900 → 900 / 2 = 450 → (700 − 450) × 2 = 500; and 渐退 does not
    # apply (still eligible); 11 × 1100 + 500 = 12600
    assert results.households.loc[0, "dibao_regular_benefit"] == pytest.approx(12600)
    assert results.households.loc[0, "dibao_recipient_months"] == 12


def test_impact_of_raising_tekun_on_the_builtin_caseload(system):
    caseload = builtin_caseload("xishuangbanna_2022")
    result = impact(system, apply_reform(system, "raise_tekun_1050"), caseload, "2022", "raise_tekun_1050")
    changes = result.changes
    # (1050 − 910) × 1245 persons × 12 months = 2,091,600 元
    assert changes["tekun_basic_allowance"] == pytest.approx(2_091_600)
    assert changes["dibao_benefit"] == pytest.approx(0)
    counts = result.counts()
    assert counts["gaining"] == 1191 and counts["losing"] == 0 and counts["newly_eligible"] == 0
    assert counts["mean_gain_per_gaining_household"] == pytest.approx(2_091_600 / 1191)
    assert result.by_jurisdiction(unit="元").sum() == pytest.approx(2_091_600)
    assert result.by_jurisdiction().sum() == pytest.approx(209.16)  # 万元, like by_programme()


def test_raising_standards_makes_marginal_households_newly_eligible(system):
    caseload = builtin_caseload("xishuangbanna_2022")
    result = impact(
        system, apply_reform(system, "raise_dibao_standards_10pct"), caseload, "2022-08", "raise_dibao_standards_10pct"
    )
    counts = result.counts()
    assert counts["newly_eligible"] > 0 and counts["no_longer_eligible"] == 0
    assert result.changes["dibao_benefit"] > 0


def test_impact_command_writes_json_and_chart(tmp_path, capsys):
    summary, chart = tmp_path / "impact.json", tmp_path / "impact.png"
    assert (
        main(["impact", "--reform", "raise_tekun_1050", "--no-progress", "--json", str(summary), "--chart", str(chart)])
        == 0
    )
    payload = json.loads(summary.read_text(encoding="utf-8"))
    assert set(payload) >= {"period", "reform", "totals"}
    assert set(payload["totals"]) == {"baseline", "reform", "change"}
    assert payload["totals"]["change"]["tekun_basic_allowance"] == pytest.approx(2_091_600)
    assert chart.stat().st_size > 10_000
    assert "SYNTHETIC" in capsys.readouterr().out


def test_simulate_command_on_user_files(small_files, tmp_path, capsys):
    out, summary = tmp_path / "out.csv", tmp_path / "summary.json"
    argv = [
        "simulate",
        "--persons",
        str(small_files / "persons.csv"),
        "--households",
        str(small_files / "households.csv"),
        "--period",
        "2022-08",
        "--no-progress",
        "--output",
        str(out),
        "--json",
        str(summary),
    ]
    assert main(argv) == 0
    assert len(pd.read_csv(out)) == 4
    payload = json.loads(summary.read_text(encoding="utf-8"))
    assert payload["period"] == "2022-08" and payload["reform"] is None
    assert payload["totals"]["dibao_benefit"] == pytest.approx(2250)


def test_simulate_command_reports_bad_rows(tmp_path, capsys):
    persons = tmp_path / "persons.csv"
    persons.write_text(
        "person_id,household_id,age,has_able_supporter,jurisdiction,area\np1,h1,abc,true,jinghong,urban\n"
    )
    assert main(["simulate", "--persons", str(persons), "--no-progress"]) == 2
    error = capsys.readouterr().err
    assert "persons.csv" in error and "'age'" in error and "row 1" in error


def test_unknown_reform_is_reported(capsys):
    assert main(["impact", "--reform", "no_such_reform", "--no-progress"]) == 2
    assert "no_such_reform" in capsys.readouterr().err


def test_python_api_in_a_few_lines():
    from openfisca_cn_assist.api import compare, run

    results = run("xishuangbanna_2022", "2022-08")
    assert len(results.households) == len(results.households["household_id"].unique())
    impact_ = compare("raise_tekun_1050", "xishuangbanna_2022", "2022-08")
    programme = impact_.by_programme().set_index("output")
    # (1050 − 910) × 1245 = 174,300 元 for one month = 17.43 万元
    assert programme.loc["tekun_basic_allowance", "change_10k_yuan"] == pytest.approx(17.43)


def test_a_run_is_one_scenario_or_the_baseline_then_a_reform():
    from openfisca_cn_assist.analysis.scenario import Scenario, check_scenarios, scenarios_for

    assert scenarios_for("raise_tekun_1050") == [Scenario("raise_tekun_1050")]
    assert scenarios_for("raise_tekun_1050", compare=True, carry_forward=True) == [
        Scenario(None, True),
        Scenario("raise_tekun_1050", True),
    ]
    assert check_scenarios([Scenario(), Scenario("x")]) == (Scenario(), Scenario("x"))
    with pytest.raises(ValueError, match="baseline|Scenario\\(\\), Scenario\\(reform\\)"):
        check_scenarios([Scenario("x"), Scenario()])
    with pytest.raises(ValueError):
        check_scenarios([Scenario(), Scenario(), Scenario()])
    with pytest.raises(TypeError, match="Scenario objects"):
        check_scenarios((None, "raise_tekun_1050"))  # the tuples of earlier versions
