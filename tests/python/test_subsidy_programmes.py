"""Orphan allowance, disability subsidies, one-off subsidy and price subsidy: missing values stop with the
parameter named; CPI series entered as parameters count only for their own month; local thresholds may
only lower the national one."""

import pytest
from openfisca_core.parameters import Parameter
from openfisca_core.reforms import Reform
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.engine.provenance import assumed_values
from openfisca_cn_assist.engine.resolver import (
    MissingParameterValueError,
    ValuePastHorizonError,
    resolver_for,
)


def simulate(system, persons, jurisdiction, month, inputs=None, area="urban"):
    """``persons``: name → {variable: value} in ``month``; ``inputs``: household variable → {period: value}."""
    situation = {
        "persons": {name: {k: {month: v} for k, v in values.items()} for name, values in persons.items()},
        "households": {
            "h": {"members": list(persons), "jurisdiction": {"ETERNITY": jurisdiction}, "area": {month: area}}
            | (inputs or {})
        },
    }
    return SimulationBuilder().build_from_entities(system, situation)


DIBAO_PERSON = {"p": {"age": 40, "has_able_supporter": True}}


def with_parameters(system, files):
    """A reform adding one jurisdiction file per entry: {"programme.parameter.jurisdiction": {date: value}}."""

    class AddFiles(Reform):
        def apply(self):
            def modify(parameters):
                for name, values in files.items():
                    path, key = name.rsplit(".", 1)
                    node = parameters
                    for part in path.split("."):
                        node = node.children[part]
                    data = {
                        "description": "test values",
                        "metadata": {"unit": "percent", "reference": [{"title": "test"}], "confidence": "assumed"},
                        "values": {date: {"value": value} for date, value in values.items()},
                    }
                    node.add_child(key, Parameter(f"{path}.{key}", data))
                return parameters

            self.modify_parameters(modifier_function=modify)

    return AddFiles(system)


# Price subsidy


def test_covered_person_without_cpi_names_the_series_and_the_index_month(system):
    simulation = simulate(system, DIBAO_PERSON, "xishuangbanna", "2022-09")
    with pytest.raises(MissingParameterValueError) as caught:
        simulation.calculate("price_subsidy", "2022-09")
    message = str(caught.value)
    assert "price_linkage.cpi_yoy" in message and "2022-08-01" in message
    assert "xishuangbanna → yunnan → china" in message


def test_person_in_no_covered_group_needs_no_cpi(system):
    person = {"p": {"age": 40, "wage_income": 3000, "has_able_supporter": True}}
    simulation = simulate(system, person, "xishuangbanna", "2022-09")
    assert simulation.calculate("price_subsidy", "2022-09")[0] == 0


def test_cpi_series_value_counts_only_for_its_own_month(system):
    reformed = with_parameters(
        system,
        {"price_linkage.cpi_yoy.yunnan": {"2022-08-01": 3.0}, "price_linkage.food_cpi_yoy.yunnan": {"2022-08-01": 5.0}},
    )
    # 西双版纳 inherits Yunnan's August index: paid in September, 700 × 3.0 % = 21
    september = simulate(reformed, DIBAO_PERSON, "xishuangbanna", "2022-09")
    assert september.calculate("cpi_yoy", "2022-08")[0] == 3.0
    assert september.calculate("price_subsidy", "2022-09")[0] == pytest.approx(21)
    # The August value is not carried into September's index (paid in October)
    october = simulate(reformed, DIBAO_PERSON, "xishuangbanna", "2022-10")
    with pytest.raises(MissingParameterValueError, match="counts only for the month it is dated") as caught:
        october.calculate("price_subsidy", "2022-10")
    assert "price_linkage.cpi_yoy" in str(caught.value) and "2022-09-01" in str(caught.value)


def test_a_jurisdiction_own_series_overrides_its_parent_in_its_own_month(system):
    reformed = with_parameters(
        system,
        {
            "price_linkage.cpi_yoy.yunnan": {"2022-08-01": 3.0},
            "price_linkage.cpi_yoy.xishuangbanna": {"2022-08-01": 3.6},
            "price_linkage.food_cpi_yoy.yunnan": {"2022-08-01": 5.0},
        },
    )
    simulation = simulate(reformed, DIBAO_PERSON, "mengla", "2022-09")
    # 勐腊 → 西双版纳's own 3.6: 700 × 3.6 % = 25.2
    assert simulation.calculate("price_subsidy", "2022-09")[0] == pytest.approx(25.2)


