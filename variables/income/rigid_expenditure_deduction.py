import numpy as np
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_cn_assist.engine.entities import Person
from openfisca_cn_assist.engine.inputs import checked
from openfisca_cn_assist.engine.lookup import by_jurisdiction_or


class rigid_expenditure_deduction(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    unit = "currency-CNY"
    label = "刚性支出扣减 / Rigid-expenditure deduction: medical and education spending (元/月)"
    reference = "西双版纳 2022: 认真落实家庭刚性支出扣减 (S0)"

    def formula(person, period, parameters):
        """The jurisdiction's share of the person's medical and education spending."""
        spending = checked(person, "medical_expenses", period) + checked(person, "education_expenses", period)
        share = by_jurisdiction_or(person, period, "income.rigid_expenditure_deduction_share", 0.0, where=spending > 0)
        return np.where(spending > 0, share * spending, 0)
