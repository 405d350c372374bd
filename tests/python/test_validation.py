"""`cn-assist validate`: tolerances come from the sources, and every check fails when the parameter it rests on moves by 5 %."""

from __future__ import annotations

import math

import pytest
import yaml

from openfisca_cn_assist.analysis.validation import CHECKS, ERROR, FAIL, INFO, OK, run_checks
from openfisca_cn_assist.cli.main import main
from openfisca_cn_assist.engine.reform_tools import apply_reform

# What the sources let the model show today (see each check's explanation): the status is the honest one.
EXPECTED = {
    "西双版纳 2022 rural 低保 spending (万元)": FAIL,  # year-end counts × 12 months: +33.17 万元, turnover unsized
    "西双版纳 2022 特困 spending (万元), basic allowance only": INFO,  # care allowances not computable
    "西双版纳 2022 one-off living subsidy (万元), persons counted by the model": FAIL,  # 23262 on the rolls, 22746 paid
    "青海 temporary-assistance cap (元)": OK,
    "贺州 2020 urban 特困 standard from the 1.3 × rule (元/月)": OK,
    "贺州 2020 rural 特困 standard from the 1.3 × rule (元/月)": FAIL,  # 1.3 × 433 = 562.9, published 569
}


@pytest.fixture(scope="module")
def baseline(system):
    return {row["check"]: row for row in run_checks(system).to_dict("records")}


def _moved(system, tmp_path, check, percent: str):
    """``system`` with every parameter ``check`` rests on scaled by ``percent``, through a parametric reform."""
    changes = [
        {
            "parameter": r.parameter,
            "jurisdictions": list(r.jurisdictions),
            "from": r.start,
            "change": percent,
        }
        for r in check.rests_on
    ]
    path = tmp_path / f"move_{percent.replace('%', 'pct').replace('+', 'plus').replace('-', 'minus')}.yaml"
    path.write_text(
        yaml.safe_dump(
            {"name": "move", "label": "validation check moved", "changes": changes},
            allow_unicode=True,
        )
    )
    return apply_reform(system, str(path))


def test_every_check_has_a_source_derived_tolerance_and_an_expected_status(baseline):
    assert set(baseline) == {check.name for check in CHECKS} == set(EXPECTED)
    for check in CHECKS:
        row = baseline[check.name]
        assert row["status"] == EXPECTED[check.name], (
            check.name,
            row["status"],
            row.get("error"),
        )
        assert check.rests_on and check.tolerance_reason and check.explanation
        low, high = check.tolerance
        assert low < 0 < high
        assert row["passed"] == (row["status"] == OK)


@pytest.mark.parametrize("percent", ["+5%", "-5%"])
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_a_5_percent_move_of_the_parameter_makes_the_check_fail(system, tmp_path, baseline, check, percent):
    row = check.run(_moved(system, tmp_path, check, percent))
    base = baseline[check.name]["modelled"]
    # The check sees the move: its modelled figure moves by 5 % (each figure is proportional to its parameters) …
    assert math.isclose(row["modelled"], base * (1.05 if percent == "+5%" else 0.95), rel_tol=1e-6), row
    if check.informational:
        # … but no source bounds an informational check: it is reported, never passed.
        assert row["status"] == INFO and not row["passed"]
    else:
        # … and fails: 5 % of the figure is outside every tolerance (the rounding: at most 1.2 %, 青海's 4.2 万元).
        assert row["status"] == FAIL and not row["passed"], row


def test_the_one_off_check_counts_persons_in_the_model_not_the_published_count():
    check = next(c for c in CHECKS if "one-off" in c.name)
    assert "22746" not in check.modelled.__code__.co_consts
    assert check.tolerance == (
        -0.015,
        0.005,
    )  # 227.47 ± 0.005, and 100 × 22746 = 227.46 on the low side


def test_validate_command_reports_failing_checks(capsys):
    # Checks fail honestly (see EXPECTED): the command says so and exits 1.
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL ] 西双版纳 2022 rural 低保 spending" in out
    assert "[info ] 西双版纳 2022 特困 spending" in out and "informational:" in out
    assert "[ok   ] 青海 temporary-assistance cap" in out
    assert "tolerance from: 5824.5 万元 is given to 0.1 万元" in out
    assert "2 ok, 3 failing, 0 not computed, 1 informational" in out
    assert ERROR not in {row for row in EXPECTED.values()}
