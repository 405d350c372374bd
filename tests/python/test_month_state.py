"""The 渐退 state at the start of a caseload run: given, worked out from a lead-in, or assumed and said so."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from openfisca_cn_assist import CountryTaxBenefitSystem
from openfisca_cn_assist.caseload import Caseload, builtin_caseload
from openfisca_cn_assist.caseload.simulation import (
    caseload_simulation,
    describe_month_state,
    merge_month_states,
    month_state_report,
)


@pytest.fixture(scope="module")
def system():
    return CountryTaxBenefitSystem()


@pytest.fixture(scope="module")
def builtin():
    return builtin_caseload("xishuangbanna_2022")


def _weighted(simulation, name, month):
    weights = np.asarray(simulation.household_weights, dtype=float)
    values = simulation.calculate(name, month)
    if len(values) != len(weights):  # a person output: each household's members added
        values = simulation.populations["household"].sum(values)
    return float((values * weights).sum())


def test_a_month_run_equals_that_month_of_the_yearly_run(system, builtin):
    yearly = caseload_simulation(system, builtin, "2022", lead_in=True)
    november = caseload_simulation(system, builtin, "2022-11", lead_in=True)
    state = november.month_state
    assert state.source == "lead_in"
    assert state.lead_in == ("2022-04", "2022-05", "2022-06", "2022-07", "2022-08", "2022-09", "2022-10")
    for name in ("dibao_gradual_exit_benefit", "dibao_benefit", "dibao_single_person_benefit"):
        assert _weighted(november, name, "2022-11") == pytest.approx(_weighted(yearly, name, "2022-11"), abs=0.01)
    # The figures of issue 14 (万元): 渐退 16.5 and 低保 749.65, not 0 and 734.65 as without the lead-in.
    assert _weighted(november, "dibao_gradual_exit_benefit", "2022-11") / 1e4 == pytest.approx(16.51, abs=0.01)
    assert _weighted(november, "dibao_benefit", "2022-11") / 1e4 == pytest.approx(749.65, abs=0.01)
    report = month_state_report(november)
    assert "lead_in" == report["source"] and "2022-04" in describe_month_state(report)


def test_without_lead_in_the_state_is_assumed_and_the_affected_households_counted(system, builtin):
    simulation = caseload_simulation(system, builtin, "2022-11")  # the HTTP batch path: no lead-in
    assert _weighted(simulation, "dibao_gradual_exit_benefit", "2022-11") == 0
    report = month_state_report(simulation)
    assert report["source"] == "assumed" and report["start"] == "2022-11"
    # Households above the standard in November: the 200 in their exit period are among them.
    assert report["affected_weight"] >= 200
    text = describe_month_state(report)
    assert (
        "not on 低保" in text and "dibao_recipient_last_month" in text and f"{report['affected_weight']:,.0f}" in text
    )


def test_january_has_no_lead_in_and_says_so(system, builtin):
    report = month_state_report(caseload_simulation(system, builtin, "2022", lead_in=True))
    assert report["source"] == "assumed" and report["start"] == "2022-01" and report["lead_in"] == []


def test_state_inputs_given_need_no_lead_in(system):
    persons = pd.DataFrame(
        {"person_id": [1, 2], "household_id": [1, 2], "age": [40, 40], "has_able_supporter": [False, False]}
    )
    households = pd.DataFrame(
        {
            "household_id": [1, 2],
            "weight": [10.0, 20.0],
            "jurisdiction": ["jinghong", "jinghong"],
            "area": ["rural", "rural"],
            "dibao_recipient_last_month": [True, False],
        }
    )
    simulation = caseload_simulation(system, Caseload(persons, households), "2022-11", lead_in=True)
    assert simulation.month_state.source == "given"
    assert describe_month_state(month_state_report(simulation)) is None


def test_partitions_add_up():
    parts = [
        {"source": "assumed", "start": "2022-01", "affected_households": 2, "affected_weight": 30.0},
        {"source": "assumed", "start": "2022-01", "affected_households": 1, "affected_weight": 5.0},
    ]
    merged = merge_month_states(parts)
    assert (merged["affected_households"], merged["affected_weight"]) == (3, 35.0)
    assert merge_month_states([{}, {}]) == {}
