"""The Python Impact carries what its reforms changed (``impact.reform_changes``) and shows it as the CLI prints it."""

from __future__ import annotations

import json

import pytest
from weighted_caseload import weighted_caseload

from openfisca_cn_assist.analysis.results import Impact
from openfisca_cn_assist.api import Microsimulation, compare
from openfisca_cn_assist.cli.main import main

# 青海's urban 低保 standard: 580 元/月 from 2020 (parameters/dibao/standard_urban/qinghai.yaml)
RAISE = """name: {name}
label: 青海城市低保标准提高 / 青海 urban 低保 standard up
changes:
  - parameter: dibao.standard_urban
    jurisdictions: [qinghai]
    from: 2020-07-01
    change: {change}
"""


@pytest.fixture(scope="module")
def reforms(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reforms")
    paths = {}
    for name, change in (("qinghai_plus_10pct", "+10%"), ("qinghai_plus_20pct", "+20%")):
        paths[name] = folder / f"{name}.yaml"
        paths[name].write_text(RAISE.format(name=name, change=change), encoding="utf-8")
    return {name: str(path) for name, path in paths.items()}


@pytest.fixture(scope="module")
def impact(reforms):
    return compare(reforms["qinghai_plus_10pct"], weighted_caseload(), "2020")


def test_a_reform_of_a_standard_names_parameter_jurisdiction_date_before_and_after(impact):
    (row,) = impact.reform_changes
    assert (row["reform"], row["change"], row["parameter"]) == ("qinghai_plus_10pct", 1, "dibao.standard_urban")
    assert (row["jurisdiction"], row["name"], row["from"]) == ("qinghai", "青海省 (qinghai)", "2020-07-01")
    assert row["before"] == {"value": 580, "period": "month", "from_jurisdiction": "qinghai"}
    assert row["after"]["value"] == pytest.approx(638) and row["after"]["period"] == "month"
    assert row["as_written"] == "+10%"


def test_the_text_summary_opens_with_the_changes_as_the_cli_prints_them(impact):
    text = repr(impact)
    lines = text.splitlines()
    assert lines[0].startswith("<Impact of ") and "2020" in lines[0] and "30 households" in lines[0]
    assert lines[1] == "What the reform changes (value in force at the date, before → after):"
    assert (
        lines[2]
        == "  qinghai_plus_10pct #1 dibao.standard_urban 青海省 (qinghai) from 2020-07-01: 580/month → 638/month"
    )
    assert "Spending by programme, 万元 over the period:" in lines
    # what it cannot reach: the programmes that did not move, and the standard is not the class amounts
    assert any(line.startswith("Unchanged on this caseload: ") and "特困" in line for line in lines)
    assert "tekun" not in " ".join(impact.unchanged_programmes()) and impact.unchanged_programmes()
    assert any(
        line.startswith("Note: dibao.standard_urban is the 低保 standard, not the class amounts") for line in lines
    )


def test_stacked_reforms_list_each_change_on_the_rules_the_one_before_left(reforms):
    stacked = Microsimulation(
        weighted_caseload(), reforms=[reforms["qinghai_plus_10pct"], reforms["qinghai_plus_20pct"]], period="2020"
    ).compare()
    first, second = stacked.reform_changes
    assert (first["reform"], second["reform"]) == ("qinghai_plus_10pct", "qinghai_plus_20pct")
    assert first["before"]["value"] == 580 and first["after"]["value"] == pytest.approx(638)
    assert second["before"]["value"] == pytest.approx(638)  # the second starts where the first left
    assert second["after"]["value"] == pytest.approx(638 * 1.2)
    text = repr(stacked)
    assert text.index("qinghai_plus_10pct #1") < text.index("qinghai_plus_20pct #1")


def test_the_cli_writes_the_impacts_own_list(impact, reforms, tmp_path, capsys):
    caseload = weighted_caseload()
    persons, households = tmp_path / "persons.csv", tmp_path / "households.csv"
    caseload.persons.to_csv(persons, index=False)
    caseload.households.to_csv(households, index=False)
    summary = tmp_path / "impact.json"
    arguments = ["impact", "--reform", reforms["qinghai_plus_10pct"], "--persons", str(persons)]
    arguments += ["--households", str(households), "--period", "2020", "--no-progress", "--json", str(summary)]
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert "\nWhat the reform changes (value in force at the date, before → after):\n" in out
    assert "580/month → 638/month" in out and "\nUnchanged on this caseload: " in out
    written = json.loads(summary.read_text(encoding="utf-8"))["reform_changes"]
    assert json.loads(json.dumps(impact.reform_changes, ensure_ascii=False)) == written


def test_an_impact_put_together_from_rows_says_it_does_not_know(impact):
    bare = Impact(impact.baseline, impact.reform, impact.comparison)
    assert bare.reform_changes is None
    assert "What the reform changes: not known" in repr(bare)