def test_local_threshold_may_lower_but_never_raise_the_national_one(system):
    reformed = with_parameters(system, {"price_linkage.cpi_threshold.yunnan": {"2021-01-01": 3.2}})
    index = {"food_cpi_yoy": {"2022-07": 5.0, "2022-08": 5.0}}
    # 2022-08: national 3.5, Yunnan 3.2 → CPI 3.2 triggers: 700 × 3.2 % = 22.4
    august = simulate(reformed, DIBAO_PERSON, "xishuangbanna", "2022-08", index | {"cpi_yoy": {"2022-07": 3.2}})
    assert august.calculate("price_subsidy", "2022-08")[0] == pytest.approx(22.4)
    # 2022-09: national 3.0 is below Yunnan's 3.2 → min = 3.0, CPI 3.0 triggers: 700 × 3.0 % = 21
    september = simulate(reformed, DIBAO_PERSON, "xishuangbanna", "2022-09", index | {"cpi_yoy": {"2022-08": 3.0}})
    assert september.calculate("price_subsidy", "2022-09")[0] == pytest.approx(21)
    # Without the local value CPI 3.2 does not trigger in 2022-08
    baseline = simulate(system, DIBAO_PERSON, "xishuangbanna", "2022-08", index | {"cpi_yoy": {"2022-07": 3.2}})
    assert baseline.calculate("price_subsidy", "2022-08")[0] == 0


def test_months_before_the_2016_mechanism_stop_for_covered_people(system):
    inputs = {"dibao_standard": {"2016-08": 500}, "cpi_yoy": {"2016-07": 4.0}, "food_cpi_yoy": {"2016-07": 5.0}}
    simulation = simulate(system, DIBAO_PERSON, "xishuangbanna", "2016-08", inputs=inputs)
    with pytest.raises(MissingParameterValueError, match="price_linkage.covers_dibao.*china \\(from 2016-09-01\\)"):
        simulation.calculate("price_subsidy", "2016-08")


# Orphans and de facto unsupported children


@pytest.mark.parametrize("month", ["2016-01", "2018-06", "2020-08"])
def test_hezhou_orphan_standard_unknown_between_2015_and_september_2020(system, month):
    simulation = simulate(system, {"c": {"age": 9, "child_care_status": "orphan_scattered"}}, "hezhou", month)
    # The 十二五-end 600 is supported only through 2015 and the 900 starts in 2020-09: in between, the
    # error names the 600 that ran out and its horizon rather than reusing it.
    with pytest.raises(ValuePastHorizonError, match="orphan.standard_scattered.*hezhou.*600") as caught:
        simulation.calculate("orphan_allowance", month)
    error = caught.value
    assert (error.parameter, error.date) == ("orphan.standard_scattered", f"{month}-01")
    assert (error.value, error.horizon, error.source_jurisdiction) == (600, "2015-12-31", "hezhou")
    assert "until 2015-12-31 (its horizon)" in str(error)


def test_de_facto_unsupported_child_before_hezhou_rule_names_the_rule(system):
    simulation = simulate(system, {"c": {"age": 9, "child_care_status": "de_facto_unsupported"}}, "hezhou", "2015-06")
    with pytest.raises(MissingParameterValueError, match="orphan.de_facto_unsupported_at_scattered_standard"):
        simulation.calculate("orphan_allowance", "2015-06")


def test_orphan_outside_hezhou_has_no_standard(system):
    orphan = {"c": {"age": 9, "child_care_status": "orphan_institutional"}}
    simulation = simulate(system, orphan, "xishuangbanna", "2022-08")
    with pytest.raises(MissingParameterValueError, match="orphan.standard_institutional"):
        simulation.calculate("orphan_allowance", "2022-08")


# Disability subsidies


def test_guangxi_amounts_are_not_reused_after_2016(system):
    person = {"p": {"age": 50, "disability_grade": 2, "self_care_level": "full_care", "has_able_supporter": True}}
    simulation = simulate(system, person, "hezhou", "2017-01", inputs={"dibao_standard": {"2017-01": 300}})
    # 50 is supported for 2016 only (its horizon); the next known amount (80) starts in 2024-12
    expected = "disability.living_subsidy_amount.*would be 50.*guangxi.*only until 2016-12-31 \\(its horizon\\)"
    with pytest.raises(ValuePastHorizonError, match=expected):
        simulation.calculate("disability_living_subsidy", "2017-01")
    with pytest.raises(ValuePastHorizonError, match="disability.care_subsidy_amount"):
        simulation.calculate("disability_care_subsidy", "2017-01")


def test_no_amount_known_for_yunnan_stops_for_eligible_people_only(system):
    person = {"p": {"age": 50, "disability_grade": 2, "disability_category": "mental", "has_able_supporter": True}}
    # 玉溪 in 2024: no amount (峨山's own 2024 reading of seed 004 is not its prefecture's; Yunnan's floor starts 2025-12)
    simulation = simulate(system, person, "yuxi", "2024-11", inputs={"dibao_standard": {"2024-11": 735}})
    expected = "disability.living_subsidy_amount.*yuxi → yunnan → china"
    with pytest.raises(MissingParameterValueError, match=expected):
        simulation.calculate("disability_living_subsidy", "2024-11")
    # fully self-caring: no care subsidy, so no care amount is needed
    assert simulation.calculate("disability_care_subsidy", "2024-11")[0] == 0


