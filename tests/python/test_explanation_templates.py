"""The explanation templates of the variables (docs/explanations.md): each placeholder resolves on a traced
example, and an explanation follows a formula that a reform changes."""

import json
from pathlib import Path

import numpy as np
import pytest
from openfisca_core.periods import MONTH
from openfisca_core.reforms import Reform
from test_explain import ALL_CASES

from openfisca_cn_assist.engine.entities import Household, Person
from openfisca_cn_assist.engine.variable import Variable
from openfisca_cn_assist.serve.explain import explain
from openfisca_cn_assist.serve.explain.check import check_templates, explained_variables

EXAMPLES = Path(__file__).resolve().parents[2] / "openfisca_cn_assist" / "situation_examples"
# 青海 2025-03, one household whose income is below the standard but whose property is over the limits
PROPERTY_OVER = {
    "persons": {
        "earner": {"age": {"2025-03": 40}, "wage_income": {"2025-03": 600}, "has_able_supporter": {"2025-03": True}},
        "child": {"age": {"2025-03": 8}, "has_able_supporter": {"2025-03": True}},
    },
    "households": {
        "h": {
            "members": ["earner", "child"],
            "jurisdiction": {"ETERNITY": "qinghai"},
            "area": {"2025-03": "urban"},
            "property_within_limits": {"2025-03": False},
        }
    },
}


def _situations():
    for name, (situation, month) in ALL_CASES.items():
        yield name, situation, month
    for path in sorted(EXAMPLES.glob("*.json")):
        situation = json.loads(path.read_text(encoding="utf-8"))
        months = sorted(
            {m for v in situation["households"].values() for f in v.values() if isinstance(f, dict) for m in f}
            | {m for v in situation["persons"].values() for f in v.values() if isinstance(f, dict) for m in f}
        )
        month = next((m for m in months if len(m) == 7), None)
        if month is not None:
            yield path.stem, situation, month
    yield "property_over", PROPERTY_OVER, "2025-03"


def test_every_placeholder_resolves_on_a_traced_example(system):
    problems, checked = check_templates(system, [(situation, month) for _, situation, month in _situations()])
    assert not problems, problems
    never = set(explained_variables(system)) - checked
    assert not never, f"templates no example computes (add one to ALL_CASES): {sorted(never)}"


def test_the_check_reports_a_placeholder_that_names_nothing(system):
    class reformed(Reform):
        def apply(self):
            class tekun_no_livelihood(Variable):
                value_type = bool
                entity = Person
                definition_period = MONTH
                label = "无生活来源 / No livelihood (reformed)"
                explanation = {"zh": "人均 {dibao_per_capita_income} {tekun.no_such}", "en": "{value}"}

                def formula(person, period, parameters):
                    return person("own_countable_income", period) < person.household("dibao_standard", period)

            self.update_variable(tekun_no_livelihood)

    problems, checked = check_templates(reformed(system), [ALL_CASES["qinghai_tekun"]])
    assert "tekun_no_livelihood" in checked
    assert set(problems["tekun_no_livelihood"]) == {"dibao_per_capita_income", "tekun.no_such"}
    assert "read no variable 'dibao_per_capita_income'" in problems["tekun_no_livelihood"]["dibao_per_capita_income"]


def test_a_reform_of_dibao_eligible_changes_the_explanation(system):
    before = explain(system, PROPERTY_OVER, "2025-03", "zh")[0]
    assert before.verdict("dibao").status == "not_eligible"
    old = "人均收入 300 元 < 标准 700 元，但家庭财产超出当地规定，不符合低保"
    assert before.verdict("dibao").text.startswith("低保：" + old)
    # 300 < 1.5 × 700, property over: dibao_marginal_family words it from its parts
    assert (
        "低保边缘：人均收入 300 元 < 1.5 × 标准 700 元，但家庭财产超出当地规定 → 不是低保边缘家庭" in before.to_text()
    )

    class property_not_tested(Reform):
        def apply(self):
            class dibao_eligible(Variable):  # declares no explanation: the replaced variable's is used
                value_type = bool
                entity = Household
                definition_period = MONTH
                label = "符合低保条件 / Eligible for dibao (property not tested)"

                def formula(household, period, parameters):
                    counted = household("dibao_unit_size", period) > 0
                    return counted & household("dibao_income_below_standard", period)

            self.update_variable(dibao_eligible)

    after = explain(property_not_tested(system), PROPERTY_OVER, "2025-03", "zh")[0]
    dibao = after.verdict("dibao")
    assert dibao.status == "eligible" and dibao.amount == 800  # (700 − 300) × 2
    assert dibao.text.startswith("低保：人均收入 300 元 < 标准 700 元，符合低保")
    assert old not in after.to_text() and "不符合低保" not in dibao.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_reform_of_tekun_basic_allowance_changes_the_explanation(system, lang):
    situation, month = ALL_CASES["qinghai_tekun"]
    before = explain(system, situation, month, lang)[0]
    assert before.verdict("tekun", "elder").amount == 1050

    class twice_the_standard(Reform):
        def apply(self):
            class tekun_basic_allowance(Variable):
                value_type = float
                entity = Person
                definition_period = MONTH
                label = "特困基本生活费 / 特困 basic allowance (reformed: twice the 低保 standard)"
                defined_for = "tekun_eligible"
                explanation = {
                    "zh": "基本生活费 = 2 × 低保标准 {dibao_standard} = {value} 元/月",
                    "en": "Basic allowance = 2 × dibao standard {dibao_standard} = {value} a month",
                }

                def formula(person, period, parameters):
                    return 2 * np.asarray(person.household("dibao_standard", period))

            self.update_variable(tekun_basic_allowance)

    after = explain(twice_the_standard(system), situation, month, lang)[0]
    assert after.verdict("tekun", "elder").amount == 946  # 2 × 473
    text = after.to_text()
    if lang == "zh":
        assert "基本生活费 = 2 × 低保标准 473 = 946 元/月" in text and "特困：elder 符合，基本生活费 946 元/月" in text
        assert "当地特困标准 1050" not in text and "1050 元/月" not in text
    else:
        assert "Basic allowance = 2 × dibao standard 473 = 946 a month" in text
        assert "local tekun standard 1050" not in text and "basic allowance 1050" not in text


def test_the_gap_floor_reform_shows_in_the_gap_payment(system):
    """dibao_gap_benefit quotes dibao_gap_floor, which says nothing where there is no floor (0) and gives the
    floor where the reform sets one, so the line's arithmetic holds either way."""
    from openfisca_cn_assist.reforms.gap_floor import gap_floor

    situation = {
        "persons": {
            "p": {"age": {"2022-08": 40}, "wage_income": {"2022-08": 650}, "has_able_supporter": {"2022-08": True}}
        },
        "households": {"h": {"members": ["p"], "jurisdiction": {"ETERNITY": "mengla"}, "area": {"2022-08": "urban"}}},
    }
    before = explain(system, situation, "2022-08", "zh")[0]
    # 650 < 700: (700 − 650) × 1 = 50
    assert "差额发放：（700 − 650）× 1 = 50 元/月" in before.to_text()
    after = explain(gap_floor(system), situation, "2022-08", "zh")[0]
    # max(700 − 650, 0.2 × 700 = 140) × 1 = 140
    assert "差额发放：（700 − 650）（不低于保底 140）× 1 = 140 元/月" in after.to_text()
    assert after.verdict("dibao").amount == 140
