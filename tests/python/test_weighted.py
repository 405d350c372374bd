"""The weighted Microsimulation API and the distributional impact (gains, deciles, poverty), checked against
figures worked out by hand on a small weighted caseload (weighted_caseload.py); partitions and Dask give
the same figures; months without a value are reported and the others computed; not-computed counts add up."""

import json

import numpy as np
import pandas as pd
import pytest
from weighted_caseload import HOUSEHOLDS, reform_file, weighted_caseload

from openfisca_cn_assist.analysis.distributed import dask_client, run_caseload
from openfisca_cn_assist.analysis.microsim import simulate
from openfisca_cn_assist.analysis.partitions import split_caseload
from openfisca_cn_assist.analysis.scenario import Scenario
from openfisca_cn_assist.analysis.weighted import Microsimulation, WeightedSeries, weighted_quantile
from openfisca_cn_assist.api import compare, run
from openfisca_cn_assist.caseload.model import Caseload
from openfisca_cn_assist.caseload.readers import builtin_caseload
from openfisca_cn_assist.cli.main import main

# A person-year at the standard: 青海 580 → 638 (+58 a month, 696 a year), 贺州 750 → 825 (+75, 900 a year).
QH, QH_NEW, HZ, HZ_NEW = 580, 638, 750, 825


@pytest.fixture(scope="module")
def reform(tmp_path_factory):
    return reform_file(tmp_path_factory.mktemp("reform"))


@pytest.fixture(scope="module")
def impact(reform):
    return compare(reform, weighted_caseload(), "2020")


def test_the_caseload_is_what_the_brief_asks():
    weights = [w for *_, w in HOUSEHOLDS]
    assert len(HOUSEHOLDS) == 30 and min(weights) == 60 and max(weights) <= 300  # 60–150
    assert {j for _, j, *_ in HOUSEHOLDS} == {"qinghai", "hezhou"}
    assert sum(w * m for _, _, m, _, w in HOUSEHOLDS) == 3000


def test_gains_by_hand(impact):
    # Deciles 1–5 (青海, per-capita income below 580): 300 persons each gain 696 → 5 × 208,800 = 1,044,000.
    # Decile 6: h16 (560) gains 696 × 100 = 69,600; h17 (600) newly eligible, (638 − 600) × 12 = 456 × 100;
    #   h18 (620), (638 − 620) × 12 = 216 × 100: 69,600 + 45,600 + 21,600 = 136,800.
    # Decile 8 (贺州): h22, h23 below 750 gain 900 × 100 each; h24 (760) newly, (825 − 760) × 12 = 780 × 100:
    #   258,000. Decile 9: h25 (800) newly, 25 × 12 = 300 × 60; h26 (820), 5 × 12 = 60 × 120: 25,200.
    # Total 1,044,000 + 136,800 + 258,000 + 25,200 = 1,464,000 元 = 146.4 万元.
    assert impact.changes["dibao_benefit"] == pytest.approx(1_464_000)
    assert impact.by_jurisdiction().to_dict() == pytest.approx({"qinghai": 118.08, "hezhou": 28.32})  # 万元
    assert impact.by_jurisdiction(unit="元").sum() == pytest.approx(1_464_000)
    counts = impact.counts()
    # gaining households: 240 + 300 + 225 + 300 + 230 (deciles 1–5) + 300 + 300 + 60 + 120 = 2,075
    assert counts["gaining"] == 2075 and counts["losing"] == 0 and counts["no_longer_eligible"] == 0
    assert counts["newly_eligible"] == 100 + 100 + 100 + 60 + 120  # h17, h18, h24, h25, h26
    assert counts["mean_gain_per_gaining_household"] == pytest.approx(1_464_000 / 2075)
    # Gains sorted with their weights: 60 (120), 216 (100), 300 (60), 456 (100), 696 (1,190), 780 (100),
    # 900 (200), 1392 (two-person 青海 households: 205). Half of 2,075 is 1,037.5, reached at 696.
    assert counts["median_gain_per_gaining_household"] == 696
    persons = impact.person_counts()
    # persons: 1,500 in deciles 1–5 + 300 + 300 + 180 = 2,280 gaining; all newly eligible live alone
    assert persons == {"persons": 3000, "gaining": 2280, "losing": 0, "newly_eligible": 480, "no_longer_eligible": 0}


def test_deciles_by_hand(impact):
    deciles = impact.deciles()
    assert deciles["decile"].tolist() == list(range(1, 11))
    assert deciles["persons"].tolist() == [300.0] * 10  # the blocks of three households
    assert deciles["households"].tolist() == [240, 300, 225, 300, 230, 300, 240, 300, 300, 300]
    change = [208_800] * 5 + [136_800, 0, 258_000, 25_200, 0]
    assert deciles["change"].tolist() == pytest.approx(change)
    assert deciles["cost_share"].tolist() == pytest.approx([c / 1_464_000 for c in change])
    # decile 1: 208,800 over 240 households = 870 元; decile 8: 258,000 / 300 = 860
    assert deciles.loc[0, "average_gain_per_household"] == pytest.approx(870)
    assert deciles.loc[7, "average_gain_per_household"] == pytest.approx(860)
    assert deciles.loc[0, "average_gain_per_person"] == pytest.approx(696)
    # bounds: per-capita income over the year, 元 (decile 1: 0 to 40 × 12; decile 10: 1000 × 12 to 1500 × 12)
    assert (deciles.loc[0, "income_from"], deciles.loc[0, "income_to"]) == (0, 480)
    assert (deciles.loc[9, "income_from"], deciles.loc[9, "income_to"]) == (12_000, 18_000)


