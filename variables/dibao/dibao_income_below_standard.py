from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class dibao_income_below_standard(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "人均收入低于低保标准 / Per-capita countable income below the dibao standard"
    reference = "民发〔2021〕57号: 家庭人均收入低于当地最低生活保障标准"
    explanation = {
        True: {
            "zh": "人均收入 {dibao_per_capita_income} 元 < 标准 {dibao_standard} 元",
            "en": "per-capita income {dibao_per_capita_income} < standard {dibao_standard}",
        },
        False: {
            "zh": "人均收入 {dibao_per_capita_income} 元 ≥ 标准 {dibao_standard} 元",
            "en": "per-capita income {dibao_per_capita_income} ≥ standard {dibao_standard}",
        },
    }

    def formula(household, period, parameters):
        return household("dibao_per_capita_income", period) < household("dibao_standard", period)
