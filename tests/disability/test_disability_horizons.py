"""残疾人两项补贴: each amount is used only within its horizon, months before a known amount stop with the
parameter named, a breakdown past its horizon is not replaced by the general amount, and the carry-forward
opt-in uses the last amounts (parameters/disability/, docs/horizons.md)."""

import pytest
from openfisca_core.parameters import Parameter
from openfisca_core.reforms import Reform
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist import CountryTaxBenefitSystem
from openfisca_cn_assist.engine.horizons import carried_values
from openfisca_cn_assist.engine.reform_tools import apply_reform
from openfisca_cn_assist.engine.resolver import MissingParameterValueError, ValuePastHorizonError


@pytest.fixture(scope="module")
def system():
    return CountryTaxBenefitSystem()


@pytest.fixture(scope="module")
def carrying(system):
    return apply_reform(system, "carry_forward")


def simulate(system, persons, jurisdiction, month):
    """Every person on 低保 (given as input: the standards are not what these tests are about)."""
    situation = {
        "persons": {
            name: {k: {month: v} for k, v in ({"has_able_supporter": True, "dibao_covered_person": True} | p).items()}
            for name, p in persons.items()
        },
        "households": {
            "h": {
                "members": list(persons),
                "jurisdiction": {"ETERNITY": jurisdiction},
                "area": {month: "urban"},
                "dibao_recipient": {month: True},
            }
        },
    }
    return SimulationBuilder().build_from_entities(system, situation)


GRADE_2_CARE = {"p": {"age": 40, "disability_grade": 2, "self_care_level": "partial_care"}}
GRADE_1_CARE = {"p": {"age": 40, "disability_grade": 1, "self_care_level": "full_care"}}
GRADE_3 = {"p": {"age": 40, "disability_grade": 3}}
MINOR_AND_ADULT = {
    "child": {"age": 17, "disability_grade": 2, "self_care_level": "full_care"},
    "adult": {"age": 18, "disability_grade": 1, "self_care_level": "full_care"},
}


@pytest.mark.parametrize(
    ("jurisdiction", "month", "horizon", "value"),
    [
        ("guangxi", "2017-01", "2016-12-31", 50),  # 50 is past its horizon until 80 starts
        ("hezhou", "2024-11", "2016-12-31", 50),
        ("guangxi", "2026-01", "2025-12-31", 90),  # 桂民发〔2025〕25号 supports 2025 only
        ("qinghai", "2026-01", "2025-12-31", 120),
        ("yunnan", "2027-01", "2026-12-31", 100),
        ("shaanxi", "2017-01", "2016-12-31", 18),  # the minors' age limit is looked up first, for everyone
        ("eshan", "2025-06", "2024-12-31", 90),  # 峨山's 2024 reading; Yunnan's floor only from 2025-12
    ],
)
def test_living_amount_past_its_horizon_stops(system, jurisdiction, month, horizon, value):
    simulation = simulate(system, GRADE_2_CARE, jurisdiction, month)
    with pytest.raises(ValuePastHorizonError) as caught:
        simulation.calculate("disability_living_subsidy", month)
    assert (caught.value.horizon, caught.value.value) == (horizon, value)


@pytest.mark.parametrize(
    ("jurisdiction", "month", "persons", "variable", "parameter"),
    [
        # the "from" amounts are supported only in the month before the rise: their start is not stated
        # (grade 3: whether 青海 split by grade before then is not known either; the general amount is named)
        ("qinghai", "2024-11", GRADE_3, "disability_living_subsidy", "disability.living_subsidy_amount"),
        ("qinghai", "2024-11", GRADE_2_CARE, "disability_living_subsidy", "disability.living_subsidy_amount"),
        ("yunnan", "2025-11", GRADE_2_CARE, "disability_living_subsidy", "disability.living_subsidy_amount"),
        ("guangxi", "2023-06", GRADE_2_CARE, "disability_care_subsidy", "disability.care_subsidy_amount"),
        # 青海's care amount is known from 2025 only
        ("qinghai", "2024-12", GRADE_1_CARE, "disability_care_subsidy", "disability.care_subsidy_amount"),
        # 峨山's 180 is read for grade 2 only: no grade-1 care amount in 2024
        ("eshan", "2024-11", GRADE_1_CARE, "disability_care_subsidy", "disability.care_subsidy_amount"),
    ],
)
def test_months_without_a_known_amount_stop_with_the_parameter_named(
    system, jurisdiction, month, persons, variable, parameter
):
    simulation = simulate(system, persons, jurisdiction, month)
    with pytest.raises(MissingParameterValueError, match=f"'{parameter}'"):
        simulation.calculate(variable, month)


