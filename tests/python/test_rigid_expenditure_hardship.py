"""刚性支出困难家庭: the two local figures are needed only by households that could qualify."""

import pytest
from openfisca_core.parameters import Parameter
from openfisca_core.reforms import Reform
from openfisca_core.simulations import SimulationBuilder

from openfisca_cn_assist.engine.resolver import MissingParameterValueError


def simulate(system, month, jurisdiction="xishuangbanna", **household):
    # Whether the household is 低保 or 低保边缘 (so not a candidate) depends on the 低保 standard. 西双版纳's
    # 2022 standard ends with 2022 (its horizon), and the year-boundary tests below (2024-12, 2025-01) need one
    # that no sourced standard spans, so the standard is an input: 700, hypothetical. 3000 per person is above it
    # and above the 低保边缘 line 1.5 × 700 = 1050, so the household is neither. dibao_standard=None: the
    # jurisdiction's own standard.
    household = {"dibao_standard": 700} | household
    household = {k: v for k, v in household.items() if v is not None}
    situation = {
        "persons": {
            "p1": {"age": {month: 42}, "wage_income": {month: 3000}},
            "p2": {"age": {month: 40}, "wage_income": {month: 3000}},
        },
        "households": {
            "h": {"members": ["p1", "p2"], "jurisdiction": {"ETERNITY": jurisdiction}, "area": {month: "urban"}}
            | {k: {month: v} for k, v in household.items()}
        },
    }
    return SimulationBuilder().build_from_entities(system, situation)


@pytest.mark.parametrize(
    ("jurisdiction", "standard", "label"),
    [
        ("xishuangbanna", 700, "西双版纳傣族自治州 (xishuangbanna)"),
        # 青海's own 2025 urban standard 700 (horizon 2025-12-31), after the measure's 2024-10-24: no input needed
        ("qinghai", None, "青海省 (qinghai)"),
    ],
)
def test_a_candidate_without_disposable_income_names_the_statistic(system, jurisdiction, standard, label):
    simulation = simulate(
        system, "2025-03", jurisdiction, rigid_expenditure_past_12_months=50000, dibao_standard=standard
    )
    with pytest.raises(MissingParameterValueError) as caught:
        simulation.calculate("rigid_expenditure_hardship_family", "2025-03")
    message = str(caught.value)
    assert "statistics.per_capita_disposable_income" in message
    # the previous year's figure is the one needed
    assert "2024-03-01" in message and label in message


def test_a_candidate_without_threshold_names_the_threshold(system):
    simulation = simulate(
        system, "2025-03", rigid_expenditure_past_12_months=50000, previous_year_per_capita_disposable_income=30000
    )
    with pytest.raises(MissingParameterValueError, match="rigid_expenditure_hardship.spending_to_income_threshold"):
        simulation.calculate("rigid_expenditure_hardship_family", "2025-03")


def test_households_that_cannot_qualify_need_no_local_figure(system):
    simulation = simulate(system, "2025-03")
    assert not simulation.calculate("rigid_expenditure_hardship_family", "2025-03")[0]


def test_before_the_national_measure_no_household_is_a_rigid_expenditure_family(system):
    # 2024-10 starts before 2024-10-24: no local figure is looked up
    simulation = simulate(system, "2024-10", rigid_expenditure_past_12_months=50000)
    assert not simulation.calculate("rigid_expenditure_hardship_family", "2024-10")[0]


class AddXishuangbannaFigures(Reform):
    """Hypothetical local figures, to test which year's disposable income is read."""

    def apply(self):
        def modify(parameters):
            metadata = {"unit": "currency-CNY", "reference": "hypothetical", "confidence": "assumed", "note": "test"}
            parameters.statistics.per_capita_disposable_income.add_child(
                "xishuangbanna",
                Parameter(
                    "statistics.per_capita_disposable_income.xishuangbanna",
                    {
                        "description": "test",
                        "metadata": metadata | {"period": "year"},
                        "values": {"2023-01-01": {"value": 35000}, "2024-01-01": {"value": 37000}},
                    },
                ),
            )
            parameters.rigid_expenditure_hardship.spending_to_income_threshold.add_child(
                "xishuangbanna",
                Parameter(
                    "rigid_expenditure_hardship.spending_to_income_threshold.xishuangbanna",
                    {
                        "description": "test",
                        "metadata": metadata | {"unit": "/1"},
                        "values": {"2022-01-01": {"value": 0.6}},
                    },
                ),
            )
            return parameters

        self.modify_parameters(modifier_function=modify)


@pytest.mark.parametrize(("month", "expected"), [("2024-12", 35000), ("2025-01", 37000)])
def test_the_previous_calendar_year_figure_is_used(system, month, expected):
    reformed = AddXishuangbannaFigures(system)
    simulation = simulate(reformed, month, rigid_expenditure_past_12_months=50000)
    assert simulation.calculate("previous_year_per_capita_disposable_income", month)[0] == expected
    assert simulation.calculate("rigid_expenditure_to_income_threshold", month)[0] == 0.6


def test_per_capita_income_between_the_two_years_figures(system):
    reformed = AddXishuangbannaFigures(system)
    # 12 × 6000 = 72000 a year, 36000 per person: not below the 2023 figure 35000, below the 2024 figure 37000;
    # 50000 > 0.6 × 72000 = 43200
    before = simulate(reformed, "2024-12", rigid_expenditure_past_12_months=50000)
    after = simulate(reformed, "2025-01", rigid_expenditure_past_12_months=50000)
    assert not before.calculate("rigid_expenditure_hardship_family", "2024-12")[0]
    assert after.calculate("rigid_expenditure_hardship_family", "2025-01")[0]
