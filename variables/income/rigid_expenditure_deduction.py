import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.variable import Variable


class rigid_expenditure_deduction(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "刚性支出扣减 / Rigid-expenditure deduction: medical and education spending (元/月)"
    reference = "西双版纳 2022: 认真落实家庭刚性支出扣减 (S0)"

    explanation = {
        "zh": "刚性支出扣减 = {income.rigid_expenditure_deduction_share} × (医疗支出 {medical_expenses} + 教育支出 "
        "{education_expenses}) = {value} 元",
        "en": "Rigid-expenditure deduction = {income.rigid_expenditure_deduction_share} × (medical spending "
        "{medical_expenses} + education spending {education_expenses}) = {value}",
    }

    def formula(person, period, parameters):
        """The jurisdiction's share of the person's medical and education spending."""
        spending = checked(person, "medical_expenses", period) + checked(person, "education_expenses", period)
        spends = spending > 0
        share = jurisdictional(person, period).income.only(spends).otherwise(0).rigid_expenditure_deduction_share
        return np.where(spends, share * spending, 0)
