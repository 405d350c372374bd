import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class employment_cost_deduction(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "就业成本扣减 / Employment-cost deduction (元/月)"
    reference = "汉民发〔2021〕52号: 对实现就业的低保对象,在核算就业收入时可适当扣除必要的就业成本"

    explanation = {
        "zh": "就业成本扣减 = min({income.employment_cost_rate} × 低保标准 {dibao_standard}，max(0，就业收入 "
        "{wage_income} + {business_income})) = {value} 元",
        "en": "Employment-cost deduction = min({income.employment_cost_rate} × dibao standard {dibao_standard}, "
        "max(0, earnings {wage_income} + {business_income})) = {value}",
    }

    def formula(person, period, parameters):
        """An employed member deducts a share of the local standard, never more than their earnings."""
        employed = person("is_employed", period)
        if not employed.any():
            return np.zeros(len(employed))
        rate = jurisdictional(person, period).income.only(employed).otherwise(0).employment_cost_rate
        standard = person.household("dibao_standard", period)
        earnings = checked(person, "wage_income", period) + checked(person, "business_income", period)
        deduction = np.minimum(rate * standard, np.maximum(earnings, 0))
        return np.where(employed, deduction, 0)