def test_care_subsidy_before_2016_has_no_rule(system):
    person = {"p": {"age": 50, "disability_grade": 1, "self_care_level": "partial_care", "has_able_supporter": True}}
    simulation = simulate(system, person, "guangxi", "2015-12", inputs={"dibao_standard": {"2015-12": 300}})
    with pytest.raises(MissingParameterValueError, match="disability.care_subsidy_max_grade"):
        simulation.calculate("disability_care_subsidy", "2015-12")


# One-off living subsidy


def test_one_off_subsidy_sources_and_assumptions(system):
    resolved = resolver_for(system)["one_off.living_subsidy_amount"]
    paid = resolved.source("mengla", "2022-01-01")
    # the amount and the year are H (S0); no payment month is entered, assumed or otherwise
    assert (paid.source_jurisdiction, paid.value, paid.confidence) == ("xishuangbanna", 100, "H")
    assert (paid.period, paid.horizon) == ("case", "2022-12-31")
    assert resolved.source("mengla", "2022-12-01").value == 100  # the whole year, not one month
    after = resolved.source("mengla", "2023-01-01")
    assert (after.source_jurisdiction, after.value) == ("china", 0)
    assumed = {(v.parameter, v.start) for v in assumed_values(system.parameters)}
    assert ("one_off.living_subsidy_amount.xishuangbanna", "2022-01-01") not in assumed
    assert ("one_off.living_subsidy_amount.china", "2014-05-01") in assumed


def _one_off_frame(system, jurisdictions, period):
    """The microsimulation's household rows for one 低保 person (40, no income, urban) per jurisdiction.

    No CPI series covers these months in the sources: the price subsidy is given as 0 every month."""
    import numpy as np
    import pandas as pd

    from openfisca_cn_assist.analysis.microsim import household_frame, months_of
    from openfisca_cn_assist.caseload.model import Caseload
    from openfisca_cn_assist.caseload.simulation import caseload_simulation

    ids = list(range(1, len(jurisdictions) + 1))
    persons = pd.DataFrame(
        {"person_id": ids, "household_id": ids, "age": [40] * len(ids), "has_able_supporter": [True] * len(ids)}
    )
    households = pd.DataFrame({"household_id": ids, "jurisdiction": jurisdictions, "area": ["urban"] * len(ids)})
    simulation = caseload_simulation(
        system, Caseload(persons, households, name="t", synthetic=True, description="t"), period
    )
    for month in months_of(period):
        simulation.set_input("price_subsidy", month, np.zeros(len(ids)))
    return household_frame(simulation, period)


def test_one_off_a_year_counts_the_payment_once_and_adds_it_to_the_years_total(system):
    frame, not_computed = _one_off_frame(system, ["jinghong", "xishuangbanna"], "2022")
    assert "one_off_living_subsidy" not in not_computed and "social_assistance_total" not in not_computed
    # each on 低保 all 12 months, paid once: 100 each, not 12 × 100
    assert frame["one_off_living_subsidy"].tolist() == [100, 100]
    # the year's total adds the one-off once: 700 × 12 + 100 = 8500
    assert frame["social_assistance_total"].tolist() == [8500, 8500]


def test_one_off_a_month_reports_the_payment_month_as_not_known(system):
    frame, not_computed = _one_off_frame(system, ["jinghong"], "2022-06")
    assert "payment month is not known" in not_computed["one_off_living_subsidy"]
    assert frame["one_off_living_subsidy"].isna().all()
    # the month's total is that of the monthly benefits (the one-off is listed as not computed): 700
    assert frame["social_assistance_total"].tolist() == [700]


def test_one_off_a_month_where_no_payment_is_decided_is_zero(system):
    # 青海 2025: china's 0 all year, so 0 in every month is known
    frame, not_computed = _one_off_frame(system, ["qinghai"], "2025-03")
    assert "one_off_living_subsidy" not in not_computed
    assert frame["one_off_living_subsidy"].tolist() == [0]


def test_one_off_calculate_for_a_month_says_the_month_is_not_known(tmp_path, capsys):
    import json

    from openfisca_cn_assist.cli.main import main

    situation = {
        "persons": {
            "p": {"age": {"2022-06": 40}, "has_able_supporter": {"2022-06": True}, "price_subsidy": {"2022-06": 0}}
        },
        "households": {"h": {"members": ["p"], "jurisdiction": {"ETERNITY": "jinghong"}, "area": {"2022-06": "urban"}}},
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(situation))
    assert main(["calculate", str(path), "--period", "2022-06"]) == 0
    assert "one_off_living_subsidy not computed for 2022-06: the payment month is not known" in capsys.readouterr().out


def test_one_off_is_yearly_and_no_payment_month_parameter_remains(system):
    from openfisca_core.periods import DateUnit

    assert system.variables["one_off_living_subsidy"].definition_period == DateUnit.YEAR
    assert set(system.parameters.one_off.children) == {"living_subsidy_amount"}
