"""Missing values and unusable inputs stop the computation with a message naming what is wrong."""

import pytest
from openfisca_core.reforms import Reform
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.engine.errors import InputError
from openfisca_cn_assist.engine.resolver import MissingParameterValueError, ValuePastHorizonError, resolver_for


def simulate(system, persons, jurisdiction, area="urban", month="2022-08", **household):
    situation = {
        "persons": {name: {k: {month: v} for k, v in values.items()} for name, values in persons.items()},
        "households": {
            "h": {"members": list(persons), "jurisdiction": {"ETERNITY": jurisdiction}, "area": {month: area}}
            | {k: {month: v} for k, v in household.items()}
        },
    }
    return SimulationBuilder().build_from_entities(system, situation)


def test_no_standard_in_force_names_parameter_jurisdiction_and_dates(system):
    simulation = simulate(system, {"p": {"has_able_supporter": True}}, "hanzhong")
    with pytest.raises(MissingParameterValueError) as caught:
        simulation.calculate("dibao_benefit", "2022-08")
    message = str(caught.value)
    assert "dibao.standard_urban" in message
    assert "汉中市 (hanzhong)" in message and "2022-08-01" in message
    assert "hanzhong → shaanxi → china" in message
    assert "xishuangbanna (from 2022-01-01 until its horizon 2022-12-31)" in message


def test_years_without_a_known_standard_stop_rather_than_reuse_an_old_one(system):
    simulation = simulate(system, {"p": {"has_able_supporter": True}}, "qinghai", month="2023-05")
    with pytest.raises(ValuePastHorizonError, match="would be 580 .*only until 2020-12-31 \\(its horizon\\)") as caught:
        simulation.calculate("dibao_standard", "2023-05")
    assert caught.value.parameter == "dibao.standard_urban" and caught.value.horizon == "2020-12-31"
    assert "carry_forward" in str(caught.value)


def test_rule_unknown_for_a_date_does_not_stop_households_it_does_not_touch(system):
    # No basic-pension rule is known after 十四五 (2025): a household without pension income does not need it.
    # No standard is known in 2026 either, so the household gives one (750) as an input.
    without_pension = simulate(
        system, {"p": {"has_able_supporter": True}}, "hezhou", month="2026-03", dibao_standard=750
    )
    assert without_pension.calculate("dibao_benefit", "2026-03")[0] == 750
    with_pension = simulate(
        system,
        {"p": {"basic_pension_income": 100, "has_able_supporter": True}},
        "hezhou",
        month="2026-03",
        dibao_standard=750,
    )
    with pytest.raises(MissingParameterValueError, match="income.basic_pension_excluded"):
        with_pension.calculate("dibao_benefit", "2026-03")


def test_unclassified_member_of_class_paid_household_is_an_input_error(system):
    persons = {"p1": {"dibao_class": "a", "has_able_supporter": True}, "p2": {"has_able_supporter": True}}
    simulation = simulate(system, persons, "mengla", area="rural")
    with pytest.raises(InputError, match="dibao_class: .*person rows 1 are 'unclassified'"):
        simulation.calculate("dibao_benefit", "2022-08")


def test_care_allowance_without_minimum_wage_names_the_parameter(system):
    simulation = simulate(system, {"p": {"age": 70}}, "xishuangbanna")
    assert simulation.calculate("tekun_eligible", "2022-08")[0]
    with pytest.raises(MissingParameterValueError, match="care_rate_self_care"):
        simulation.calculate("tekun_care_allowance", "2022-08")


def test_care_allowance_is_not_needed_for_people_who_are_not_tekun(system):
    simulation = simulate(system, {"p": {"age": 40, "has_able_supporter": True}}, "xishuangbanna")
    assert simulation.calculate("tekun_care_allowance", "2022-08")[0] == 0


def test_reform_gets_its_own_resolved_tables(system):
    class RaiseXishuangbanna(Reform):
        def apply(self):
            def modify(parameters):
                parameters.dibao.standard_urban.xishuangbanna.update(start="2022-01-01", value=800)
                return parameters

            self.modify_parameters(modifier_function=modify)

    reformed = RaiseXishuangbanna(system)
    persons = {"p": {"has_able_supporter": True}}
    assert simulate(reformed, persons, "mengla").calculate("dibao_standard", "2022-08")[0] == 800
    assert simulate(system, persons, "mengla").calculate("dibao_standard", "2022-08")[0] == 700
    assert resolver_for(reformed) is not resolver_for(system)


def test_exit_period_without_known_earlier_benefit_is_an_input_error(system):
    persons = {"p": {"age": 45, "wage_income": 600, "has_able_supporter": True}}
    simulation = simulate(system, persons, "mengla", area="rural", dibao_recipient_last_month=True)
    with pytest.raises(InputError, match="dibao_exit_base_benefit: household rows 0 are in their 渐退 period"):
        simulation.calculate("dibao_benefit", "2022-08")


def test_exit_rule_unknown_before_2021_stops_only_households_leaving_dibao(system):
    leaving = simulate(
        system,
        {"p": {"wage_income": 800, "has_able_supporter": True}},
        "hezhou",
        month="2020-06",
        dibao_recipient_last_month=True,
        dibao_exit_base_benefit=100,
    )
    with pytest.raises(MissingParameterValueError, match="dibao.gradual_exit_months"):
        leaving.calculate("dibao_benefit", "2020-06")
    staying = simulate(system, {"p": {"wage_income": 800, "has_able_supporter": True}}, "hezhou", month="2020-06")
    assert staying.calculate("dibao_benefit", "2020-06")[0] == 0


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [("wage_income", -5, "at least 0"), ("age", -1, "between 0 and 130"), ("disability_grade", 7, "between 0 and 4")],
)
def test_out_of_range_person_input_names_field_rows_and_range(system, field, value, expected):
    simulation = simulate(
        system, {"a": {"has_able_supporter": True}, "b": {field: value, "has_able_supporter": True}}, "jinghong"
    )
    with pytest.raises(InputError, match=f"{field}: person rows 1 have \\[{value}"):
        simulation.calculate("dibao_benefit", "2022-08")
    with pytest.raises(InputError, match=expected):
        simulation.calculate("dibao_benefit", "2022-08")


def test_out_of_range_household_input(system):
    simulation = simulate(system, {"p": {"age": 70}}, "qinghai", month="2025-03", hardship_area_class=9)
    with pytest.raises(InputError, match="hardship_area_class: household rows 0 have \\[9\\]"):
        simulation.calculate("tekun_eligible", "2025-03")


def test_negative_business_income_is_a_loss_not_an_error(system):
    persons = {"p": {"business_income": -200, "wage_income": 300, "has_able_supporter": True}}
    # countable 300 − 200 = 100; (700 − 100) × 1 = 600
    assert simulate(system, persons, "jinghong").calculate("dibao_benefit", "2022-08")[0] == 600


def test_unknown_enum_value_is_rejected_with_the_field_named(system):
    from openfisca_core.errors import SituationParsingError

    with pytest.raises(SituationParsingError) as caught:
        simulate(system, {"p": {"dibao_class": "z"}}, "mengla", area="rural")
    assert "dibao_class" in str(caught.value.error)