def test_poverty_by_hand(impact):
    poverty = impact.poverty().set_index(["scenario", "stage"])
    # Before assistance, below the baseline standard: 青海 h01–h16 (income < 580) and 贺州 h22, h23 (< 750).
    # Households 240 + 300 + 225 + 300 + 230 + 100 (h16) + 200 = 1,595; persons 1,500 + 100 + 200 = 1,800.
    # Gap a month, Σ weight × members × (standard − per-capita income):
    #   青海 60×580 + 60×2×560 + 120×540 + 100×(480+460+440) + 75×2×380 + 90×360 + 60×340 + 150×280
    #        + 90×260 + 60×240 + 100×180 + 70×2×130 + 60×80 + 100×20 = 537,400
    #   贺州 100×30 + 100×10 = 4,000; a year: 541,400 × 12 = 6,496,800 元.
    for scenario in ("baseline", "reform"):  # one line, the baseline standard, for both
        before = poverty.loc[(scenario, "before")]
        assert (before["households"], before["persons"]) == (1595, 1800)
        assert before["gap_yuan"] == pytest.approx(6_496_800)
        # After assistance 低保 brings everyone to at least the standard: nobody is below it.
        after = poverty.loc[(scenario, "after")]
        assert (after["households"], after["persons"], after["gap_yuan"]) == (0, 0, 0)


def test_partitions_give_the_same_figures(reform, impact):
    parts = compare(reform, weighted_caseload(), "2020", partition_size=7)
    assert parts.baseline.partitions == 5
    assert parts.report() == impact.report()


def test_dask_gives_the_same_figures(reform, impact, system):
    partitioned = split_caseload(weighted_caseload(), 4, system)
    with dask_client("local:2") as client:
        there = run_caseload(partitioned, "2020", [Scenario(), Scenario(reform)], client=client, changes=True)
    assert there.baseline.partitions == 8
    assert there.report() == impact.report()
    assert there.comparison.distribution.incomes == impact.comparison.distribution.incomes  # the exact histogram


def test_microsimulation_calc_is_weighted(reform):
    baseline = Microsimulation(weighted_caseload(), period="2020")
    benefit = baseline.calc("dibao_benefit")
    assert list(benefit.values.index[:2]) == ["h01", "h02"] and benefit.values["h01"] == 580 * 12
    # Σ weight × benefit: the run's own total, exactly
    assert benefit.sum() == run(weighted_caseload(), "2020").totals()["dibao_benefit"]
    assert benefit.count() == sum(w for *_, w in HOUSEHOLDS)  # 2,735 weighted households
    assert (benefit > 0).sum() == 1595  # the households below the standard receive it
    by_place = benefit.groupby("jurisdiction").sum()
    assert by_place.sum() == pytest.approx(benefit.sum()) and set(by_place.index) == {"qinghai", "hezhou"}
    assert benefit.groupby("area").count().to_dict() == {"urban": 2735}
    # map_to: a person-level variable summed per household, a household amount shown on each member
    wages = baseline.calc("wage_income", map_to="household")
    assert wages.values["h14"] == 900 * 12
    on_members = baseline.calc("dibao_benefit", map_to="person")
    assert len(on_members) == 34 and on_members.values["h14c"] == on_members.values["h14a"]
    # weighted median of per-capita income a month over 3,000 persons: deciles 1–4 hold 1,200, h13 (400) 100,
    # h14 (450) 2 × 70, h15 (500) 60: 1,500, half, is reached at 500
    income = baseline.calc("dibao_per_capita_income", "2020-01", map_to="person")
    assert income.median() == 500 and income.count() == 3000
    reformed = Microsimulation(weighted_caseload(), reforms=[reform], period="2020")
    gain = reformed.calc("dibao_benefit") - benefit
    assert gain.sum() == pytest.approx(1_464_000)
    assert reformed.compare().report() == compare(reform, weighted_caseload(), "2020").report()


def test_weighted_quantile_takes_the_smallest_value_reaching_the_share():
    values, weights = np.array([3.0, 1.0, 2.0]), np.array([1.0, 1.0, 2.0])
    assert weighted_quantile(values, weights, 0.5) == 2  # cumulative 1, 3, 4: 2 reaches 2 of 4
    assert weighted_quantile(values, weights, 0.0) == 1 and weighted_quantile(values, weights, 1.0) == 3


