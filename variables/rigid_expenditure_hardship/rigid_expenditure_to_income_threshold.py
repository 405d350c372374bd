import numpy as np
from openfisca_core.periods import MONTH

from openfisca_cn_assist.engine.accessor import jurisdictional
from openfisca_cn_assist.engine.entities import Household
from openfisca_cn_assist.engine.variable import Variable


class rigid_expenditure_to_income_threshold(Variable):
    value_type = float
    entity = Household
    definition_period = MONTH
    unit = "/1"
    label = "刚性支出占家庭总收入比例的当地标准 / Local threshold of rigid spending over household income"
    reference = "刚性支出困难家庭认定办法 (民政部, 2024-10-24): 家庭刚性支出总额占家庭总收入比例超出当地规定 (W12)"

    def formula(household, period, parameters):
        """The jurisdiction's ratio (rigid_expenditure_hardship.spending_to_income_threshold); may be given as an input.

        No jurisdiction has one yet: only households that could be a 刚性支出困难家庭 need it; the others read 0
        where none is known.
        """
        needed = household("rigid_expenditure_hardship_candidate", period)
        ratio = jurisdictional(household, period).rigid_expenditure_hardship.only(needed).spending_to_income_threshold
        return np.nan_to_num(ratio, nan=0.0)
