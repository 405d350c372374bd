"""Orphan allowance, disability subsidies, one-off subsidy and price subsidy: missing values stop with the
parameter named; CPI series entered as parameters count only for their own month; local thresholds may
only lower the national one."""

import pytest
from openfisca_core.parameters import Parameter
from openfisca_core.reforms import Reform
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.provenance import assumed_values
from openfisca_cn_assist.resolver import MissingParameterValueError, resolver_for


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
    expected = "orphan.standard_scattered.*hezhou \\(from 2015-01-01 until 2016-01-01; from 2020-09-01\\)"
    with pytest.raises(MissingParameterValueError, match=expected):
        simulation.calculate("orphan_allowance", month)


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
    expected = "disability.living_subsidy_amount.*guangxi \\(from 2016-01-01 until 2017-01-01\\)"
    with pytest.raises(MissingParameterValueError, match=expected):
        simulation.calculate("disability_living_subsidy", "2017-01")
    with pytest.raises(MissingParameterValueError, match="disability.care_subsidy_amount"):
        simulation.calculate("disability_care_subsidy", "2017-01")


def test_no_amount_known_for_yunnan_stops_for_eligible_people_only(system):
    person = {"p": {"age": 50, "disability_grade": 2, "disability_category": "mental", "has_able_supporter": True}}
    simulation = simulate(system, person, "eshan", "2024-11", inputs={"dibao_standard": {"2024-11": 735}})
    expected = "disability.living_subsidy_amount.*eshan → yuxi → yunnan → china"
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
    assert (paid.source_jurisdiction, paid.value, paid.confidence) == ("xishuangbanna", 100, "assumed")
    after = resolved.source("mengla", "2022-02-01")
    assert (after.source_jurisdiction, after.value) == ("china", 0)
    assumed = {(v.parameter, v.start) for v in assumed_values(system.parameters)}
    assert ("one_off.living_subsidy_amount.xishuangbanna", "2022-01-01") in assumed
    assert ("one_off.living_subsidy_amount.china", "2014-05-01") in assumed