def test_a_breakdown_past_its_horizon_stops_rather_than_fall_back(system):
    # 青海 2026-01, grade 3: the grades 3–4 amount (70) is past its horizon; it is named, not replaced by 120.
    simulation = simulate(system, GRADE_3, "qinghai", "2026-01")
    with pytest.raises(ValuePastHorizonError, match="living_subsidy_amount_grades_3_4") as caught:
        simulation.calculate("disability_living_subsidy", "2026-01")
    assert caught.value.value == 70


def test_a_stale_grade_2_amount_is_not_replaced_by_a_current_general_one(system):
    # A general care amount in force for 峨山 in 2025 (test value) does not stand in for 峨山's own grade-2 amount,
    # which is past its horizon: the grade-2 person stops, the grade-1 person is paid.
    class EshanCare2025(Reform):
        def apply(self):
            def modify(parameters):
                data = {
                    "description": "test value",
                    "metadata": {
                        "unit": "currency-CNY",
                        "period": "month",
                        "horizon": "open",
                        "reference": [{"title": "test"}],
                        "confidence": "assumed",
                        "note": "test",
                    },
                    "values": {"2025-01-01": {"value": 95}},
                }
                parameters.disability.care_subsidy_amount.add_child(
                    "eshan", Parameter("disability.care_subsidy_amount.eshan", data)
                )
                return parameters

            self.modify_parameters(modifier_function=modify)

    reformed = EshanCare2025(system)
    assert simulate(reformed, GRADE_1_CARE, "eshan", "2025-06").calculate("disability_care_subsidy", "2025-06")[0] == 95
    with pytest.raises(ValuePastHorizonError, match="care_subsidy_amount_grade_2"):
        simulate(reformed, GRADE_2_CARE, "eshan", "2025-06").calculate("disability_care_subsidy", "2025-06")


def test_carry_forward_uses_the_last_amounts_and_says_so(carrying):
    # 陕西 2017-01: the 2016 amounts carried; a minor 100, an adult 60; care grade 2 80, grade 1 120
    simulation = simulate(carrying, MINOR_AND_ADULT, "shaanxi", "2017-01")
    assert simulation.calculate("disability_living_subsidy", "2017-01").tolist() == [100, 60]
    assert simulation.calculate("disability_care_subsidy", "2017-01").tolist() == [80, 120]
    carried = {c.parameter for c in carried_values(simulation, "disability_living_subsidy", "2017-01")}
    assert carried == {
        "disability.living_subsidy_minor_age_limit",
        "disability.living_subsidy_amount_minor",
        "disability.living_subsidy_amount",
    }
    # 峨山 2025-06: its 2024 reading carried, 90 + 90 = 180
    eshan = simulate(carrying, GRADE_2_CARE, "eshan", "2025-06")
    assert (
        eshan.calculate("disability_living_subsidy", "2025-06")[0]
        + eshan.calculate("disability_care_subsidy", "2025-06")[0]
        == 180
    )
    # 青海 2026-01: grades 1–2 120 and grades 3–4 70 carried
    qinghai = simulate(
        carrying,
        {"a": {"age": 40, "disability_grade": 2}, "b": {"age": 40, "disability_grade": 3}},
        "qinghai",
        "2026-01",
    )
    assert qinghai.calculate("disability_living_subsidy", "2026-01").tolist() == [120, 70]