def test_groupby_statistics_are_each_groups_own():
    rng = np.random.default_rng(3)
    values = pd.Series(np.round(rng.exponential(300, 500), 2) * (rng.random(500) < 0.4), name="benefit")
    weights = pd.Series(rng.uniform(0.5, 2, 500) * (rng.random(500) < 0.9))
    labels = rng.choice(["b", "a", "c", "d"], 500)
    weights[labels == "d"] = 0.0  # a group of no weight: mean and median NaN, as for a series of its own
    series = WeightedSeries(values, weights)
    for statistic in ("sum", "count", "mean", "median"):
        grouped = getattr(series.groupby(labels), statistic)()
        assert grouped.name == f"benefit_{statistic}" and list(grouped.index) == ["a", "b", "c", "d"]
        for group in grouped.index:
            own = getattr(WeightedSeries(values[labels == group], weights[labels == group]), statistic)()
            assert grouped[group] == own or (np.isnan(own) and np.isnan(grouped[group]))


def _orphans(with_qinghai: bool) -> Caseload:
    persons = pd.DataFrame(
        {
            "person_id": ["o1", "a1", "q1"],
            "household_id": ["H1", "H2", "Q1"],
            "age": [12, 40, 40],
            "has_able_supporter": [False, True, True],
            "wage_income": [0, 300, 100],
            "child_care_status": ["orphan_scattered", "none", "none"],
        }
    )
    households = pd.DataFrame(
        {
            "household_id": ["H1", "H2", "Q1"],
            "weight": [80, 120, 200],
            "jurisdiction": ["hezhou", "hezhou", "qinghai"],
            "area": ["urban"] * 3,
        }
    )
    if not with_qinghai:
        persons, households = persons.iloc[:2], households.iloc[:2]
    return Caseload(persons, households, name="orphans")


def test_a_year_with_months_without_a_value_computes_the_others(system):
    # 贺州's scattered-orphan standard is known from 2020-09 (900 元/月) only: four months are computed
    whole = simulate(system, _orphans(True), "2020")
    assert "orphan_allowance" not in whole.not_computed
    assert list(whole.partial["orphan_allowance"]) == [f"2020-{m:02d}" for m in range(1, 9)]
    assert whole.households["orphan_allowance"].tolist() == [4 * 900, 0, 0]
    assert whole.totals()["orphan_allowance"] == 80 * 4 * 900
    assert "orphan.standard_scattered" in whole.partial["orphan_allowance"]["2020-01"]
    # A partition with the 青海 household only computes every month; it is told which months others lack.
    parts = simulate(system, _orphans(True), "2020", partition_size=2)
    assert parts.partitions == 2 and parts.partial == whole.partial
    assert parts.totals() == whole.totals()


def test_not_computed_counts_add_up_over_partitions(system):
    caseload = builtin_caseload("xishuangbanna_2022")
    whole = simulate(system, caseload, "2022-08")
    parts = simulate(system, caseload, "2022-08", partition_size=3000)
    assert parts.partitions == 5
    reason = whole.not_computed["tekun_care_allowance"]
    count = reason.split(" person(s) need it")[0].rsplit(" ", 1)[-1]
    assert count.replace(",", "").isdigit() and int(count.replace(",", "")) > 1000
    assert f"{count} person(s) need it" in parts.not_computed["tekun_care_allowance"]


def test_summary_by_jurisdiction_keeps_outputs_not_computed(system):
    results = simulate(system, builtin_caseload("xishuangbanna_2022"), "2022-08")
    totals = results.summary()
    assert "jurisdiction" not in totals and len(totals) == len(results.aggregate.outputs.money)
    by_place = results.summary(by_jurisdiction=True)
    assert set(by_place["jurisdiction"]) == {"jinghong", "menghai", "mengla"}  # no "all" rows among them
    care = by_place[by_place["output"] == "tekun_care_allowance"]
    assert len(care) == 3 and care["spending_10k_yuan"].isna().all()


def test_cli_impact_json_has_households_persons_deciles_and_poverty(tmp_path, reform, capsys):
    caseload = weighted_caseload()
    caseload.persons.to_csv(tmp_path / "persons.csv", index=False)
    caseload.households.to_csv(tmp_path / "households.csv", index=False)
    code = main(
        [
            "impact",
            "--persons",
            str(tmp_path / "persons.csv"),
            "--households",
            str(tmp_path / "households.csv"),
            "--period",
            "2020",
            "--reform",
            reform,
            "--json",
            str(tmp_path / "impact.json"),
            "--no-progress",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Persons (weighted" in out and "Deciles of persons" in out and "Poverty against the baseline" in out
    report = json.loads((tmp_path / "impact.json").read_text(encoding="utf-8"))
    assert report["totals"]["change"]["dibao_benefit"] == pytest.approx(1_464_000)
    for level in ("households", "persons"):
        assert {"gaining", "losing", "newly_eligible", "no_longer_eligible"} <= set(report[level])
    assert report["households"]["gaining"] == 2075 and report["persons"]["gaining"] == 2280
    assert len(report["deciles"]) == 10 and set(report["poverty"]) == {"baseline", "reform"}
    assert report["poverty"]["baseline"]["before"]["persons"] == 1800
